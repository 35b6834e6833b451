"""A hostile trainee against the exchange: real accounts, real nbgrader, the specialist's collect.

Eve, a trainee with a shell (JupyterLab's terminal gives her one), attacks the exchange the
way the hub lays it out, while ann and bob submit honestly with nbgrader. She submits in
ann's name, dates submissions in 2099, links inbound entries to ann's collected copy and to
nothing, leaves files, pipes, odd names and folders for trainees who do not exist yet, fills
her own submission with links, a hard link and too many bytes, and forges fetch markers.
One `crmtrain collect`, run as the specialist, collects every honest submission and names
every bad entry in one line; `crmtrain status` shows none of the forgeries. Stock `nbgrader
collect` takes the same path; a collect racing with submits never loses a submission.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import threading
import time

import pytest
from exchange_lab import A, COURSE_ID, make_lab
from hub_harness import PREFIX, ensure_installed, skip_reason

from crmtrain.errors import UserError
from crmtrain.hub.exchange import write_exchange

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=str(skip_reason()))

FUTURE = "2099-12-31 23:59:59.000000 UTC"
LONG_AGO = "2020-01-01 00:00:00.000000 UTC"


def stamp() -> str:
    """Now, as nbgrader writes it in a submission's name."""
    time.sleep(0.01)  # every entry its own time
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def handmade(lab, who: str, name: str, ts: str | None, *, then: str = "") -> str:
    """A submission folder made in inbound/ by hand, from ``who``'s fetched copy; ``ts`` None: no timestamp.txt."""
    d = shlex.quote(str(lab.inbound / name))
    script = f"mkdir {d} && cp ~/{A}/* {d}/ && chmod 770 {d}"
    if ts is not None:
        script += f" && printf %s {shlex.quote(ts)} > {d}/timestamp.txt"
    lab.sh(who, script + (f" && {then}" if then else ""))
    return name


def time_of(entry: str) -> str:
    return entry.split("+")[2]


@pytest.fixture(scope="module")
def lab():
    ensure_installed()
    lab = make_lab(PREFIX)
    try:
        yield lab
    finally:
        lab.teardown()


