"""A hostile trainee on the hub: each attack of issue 20 tried from the trainee's own account.

A trainee has a shell as their own Unix account (JupyterLab's terminal, or a kernel), so every
attack here is run exactly so: ``sh -c`` as the trainee, then whatever the hub does as root
(a roster sync, their server's start) and a look at what happened. A *decoy* stands for
``/etc/passwd``: a root-owned file in a root-owned folder the trainee can read but not write.
"""

from __future__ import annotations

import http.cookiejar
import os
import shutil
import stat
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from crmtrain import cli
from crmtrain.hub import accounts, api
from crmtrain.lab import FIRST_NOTEBOOK

DECOY_TEXT = "root:x:0:0:root:/root:/bin/bash\n"


@pytest.fixture
def decoy():
    """A root-owned file (and its root-owned folder) that no trainee may change: /etc/passwd's stand-in."""
    folder = Path(tempfile.mkdtemp(prefix="crmtrain-decoy-", dir="/tmp"))
    folder.chmod(0o755)
    path = folder / "passwd"
    path.write_text(DECOY_TEXT, encoding="utf-8")
    path.chmod(0o644)
    yield path
    shutil.rmtree(folder)


def untouched(path: Path) -> bool:
    st = path.lstat()
    return (stat.S_ISREG(st.st_mode) and st.st_uid == 0 and st.st_mode & 0o777 == 0o644
            and path.read_text(encoding="utf-8") == DECOY_TEXT)


def shell(name: str, script: str) -> str:
    """``sh -c SCRIPT`` as the account ``name`` (what a trainee's terminal runs); its output."""
    return accounts.run_as(name, ["sh", "-c", script], what="sh").stdout


def sync(hub) -> int:
    return cli.main(["hub", "users", "sync", str(hub.staff), "--site", str(hub.site.root)])


def sign_in(hub, name: str) -> None:
    """Log in on the hub's login form (the hub knows the user from then on); follow no redirect to a spawn."""
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), Stay)
    opener.open(f"{hub.url}/hub/login").read()
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    form = urllib.parse.urlencode({"username": name, "password": hub.passwords[name], "_xsrf": xsrf}).encode()
    try:
        opener.open(f"{hub.url}/hub/login", data=form)
    except urllib.error.HTTPError as exc:
        assert exc.code == 302, exc  # logged in: sent on to their server


def start_server(hub, name: str, timeout: float = 240) -> None:
    """Start ``name``'s server through the hub's API (as ``crmtrain hub``'s service) and wait until it is up."""
    sign_in(hub, name)
    api.call(hub.site, "POST", f"users/{name}/server", timeout=60)  # answers after at most 10 s
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if name in hub.running_servers():
            return
        time.sleep(1)
    raise AssertionError(f"{name}'s server did not start; the hub's log:\n{hub.log()[-3000:]}")


def stop_server(hub, name: str, timeout: float = 60) -> None:
    try:
        api.call(hub.site, "DELETE", f"users/{name}/server", timeout=timeout)  # answers after at most 10 s
    except urllib.error.HTTPError:
        pass  # not running
    deadline = time.monotonic() + timeout
    while name in hub.running_servers() and time.monotonic() < deadline:
        time.sleep(0.5)


def built(hub, notebook: str = FIRST_NOTEBOOK) -> bytes:
    return (hub.site.workbooks_dir / notebook).read_bytes()


# --- 1. Root from a link ---------------------------------------------------------------------------

LINKS_IN_WORKBOOKS = {  # where a trainee puts a link to the decoy before root updates their workbooks
    "the old fixed temporary name": f"ln -s {{decoy}} ~/workbooks/.{FIRST_NOTEBOOK}.crmtrain-new",
    "the workbook itself": f"rm ~/workbooks/{FIRST_NOTEBOOK}; ln -s {{decoy}} ~/workbooks/{FIRST_NOTEBOOK}",
    "a guessable temporary name": f"ln -s {{decoy}} ~/workbooks/.{FIRST_NOTEBOOK}.tmp",
}


