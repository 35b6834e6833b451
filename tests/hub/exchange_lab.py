"""A real exchange shared by real system users, without a hub: for the exchange's security tests.

Four throwaway accounts — the specialist and three trainees (ann, bob and eve, who attacks) —
with private homes; the exchange laid out by the hub's own code (``crmtrain.hub.exchange``);
the sample course built, rostered and released by the specialist with ``crmtrain`` run as
them; trainees fetch and submit with real ``nbgrader`` commands run as themselves, through the
trainees' nbgrader configuration the hub writes. Everything lives under one folder in /tmp
and goes, accounts included, in :meth:`Lab.teardown`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from crmtrain.grading.plumbing.config import trainee_config_text
from crmtrain.hub import accounts
from crmtrain.hub.exchange import write_exchange
from crmtrain.hub.site import Site

REPO = Path(__file__).resolve().parents[2]
A = "initial"
COURSE_ID = "crm-training"


@dataclass
class Lab:
    root: Path
    site: Site
    spec: str
    ann: str
    bob: str
    eve: str
    since: dt.datetime  # naive UTC, a second before anything was made

    @property
    def users(self) -> tuple[str, ...]:
        return (self.spec, self.ann, self.bob, self.eve)

    @property
    def python(self) -> str:
        return str(self.site.prefix / "bin" / "python")

    @property
    def course(self) -> Path:
        return self.site.course_dir

    @property
    def inbound(self) -> Path:
        return self.site.exchange / COURSE_ID / "inbound"

    @property
    def fetched(self) -> Path:
        return self.site.exchange / COURSE_ID / "fetched"

    def home(self, name: str) -> Path:
        return accounts.home(name)

    # --- running things as someone ---------------------------------------------------------

    def run(self, name: str, *argv: str, check: bool = True, cwd: str | Path | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
        """``argv`` as the account ``name``, in their home, with the hub's Python and this checkout's src."""
        import pwd

        entry = pwd.getpwnam(name)
        env = {"HOME": entry.pw_dir, "USER": name, "LOGNAME": name, "LANG": "C.UTF-8",
               "PATH": f"{self.site.prefix / 'bin'}:/usr/bin:/bin", "PYTHONPATH": str(self.root / "src"),
               "JUPYTER_CONFIG_PATH": str(self.root / "jupyter")}
        result = subprocess.run(list(argv), capture_output=True, text=True, env=env, cwd=cwd or entry.pw_dir,
                                user=entry.pw_uid, group=entry.pw_gid, extra_groups=[], timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(argv[:4])} as {name} failed ({result.returncode}):\n"
                                 f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def sh(self, name: str, script: str, check: bool = True) -> subprocess.CompletedProcess:
        """A shell command as ``name``: what a trainee types in JupyterLab's terminal."""
        return self.run(name, "/bin/sh", "-c", script, check=check)

    def crmtrain(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """``crmtrain ARGS`` as the specialist, on the course."""
        return self.run(self.spec, self.python, "-m", "crmtrain", *args, check=check)

    def nbgrader(self, name: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run(name, self.python, "-m", "nbgrader", *args, check=check)

    def submit(self, name: str, answers: dict | None = None, *extra: str, check: bool = True) -> str:
        """Write ``answers`` into the trainee's fetched copy and submit it; the new entry's name in inbound/."""
        before = set(os.listdir(self.inbound))
        if answers is not None:
            text = json.dumps({"answers": answers})
            self.run(name, self.python, "-c", f"open('{A}/answers.json', 'w').write({text!r})")
        done = self.nbgrader(name, "submit", A, *extra, check=check)
        new = sorted(set(os.listdir(self.inbound)) - before)
        if check:
            assert len(new) == 1, (new, done.stderr[-2000:])
        return new[0] if new else ""

    def collected_stamp(self, trainee: str) -> str:
        path = self.course / "submitted" / trainee / A / "timestamp.txt"
        return path.read_text(encoding="utf-8").strip() if path.exists() else ""

    def status(self) -> dict:
        """``crmtrain status`` as data, read as the specialist: {trainee: {fetched_at, submitted_at}}."""
        code = ("import json; from crmtrain.grading.plumbing.course import Course; from crmtrain.grading.verbs import status; "
                f"s = status.assessment_status(Course.load({str(self.course)!r}), {A!r}); "
                "print(json.dumps({t.trainee: {'fetched_at': str(t.fetched_at), 'submitted_at': str(t.submitted_at)} "
                "for t in s.trainees}))")
        return json.loads(self.run(self.spec, self.python, "-c", code).stdout)

    # --- life cycle ------------------------------------------------------------------------

    def teardown(self) -> None:
        _remove_accounts(self.users)
        shutil.rmtree(self.root, ignore_errors=True)


def _remove_accounts(names) -> None:
    """Delete the throwaway accounts; a process of theirs still dying gets a few seconds."""
    from crmtrain.errors import UserError

    for name in names:
        for attempt in range(10):
            if not accounts.exists(name):
                break
            try:
                accounts.delete(name)
            except UserError:
                if attempt == 9:
                    raise
                time.sleep(1)


def make_lab(prefix: Path) -> Lab:
    """Accounts, exchange, the built and released course, and every trainee's fetched copy."""
    since = dt.datetime.utcnow() - dt.timedelta(seconds=1)
    tag = secrets.token_hex(2)
    names = [f"cx{tag}-{role}" for role in ("spec", "ann", "bob", "eve")]
    root = Path(tempfile.mkdtemp(prefix="crmtrain-exchange-", dir="/tmp"))
    root.chmod(0o755)
    lab = None
    try:
        for name in names:
            accounts.create(name)
        site = Site(root=root, specialist=names[0], course_home=accounts.home(names[0]) / "course",
                    regulation="sample:en", prefix=prefix, course_id=COURSE_ID, python_path=(str(root / "src"),))
        lab = Lab(root, site, *names, since)
        shutil.copytree(REPO / "src" / "crmtrain", root / "src" / "crmtrain", ignore=shutil.ignore_patterns("__pycache__"))
        subprocess.run(["chmod", "-R", "a+rX", str(root / "src")], check=True)
        (root / "jupyter").mkdir()
        (root / "jupyter" / "nbgrader_config.py").write_text(trainee_config_text(COURSE_ID, site.exchange))
        subprocess.run(["chmod", "-R", "a+rX", str(root / "jupyter")], check=True)
        write_exchange(site)
        staff = root / "staff.csv"
        staff.write_text("id,name,email\n" + "".join(f"{n},{n.title()},{n}@example.com\n" for n in names[1:]))
        staff.chmod(0o644)
        lab.crmtrain("build", "sample:en", "--out", str(site.course_home), "--exchange", str(site.exchange),
                     "--course-id", COURSE_ID)
        lab.crmtrain("roster", "import", str(staff), "--course", str(site.course_dir))
        lab.crmtrain("release", A, "--course", str(site.course_dir))
        for name in names[1:]:
            lab.nbgrader(name, "fetch_assignment", A)
        return lab
    except BaseException:
        if lab is not None:
            lab.teardown()
        else:
            _remove_accounts(names)
            shutil.rmtree(root, ignore_errors=True)
        raise