@pytest.fixture(scope="module")
def seeded(lab):
    """Honest submissions, one collect, every kind of junk, newer honest ones, then the collect under test."""
    ann, bob, eve, box = lab.ann, lab.bob, lab.eve, lab.inbound
    first = {t: lab.submit(t, {"Q": t}) for t in (ann, bob, eve)}
    lab.crmtrain("collect", A, "--course", str(lab.course))
    peers_copy = lab.course / "submitted" / ann / A
    assert (peers_copy / "timestamp.txt").is_file()

    bad: dict[str, str] = {}  # what each is -> its name in inbound/
    ann2 = lab.submit(ann, {"Q": "ann, second"})
    bad["half-written"] = handmade(lab, ann, f"{ann}+{A}+{stamp()}+partial", None)
    bad["in ann's name"] = lab.submit(eve, {"Q": "eve, as ann"}, "--student", ann)
    bad["from the future"] = handmade(lab, eve, f"{eve}+{A}+{FUTURE}+fut", FUTURE)
    bad["from the future, as ann"] = handmade(lab, eve, f"{ann}+{A}+{FUTURE}+fut", FUTURE)
    for what, target in (("link to ann's collected copy", peers_copy), ("dangling link", "/nonexistent/x")):
        bad[what] = name = f"{eve}+{A}+{stamp()}+lnk{len(bad)}"
        lab.sh(eve, f"ln -s {shlex.quote(str(target))} {shlex.quote(str(box / name))}")
    bad["unreadable time"] = handmade(lab, eve, f"{eve}+{A}+yesterday+x", "yesterday")
    bad["file, not a folder"] = name = f"{eve}+{A}+{stamp()}+file"
    lab.sh(eve, f"printf x > {shlex.quote(str(box / name))}")
    bad["pipe"] = name = f"{eve}+{A}+{stamp()}+fifo"
    lab.sh(eve, f"mkfifo {shlex.quote(str(box / name))}")
    bad["newline in the name"] = handmade(lab, eve, f"{eve}+{A}+{stamp()}+a\nb", None)
    bad["trainee id '..'"] = handmade(lab, eve, f"..+{A}+{stamp()}+up", stamp())
    bad["no time in the name"] = handmade(lab, eve, f"{eve}+{A}", None)
    bad["not a submission at all"] = handmade(lab, eve, "README", None)
    bad["for a trainee who has no account yet"] = handmade(lab, eve, f"zz{eve[:6]}+{A}+{stamp()}+x", stamp())
    bad["bad bytes in the name"] = name = f"{eve}+{A}+{stamp()}+\udcff"
    lab.run(eve, lab.python, "-c", f"import os; os.mkdir({os.fsencode(box / name)!r})")
    bob2 = lab.submit(bob, {"Q": "bob, second"})
    bad["0700 folder"] = bob2
    lab.sh(bob, f"chmod 700 {shlex.quote(str(box / bob2))}")

    eve_links = lab.submit(eve, {"Q": "eve, with links"})
    d = shlex.quote(str(box / eve_links))
    lab.sh(eve, f"ln -sf {shlex.quote(str(peers_copy / 'answers.json'))} {d}/answers.json && "
                f"ln -s {shlex.quote(str(lab.course))} {d}/course && mkdir {d}/sub && ln -s /etc/shadow {d}/sub/shadow")
    bad["hard link to the specialist's file"] = eve_hard = lab.submit(eve, {"Q": "eve, hard link"})
    # Debian forbids that link (fs.protected_hardlinks); root makes it, as on a system that allows it.
    os.link(peers_copy / "answers.json", box / eve_hard / "stolen.json")
    bad["over the size limit"] = eve_big = lab.submit(eve, {"Q": "eve, big"})
    d = shlex.quote(str(box / eve_big))
    lab.sh(eve, f"head -c 9M /dev/zero > {d}/a.bin && head -c 9M /dev/zero > {d}/b.bin")

    lab.sh(eve, f"touch {shlex.quote(str(lab.fetched / f'{ann}+{A}+{LONG_AGO}'))} && "
                f"touch -d 2020-01-01 {shlex.quote(str(lab.fetched / f'{eve}+{A}+{LONG_AGO}'))}")
    out = lab.crmtrain("collect", A, "--course", str(lab.course), check=False)
    return dict(lab=lab, out=out.stdout + out.stderr, code=out.returncode, lines=out.stdout.splitlines(), bad=bad, ann2=ann2, bob1=first[bob],
                eve_links=eve_links, status=lab.status())


def lines_about(seeded, name: str) -> list[str]:
    from crmtrain.grading.exchange.inbound import shown

    return [line for line in seeded["lines"] if line.startswith(f"  not collected: {shown(name)}: ")]


def test_collect_takes_every_honest_submission_and_names_each_bad_entry_once(seeded):
    assert seeded["code"] == 0, seeded["out"]
    assert seeded["lines"][0].startswith(f"{A}: 2 collected, 1 unchanged, "), seeded["out"]
    for what, name in seeded["bad"].items():
        assert len(lines_about(seeded, name)) == 1, (what, seeded["out"])
    assert len([ln for ln in seeded["lines"] if "not collected:" in ln]) == len(seeded["bad"]), seeded["out"]