@pytest.mark.parametrize("where", LINKS_IN_WORKBOOKS)
def test_a_link_in_the_workbooks_folder_gives_a_trainee_nothing_at_a_roster_sync(live_hub, decoy, where):
    hub, trainee = live_hub, live_hub.trainees[0]
    shell(trainee, f"echo ' ' >> ~/workbooks/{FIRST_NOTEBOOK}; " + LINKS_IN_WORKBOOKS[where].format(decoy=decoy))
    try:
        assert sync(hub) == 0
        assert untouched(decoy)
        assert (hub.home(trainee) / "workbooks" / FIRST_NOTEBOOK).read_bytes() == built(hub)
        assert (hub.home(trainee) / "workbooks" / FIRST_NOTEBOOK).stat().st_uid == accounts.pwd.getpwnam(trainee).pw_uid
    finally:
        shell(trainee, f"find ~/workbooks -maxdepth 1 -type l -delete")


def test_a_link_in_place_of_the_workbooks_folder_is_not_followed_and_the_others_are_still_updated(live_hub, decoy,
                                                                                                   capsys):
    hub, (ann, bob) = live_hub, live_hub.trainees
    shell(ann, f"mv ~/workbooks ~/workbooks.mine && ln -s {decoy.parent} ~/workbooks")
    shell(bob, f"echo ' ' >> ~/workbooks/{FIRST_NOTEBOOK}")
    try:
        capsys.readouterr()
        assert sync(hub) == 0
        out = capsys.readouterr().out
        assert f"not updated: updating the workbooks of {ann} as {ann} failed" in out
        assert sorted(os.listdir(decoy.parent)) == ["passwd"] and untouched(decoy)
        assert (hub.home(bob) / "workbooks" / FIRST_NOTEBOOK).read_bytes() == built(hub)
    finally:
        shell(ann, "rm ~/workbooks && mv ~/workbooks.mine ~/workbooks")


def test_a_link_at_the_old_temporary_name_gives_a_trainee_nothing_when_their_server_starts(live_hub, decoy):
    hub, trainee = live_hub, live_hub.trainees[1]
    shell(trainee, f"echo ' ' >> ~/workbooks/{FIRST_NOTEBOOK}; "
                   f"ln -s {decoy} ~/workbooks/.{FIRST_NOTEBOOK}.crmtrain-new")
    try:
        start_server(hub, trainee)  # the pre-spawn hook updates the workbooks
        assert untouched(decoy)
        assert (hub.home(trainee) / "workbooks" / FIRST_NOTEBOOK).read_bytes() == built(hub)
    finally:
        stop_server(hub, trainee)
        shell(trainee, "find ~/workbooks -maxdepth 1 -type l -delete")


def test_the_roster_copy_in_the_specialists_course_is_written_as_the_specialist(live_hub, decoy):
    hub = live_hub
    copy = hub.site.course_home / "staff.csv"
    shell(hub.specialist, f"rm -f {copy}; ln -s {decoy} {copy}")
    assert sync(hub) == 0
    assert untouched(decoy)
    st = copy.lstat()
    assert stat.S_ISREG(st.st_mode) and st.st_uid == accounts.pwd.getpwnam(hub.specialist).pw_uid
    assert copy.read_bytes() == hub.staff.read_bytes()


# --- Backup and restore, as root through the trainees' names ---------------------------------------

def test_a_restore_writes_through_no_link_a_trainee_made_after_the_backup(live_hub, decoy, tmp_path, capsys):
    hub, (ann, bob) = live_hub, live_hub.trainees
    mine = hub.home(ann) / "workbooks" / FIRST_NOTEBOOK
    before = mine.read_bytes()
    archive = tmp_path / "hub.tar.gz"
    assert cli.main(["hub", "backup", str(archive), "--site", str(hub.site.root)]) == 0
    shell(ann, f"rm ~/workbooks/{FIRST_NOTEBOOK}; ln -s {decoy} ~/workbooks/{FIRST_NOTEBOOK}")
    shell(bob, f"mv ~/workbooks ~/workbooks.mine && ln -s {decoy.parent} ~/workbooks")
    try:
        capsys.readouterr()
        assert cli.main(["hub", "restore", str(archive), "--site", str(hub.site.root)]) == 0
        out = capsys.readouterr().out
        assert untouched(decoy) and sorted(os.listdir(decoy.parent)) == ["passwd"]
        st = mine.lstat()
        assert stat.S_ISREG(st.st_mode) and st.st_uid == accounts.pwd.getpwnam(ann).pw_uid
        assert mine.read_bytes() == before
        assert "not restored (a link or something else in the way):" in out and f"\n    homes/{bob}/workbooks: " in out
    finally:
        shell(bob, "rm ~/workbooks && mv ~/workbooks.mine ~/workbooks")


