"""The specialist's grading day, for the browser tests: a real course, real submissions, formgrader.

:func:`graded_course` builds the English sample's course, releases the initial assessment
through the exchange, lets trainees fetch it, save their answers (the file the widgets
write) and submit, then collects and grades with crmtrain, as a specialist's day starts.
:class:`Formgrader` is nbgrader's own formgrader, a Jupyter server extension, in a
``jupyter server`` on 127.0.0.1 whose root is the course folder.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from harness import REPO, START_TIMEOUT_S

from crmtrain.runtime.check import ANSWERS_FILE

ASSESSMENT = "initial"
TRAINEES = ("ipetrov", "akuznetsova")
OPEN_ANSWER = "First I check the stock in the Products tab; the purchasing specialist orders what is missing."


def graded_course(root: Path):
    """Build, release, answer, submit, collect and grade ``initial``; (course, regulation, answers).

    The answers hold the slots too, under their ids: what each trainee got there is
    :func:`crmtrain.simulate.slots_asked` of their fetched notebook (``trainees/<id>/initial``).
    """
    import io

    from crmtrain.commands import build
    from crmtrain.grading.verbs import autograde, collect, release, roster, trainee
    from crmtrain.grading.plumbing.course import Course
    from crmtrain.regulation.loader import load
    from crmtrain.samples import sample_path
    from crmtrain.simulate import choose, choose_case, questions, slots_asked

    build.run("sample:en", str(root), io.StringIO(), exchange=str(root / "exchange"), course_id="crm-test")
    course = Course.load(root / "assignments")
    staff = root / "roster.csv"
    staff.write_text("id,name,email\n" + "".join(f"{t},{t.title()},{t}@example.com\n" for t in TRAINEES),
                     encoding="utf-8")
    roster.import_roster(course, staff)
    release.release(course, ASSESSMENT)
    reg = load(sample_path("en"))
    given: dict[str, dict] = {}
    for n, tid in enumerate(TRAINEES):
        home = root / "trainees" / tid
        folder = trainee.fetch(course, tid, home, ASSESSMENT)
        rng = random.Random(f"grading-day/{tid}")
        answers = {}
        for i, q in enumerate(questions(reg, ASSESSMENT)):
            if i == 4 and n == 0:
                continue  # one item left unanswered
            answers[q.id] = OPEN_ANSWER if not q.kind.autograded and n == 0 else choose(q, i % 2 == 0, rng)
        # The slots: this trainee's own drawn questions and cases, some right, some wrong.
        for j, a in enumerate(slots_asked(reg, ASSESSMENT, folder / f"{ASSESSMENT}.ipynb", tid)):
            right = j % 2 == 0
            answers[a.slot] = choose(a.question, right, rng) if a.question is not None else choose_case(a, right, rng)
        (folder / ANSWERS_FILE).write_text(json.dumps({"answers": answers}), encoding="utf-8")
        trainee.submit(course, tid, home, ASSESSMENT)
        given[tid] = answers
    collect.collect(course, ASSESSMENT)
    report = autograde.grade(course, [ASSESSMENT])
    assert all(o.ok for o in report.outcomes), [o.error for o in report.outcomes]
    return course, reg, given


class Formgrader:
    """``jupyter server`` with nbgrader's formgrader over ``course`` (stop it with :meth:`stop`)."""

    def __init__(self, course, work: Path) -> None:
        from crmtrain.lab import free_port

        self.course, self.work = course, Path(work)
        self.token = secrets.token_hex(16)
        self.port = free_port(0)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = self.work / "formgrader.log"
        env = dict(os.environ)
        home = self.work / "home"
        for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                          ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
            env[name] = str(home / sub)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
        env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", "")))
        self.work.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "jupyter", "server", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={course.root}"]
        if os.geteuid() == 0:  # CI containers run as root
            argv.append("--allow-root")
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(argv, env=env, cwd=course.root, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                urllib.request.urlopen(self.url("api/status"), timeout=5).read()
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the formgrader's server did not start:\n{self.log()[-4000:]}")

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def shot(page, name: str) -> None:
    """With CRMTRAIN_SHOTS=DIR, keep a screenshot for the README (look at it before committing)."""
    folder = os.environ.get("CRMTRAIN_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"))