@pytest.mark.parametrize("what, says", [
    ("in ann's name", "made by {eve}, not by {ann}: ignored"),
    ("from the future", "dated 2099-12-31 23:59 UTC, in the future: ignored"),
    ("from the future, as ann", "in the future: ignored"),
    ("link to ann's collected copy", "is a link: ignored"),
    ("dangling link", "is a link: ignored"),
    ("unreadable time", "its time 'yesterday' cannot be read: ignored"),
    ("file, not a folder", "is a file, not a folder: ignored"),
    ("pipe", "is a special file: ignored"),
    ("newline in the name", "has no timestamp.txt yet"),
    ("trainee id '..'", "the trainee id is not one a roster can hold: ignored"),
    ("no time in the name", "not named <trainee>+<assessment>+<time>: ignored"),
    ("not a submission at all", "not named <trainee>+<assessment>+<time>: ignored"),
    ("for a trainee who has no account yet", "made by {eve}, not by zz"),
    ("bad bytes in the name", "has no timestamp.txt yet"),
    ("half-written", "has no timestamp.txt yet (a submit still in progress?): ignored"),
    ("0700 folder", "cannot be read (mode 0700): ignored"),
    ("hard link to the specialist's file", "stolen.json belongs to {spec}: ignored"),
    ("over the size limit", "is over 16 MB in all: ignored"),
])
def test_each_bad_entry_is_named_with_why(seeded, what, says):
    lab = seeded["lab"]
    (line,) = lines_about(seeded, seeded["bad"][what])
    assert says.format(ann=lab.ann, eve=lab.eve, spec=lab.spec) in line
    assert "\n" not in line


def test_a_submission_in_a_peers_name_counts_for_nothing(seeded):
    lab = seeded["lab"]
    assert lab.collected_stamp(lab.ann) == time_of(seeded["ann2"])  # her own, not eve's newer forgery
    assert seeded["status"][lab.ann]["submitted_at"] == time_of(seeded["ann2"]).removesuffix(" UTC")


def test_nothing_dated_in_the_future_is_collected_or_shown(seeded):
    lab = seeded["lab"]
    for who in (lab.ann, lab.bob, lab.eve):
        assert not seeded["status"][who]["submitted_at"].startswith("2099")
        assert not lab.collected_stamp(who).startswith("2099")


def test_links_are_never_followed_at_any_level(seeded):
    lab = seeded["lab"]
    got = lab.course / "submitted" / lab.eve / A
    assert lab.collected_stamp(lab.eve) == time_of(seeded["eve_links"])
    assert (got / "answers.json").is_symlink() and (got / "course").is_symlink()
    assert (got / "sub" / "shadow").is_symlink()
    ann_answers = (lab.course / "submitted" / lab.ann / A / "answers.json").read_bytes()
    for path in got.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert path.read_bytes() != ann_answers, path


def test_a_newer_submission_that_cannot_be_read_leaves_the_collected_one(seeded):
    lab = seeded["lab"]
    assert lab.collected_stamp(lab.bob) == time_of(seeded["bob1"])
    assert (lab.course / "submitted" / lab.bob / A / "answers.json").is_file()


def test_forged_fetch_markers_change_no_fetch_time(seeded):
    lab, status = seeded["lab"], seeded["status"]
    for who in (lab.ann, lab.eve):
        assert status[who]["fetched_at"] >= str(lab.since), status[who]  # not 2020


def test_inbound_is_sticky_so_eve_cannot_move_or_remove_anns_submission(seeded):
    lab = seeded["lab"]
    box, ann2 = lab.inbound, seeded["ann2"]
    moved = lab.sh(lab.eve, f"mv {shlex.quote(str(box / ann2))} {shlex.quote(str(box / 'hidden'))}", check=False)
    removed = lab.sh(lab.eve, f"rm -rf {shlex.quote(str(box / ann2))}", check=False)
    assert moved.returncode != 0 and removed.returncode != 0
    assert (box / ann2).is_dir() and not (box / "hidden").exists()


def test_stock_nbgrader_collect_takes_the_same_checks(seeded):
    lab = seeded["lab"]
    forged = lab.submit(lab.eve, {"Q": "eve, as bob"}, "--student", lab.bob)
    done = lab.run(lab.spec, lab.python, "-m", "nbgrader", "collect", A, "--update", cwd=lab.course)
    assert lab.collected_stamp(lab.bob) == time_of(seeded["bob1"])
    assert f"{forged}: made by {lab.eve}, not by {lab.bob}: ignored" in done.stderr + done.stdout