def test_a_backup_takes_nothing_through_a_trainees_link(live_hub, decoy, tmp_path, capsys):
    hub, ann = live_hub, live_hub.trainees[0]
    secret = decoy.parent / "shadow"
    secret.write_text("ROOT-ONLY-SECRET\n", encoding="utf-8")
    secret.chmod(0o600)
    shell(ann, f"ln -s {secret} ~/workbooks/notes.ipynb; ln -s {decoy.parent} ~/initial-link")
    try:
        archive = tmp_path / "hub.tar.gz"
        capsys.readouterr()
        assert cli.main(["hub", "backup", str(archive), "--site", str(hub.site.root)]) == 0
        assert f"homes/{ann}/workbooks/notes.ipynb: a link" in capsys.readouterr().out
        with tarfile.open(archive) as tar:
            assert not any(b"ROOT-ONLY-SECRET" in tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
            assert all(m.isfile() or m.isdir() for m in tar.getmembers())
    finally:
        shell(ann, "rm -f ~/workbooks/notes.ipynb ~/initial-link")


# --- 7. Limits -------------------------------------------------------------------------------------

HOG = "import sys; hog = b'x' * (2 * {limit}); print('still alive')"  # bytes are written: the pages are real
FORKS = """
import os, time
children = []
try:
    for _ in range(5000):
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        children.append(pid)
    print('never stopped', len(children))
except OSError as exc:
    print('stopped after', len(children), exc.errno)
for pid in children:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
"""


@pytest.fixture(scope="module")
def trainee_kernel(live_hub, chromium):
    """The first trainee logged in, their first workbook open with its kernel; their server stopped afterwards."""
    from hub_harness import log_in, in_kernel

    hub, name = live_hub, live_hub.trainees[0]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, hub, name)
    page.wait_for_function("() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel",
                           timeout=120_000)
    yield lambda code: in_kernel(page, code)
    context.close()
    stop_server(hub, name)
    shell(name, "rm -rf ~/.jupyter/lab/workspaces")  # their next login starts as a first one


def test_a_trainees_kernel_runs_in_their_control_group_under_their_rlimits(live_hub, trainee_kernel):
    from crmtrain.hub import limits

    pid = int(trainee_kernel("import os; print(os.getpid())"))
    name = live_hub.trainees[0]
    if limits.cgroup_version():
        assert f"{limits.GROUP}/{name}" in Path(f"/proc/{pid}/cgroup").read_text()
    text = Path(f"/proc/{pid}/limits").read_text()
    assert any(line.startswith("Max processes") and line.split()[2:4] == ["256", "256"] for line in text.splitlines())
    assert any(line.startswith("Max file size") and line.split()[3] == str(100 << 20) for line in text.splitlines())


def test_a_process_of_a_trainees_kernel_using_too_much_memory_is_stopped(live_hub, trainee_kernel):
    out = trainee_kernel("import subprocess, sys; r = subprocess.run([sys.executable, '-c', "
                         f"{HOG.format(limit=1 << 30)!r}], capture_output=True, text=True); "
                         "print(r.returncode, r.stdout.strip() or 'killed', r.stderr.strip()[-40:])")
    code, rest = out.split(" ", 1)
    assert "still alive" not in rest
    assert int(code) == -9 or "MemoryError" in rest  # the cgroup's OOM killer, or RLIMIT_DATA without one
    assert trainee_kernel("print(6 * 7)").strip() == "42"  # the kernel itself goes on


