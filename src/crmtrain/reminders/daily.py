"""``crmtrain remind --daily HH:MM``: a run now, then one every day at that time, until stopped.

This is what the hub's ``crmtrain-remind`` service runs where there is no systemd timer (a
JupyterHub managed service restarts it if it dies). A run that fails is reported and the loop
goes on; the sent-log makes a run at start harmless when the day's run already happened.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import traceback
import zoneinfo
from collections.abc import Callable
from typing import TextIO

from ..errors import UserError
from ..i18n import _


def next_run(at: dt.time, now: dt.datetime) -> dt.datetime:
    """The next moment after ``now`` (aware) whose local time of day is ``at``."""
    candidate = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= now:
        candidate = (candidate + dt.timedelta(days=1)).replace(hour=at.hour, minute=at.minute)
    return candidate


def every_day(at: dt.time, job: Callable[[], int], timezone: str, out: TextIO,
              stop: threading.Event | None = None) -> int:
    """Run ``job`` now and then daily at ``at`` in ``timezone``, until SIGTERM/SIGINT or ``stop``."""
    tz = zoneinfo.ZoneInfo(timezone)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda _s, _f: stop.set())
    while not stop.is_set():
        _run(job, out)
        when = next_run(at, dt.datetime.now(tz))
        out.write(_("next reminders at {time}").format(time=when.strftime("%Y-%m-%d %H:%M %Z")) + "\n")
        out.flush()
        stop.wait((when - dt.datetime.now(tz)).total_seconds())
    return 0


def _run(job: Callable[[], int], out: TextIO) -> None:
    try:
        job()
    except UserError as exc:
        out.write(_("reminders failed: {error}").format(error=exc) + "\n")
        out.writelines(f"  {p}\n" for p in exc.problems)
    except Exception:  # noqa: BLE001 - a bug must not stop tomorrow's reminders; its trace goes to the log
        out.write(traceback.format_exc())
    out.flush()