def test_eve_cannot_squat_the_folder_of_a_course_set_up_later(seeded, tmp_path):
    import dataclasses

    lab = seeded["lab"]
    ex = lab.site.exchange
    lab.sh(lab.eve, f"mkdir {ex}/later-course && ln -s {ex}/{COURSE_ID} {ex}/linked-course")
    with pytest.raises(UserError, match=f"later-course belongs to {lab.eve}, not to the specialist"):
        write_exchange(dataclasses.replace(lab.site, course_id="later-course"))
    with pytest.raises(UserError, match="linked-course is not a folder"):
        write_exchange(dataclasses.replace(lab.site, course_id="linked-course"))
    # Stock nbgrader's own check follows the link (the specialist owns what it points to).
    done = lab.run(lab.spec, lab.python, "-m", "nbgrader", "release_assignment", A, "--force",
                   "--CourseDirectory.course_id=linked-course", cwd=lab.course, check=False)
    assert done.returncode != 0 and "linked-course is a link" in done.stderr + done.stdout


def test_submit_refuses_more_than_the_size_limit_in_the_trainees_language(seeded):
    lab = seeded["lab"]
    before = set(os.listdir(lab.inbound))
    lab.sh(lab.eve, f"head -c 17M /dev/zero > ~/{A}/big.bin")
    try:
        done = lab.nbgrader(lab.eve, "submit", A, check=False)
    finally:
        lab.sh(lab.eve, f"rm ~/{A}/big.bin")
    assert done.returncode != 0
    assert "at most 16 MB can be submitted" in done.stderr + done.stdout
    assert set(os.listdir(lab.inbound)) == before


def test_collect_racing_with_submits_never_loses_or_tears_a_submission(seeded):
    lab = seeded["lab"]
    partial = seeded["bad"]["half-written"]
    lab.sh(lab.ann, f"printf %s {shlex.quote(time_of(partial))} > {shlex.quote(str(lab.inbound / partial))}/timestamp.txt")
    made: list[str] = []
    submitting = threading.Thread(target=lambda: made.extend(lab.submit(lab.ann, {"Q": i}) for i in range(4)))
    submitting.start()
    seen = []
    try:
        while submitting.is_alive() or len(seen) < 2:
            lab.crmtrain("collect", A, "--course", str(lab.course))
            got = lab.course / "submitted" / lab.ann / A
            seen.append(lab.collected_stamp(lab.ann))
            assert (got / "answers.json").is_file() and list(got.glob("*.ipynb")), sorted(os.listdir(got))
    finally:
        submitting.join()
    assert len(made) == 4
    lab.crmtrain("collect", A, "--course", str(lab.course))
    assert lab.collected_stamp(lab.ann) == time_of(made[-1])
    ann_times = {time_of(n) for n in os.listdir(lab.inbound) if n.startswith(f"{lab.ann}+")}
    assert set(seen) <= ann_times, seen


def test_an_unreadable_newer_submission_never_deletes_the_collected_one(seeded):
    """Attack 5 alone: with the junk cleared away, bob's newer submission is one bob closed (0700)."""
    import shutil

    lab = seeded["lab"]
    for name in seeded["bad"].values():  # the administrator clears eve's mess away
        path = lab.inbound / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
    kept = lab.submit(lab.bob, {"Q": "bob, third"})
    lab.crmtrain("collect", A, "--course", str(lab.course))
    assert lab.collected_stamp(lab.bob) == time_of(kept)
    closed = lab.submit(lab.bob, {"Q": "bob, fourth"})
    lab.sh(lab.bob, f"chmod 700 {shlex.quote(str(lab.inbound / closed))}")
    done = lab.crmtrain("collect", A, "--course", str(lab.course), check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{closed}: cannot be read (mode 0700): ignored" in done.stdout
    assert lab.collected_stamp(lab.bob) == time_of(kept)
    assert (lab.course / "submitted" / lab.bob / A / "answers.json").is_file()
