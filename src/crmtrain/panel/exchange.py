"""The exchange work of "My training", in a short-lived process of its own: nbgrader never loads into the server.

Importing any part of nbgrader imports nbconvert and SQLAlchemy with it: about 38 MB that a
trainee's server kept for good after the panel's first listing (docs/benchmarks.md, "The
server's memory"). So the panel lists and acts through ``python -m crmtrain.panel.exchange``,
which does it with nbgrader's own Assignment List code (:class:`OwnExchange`, the trainee's
configuration, as before) and exits. Its answer also names the folders it was read from
(:func:`watched`); the listing is kept until one of them changes (a release, feedback, the
trainee's fetched copy, nbgrader's submission cache, a schedule) or for :data:`KEEP_S` at
most, so the panel's refresh every 30 s costs a few ``stat`` calls and no process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

KEEP_S = 600  # a listing is read again after this long even if no watched folder changed
TIMEOUT_S = 300  # nbgrader's fetch of a big assessment on a slow disk


class Exchange:
    """The exchange as the server at ``root`` sees it, through the worker process; listings kept while unchanged."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._kept: tuple[float, tuple, dict] | None = None  # (when, fingerprint, answer)

    def state(self) -> dict:
        """``{"listing", "schedules": {course: {assessment: schedule}}, "for_me": [[course, assessment]]}``."""
        with self._lock:
            kept = self._kept
        now = fingerprint(kept[2]["watched"]) if kept else None
        if kept and time.monotonic() - kept[0] < KEEP_S and now == kept[1]:
            return kept[2]
        answer = run(self.root, {"do": "list"})
        after = fingerprint(answer["watched"])
        # Changed while the worker listed (the same folders, other times): read again next time.
        moved = kept is not None and answer["watched"] == kept[2]["watched"] and after != now
        with self._lock:
            self._kept = (-KEEP_S if moved else time.monotonic(), after, answer)
        return answer

    def act(self, action: str, course: str, assessment: str) -> None:
        """Fetch, submit or fetch the feedback of ``assessment`` (OSError with nbgrader's reason)."""
        with self._lock:
            self._kept = None
        run(self.root, {"do": "act", "action": action, "course": course, "assessment": assessment})


def run(root: Path, request: dict) -> dict:
    """One request to a new worker process in ``root``, with this server's environment; its answer."""
    done = subprocess.run([sys.executable, "-m", __name__, str(root)], input=json.dumps(request), cwd=root,
                          capture_output=True, text=True, timeout=TIMEOUT_S, env=os.environ.copy())
    if done.returncode:
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise OSError(f"{request['do']} in the exchange failed: {reason}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def fingerprint(paths: list[str]) -> tuple:
    """The modification times of ``paths`` (None for a missing one): a new entry in a folder changes its own."""
    stamps = []
    for path in paths:
        try:
            stamps.append(os.stat(path).st_mtime_ns)
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def answer(root: Path, request: dict) -> dict:
    """What the worker does: nbgrader's listing (with schedules and who each is for), or one action."""
    from ..grading.verbs.trainee import OwnExchange

    exchange = OwnExchange(root)
    if request["do"] == "act":
        exchange.act(request["action"], request["course"], request["assessment"])
        return {}
    listing = exchange.listing()
    courses = sorted({str(a.get("course_id")) for a in listing})
    schedules = {c: exchange.schedules(c) for c in courses}
    pairs = sorted({(str(a.get("course_id")), str(a.get("assignment_id"))) for a in listing})
    for_me = [[c, a] for c, a in pairs if exchange.is_for_me(schedules[c].get(a, {}))]
    return {"listing": listing, "schedules": schedules, "for_me": for_me,
            "watched": watched(root, exchange.folders(), courses, [a for _c, a in pairs])}


def watched(root: Path, folders: dict[str, Path], courses: list[str], assessments: list[str]) -> list[str]:
    """The folders and files whose change can change the listing (read by :func:`fingerprint`)."""
    from jupyter_core.paths import jupyter_config_path

    from ..grading.plumbing.config import CONFIG_NAME, SCHEDULE_DIR

    exchange, cache, mine = folders["exchange"], folders["cache"], folders["assignments"]
    paths = [exchange, cache, mine, *(Path(p) / CONFIG_NAME for p in [root, *jupyter_config_path()])]
    for course in courses:
        paths += [exchange / course, cache / course, exchange / course / "feedback", exchange / course / "outbound",
                  exchange / course / SCHEDULE_DIR, *sorted((exchange / course / SCHEDULE_DIR).glob("*.json"))]
        paths += sorted(p for p in (exchange / course / "outbound").glob("*") if p.is_dir())
    for name in assessments:
        paths += [mine / name, mine / name / "feedback"]
    return [str(p) for p in paths]


def main() -> int:
    """``python -m crmtrain.panel.exchange ROOT`` with the request on stdin: the answer on stdout."""
    root = Path(sys.argv[1])
    print(json.dumps(answer(root, json.loads(sys.stdin.read())), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    from ..speedups import skip_unused_validators

    skip_unused_validators()
    sys.exit(main())