def test_a_fork_bomb_in_a_trainees_kernel_stops_at_the_process_limit(live_hub, trainee_kernel):
    out = trainee_kernel("import subprocess, sys; r = subprocess.run([sys.executable, '-c', "
                         f"{FORKS!r}], capture_output=True, text=True); print(r.stdout.strip(), r.stderr[-200:])")
    assert out.startswith("stopped after"), out
    assert int(out.split()[2]) < 256 and out.split()[3] == "11"  # EAGAIN


def test_a_trainees_kernel_cannot_write_a_file_over_the_size_limit(trainee_kernel):
    out = trainee_kernel("import os\ntry:\n    open('big.bin', 'wb').write(b'x' * (150 << 20))\n"
                         "except OSError as exc:\n    print(exc.strerror)\n"
                         "print(os.path.getsize('big.bin'))\nos.remove('big.bin')")
    assert out.splitlines()[0] == "File too large" and int(out.splitlines()[1]) <= 100 << 20


def test_the_idle_culler_runs_as_a_hub_service_with_no_rights_of_its_own(live_hub):
    owners = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            if b"jupyterhub_idle_culler" in argv and b"--timeout=3600" in argv:
                owners.append(next(line.split()[1] for line in (proc / "status").read_text().splitlines()
                                   if line.startswith("Uid:")))
        except (OSError, StopIteration):
            continue
    assert owners and set(owners) == {str(accounts.pwd.getpwnam("nobody").pw_uid)}


def test_hub_status_shows_each_limit_and_how_it_is_enforced(live_hub, capsys):
    capsys.readouterr()
    assert cli.main(["hub", "status", "--site", str(live_hub.site.root)]) == 0
    out = capsys.readouterr().out
    assert "Limits per trainee:\n  memory: 1 GiB per trainee" in out
    assert "  processes: 256 per trainee" in out and "  largest file: 100 MiB (RLIMIT_FSIZE)" in out
    assert "  idle servers stopped after 60 min (jupyterhub-idle-culler)" in out
    assert "  disk per home: " in out
    assert "WARNING: the regulation is the built-in sample:en" in out


# --- 8. Site files ---------------------------------------------------------------------------------

def test_the_site_files_hold_nothing_a_trainee_can_read_but_their_servers_settings(live_hub):
    hub, trainee = live_hub, live_hub.trainees[0]
    site = hub.site
    for path in (site.settings_path, site.config_path, site.users_path, site.root / "crmtrain-hub.service"):
        assert path.stat().st_mode & 0o777 == 0o600, path
        assert "Permission denied" in shell(trainee, f"cat {path} 2>&1 || true")
    assert site.state_dir.stat().st_mode & 0o777 == 0o700
    assert "Permission denied" in shell(trainee, f"ls {site.state_dir} 2>&1 || true")
    readable = shell(trainee, f"cat {site.jupyter_dir('trainee') / 'config' / 'nbgrader_config.py'}")
    assert "c.Exchange.root" in readable  # what their own server needs stays readable
    assert hub.trainees[1] not in readable


def test_a_trainees_server_gives_freed_memory_back(live_hub, trainee_kernel):
    # Their single-user server runs with glibc's arena limit and crmtrain's trim (crmtrain.labmemory),
    # as `crmtrain lab` does: read from the kernel, which is the trainee's own process under it.
    found = trainee_kernel(
        "import os\n"
        "pid = os.getppid()\n"
        "while pid > 1 and b'jupyterhub-singleuser' not in open(f'/proc/{pid}/cmdline', 'rb').read():\n"
        "    pid = int(open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()[1])\n"
        "env = dict(i.split(b'=', 1) for i in open(f'/proc/{pid}/environ', 'rb').read().split(b'\\0') if b'=' in i)\n"
        "print(pid > 1, env.get(b'MALLOC_ARENA_MAX', b'').decode())")
    assert found.split() == ["True", "2"]
    assert "crmtrain.labmemory | extension was successfully loaded" in live_hub.log()
