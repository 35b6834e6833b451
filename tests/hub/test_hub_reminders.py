"""The hub keeps the daily reminders running where systemd does not: a managed service, as the specialist."""

from __future__ import annotations

import subprocess
import time


def test_the_hub_runs_the_daily_reminders_as_the_specialist(live_hub):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "next reminders at" not in live_hub.log():
        time.sleep(1)
    log = live_hub.log()
    assert "crmtrain-remind" in log and "next reminders at" in log, log[-3000:]
    # No mail server is set for this hub: the run says so in the hub's log, and the loop goes on.
    assert "reminders cannot be sent: no smtp" in log
    ps = subprocess.run(["ps", "-ww", "-eo", "user:32,args"], capture_output=True, text=True, check=True).stdout
    mine = [line for line in ps.splitlines() if "crmtrain remind" in line and str(live_hub.site.course_dir) in line]
    assert mine and all(line.split()[0] == live_hub.specialist for line in mine), ps
    assert all("--daily 08:00" in line for line in mine)
