"""Browser suite fixtures: one JupyterLab server and one Chromium per session, a page per test.

Every test works in its own copy of the built workbooks (a sub-folder of the server's root),
so saved progress never leaks between tests. Each step's screenshot, the browser console and
the server log are kept under ``test-artifacts/browser/<test>/`` when a test fails (always,
with CRMTRAIN_KEEP_SHOTS=1).

Phase 2 (assessments) needs a server whose root is the trainee's folder and whose config path
holds the trainee's nbgrader_config.py: ``lab_server_factory(root, config_dirs=(...))``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness import CHROMIUM, REPO, LabServer, chromium_session, copy_workbooks, new_page
from trainee import Trainee

HERE = Path(__file__).resolve().parent
ARTIFACTS = REPO / "test-artifacts" / "browser"


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium, "
                                   "or set CRMTRAIN_CHROMIUM to a Chromium binary)")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)  # the whole suite: real JupyterLab servers, most in Chromium
            if "browser" in getattr(item, "fixturenames", ()) and not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Remember each phase's outcome on the item, so fixtures can keep artifacts of failures.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def lab_server_factory(tmp_path_factory) -> Iterator[Callable[..., LabServer]]:
    """``factory(root, config_dirs=(), lang=None)`` starts a LabServer; all of them stop after the session."""
    servers: list[LabServer] = []

    def start(root: Path, config_dirs: tuple[Path, ...] = (), lang: str | None = None,
              instructor: bool = False, extra_args: tuple[str, ...] = ()) -> LabServer:
        servers.append(LabServer(root, tmp_path_factory.mktemp("lab"), config_dirs, lang, instructor, extra_args).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def lab_server(lab_server_factory, tmp_path_factory) -> LabServer:
    """The server for the workbook tests; its root gets one sub-folder per test."""
    return lab_server_factory(tmp_path_factory.mktemp("root"))


browser = pytest.fixture(scope="session", name="browser")(chromium_session)  # headless Chromium, shared with tests/hub


@pytest.fixture
def trainee(request, lab_server, browser) -> Iterator[Trainee]:
    """A trainee in a fresh browser context, with a fresh copy of the workbooks."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)[:80]
    folder = lab_server.root / name
    copy_workbooks(folder)
    shots = ARTIFACTS / name
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    page = new_page(browser)
    person = Trainee(page, lab_server, name, shots)
    yield person
    failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False)
                 for when in ("setup", "call"))
    try:
        if failed:
            person.shot("at-failure")
            (shots / "console.log").write_text("\n".join(person.console), encoding="utf-8")
            (shots / "server.log").write_text(lab_server.log(), encoding="utf-8")
    finally:
        page.context.close()
        lab_server.shutdown_kernels()
    if not failed and not os.environ.get("CRMTRAIN_KEEP_SHOTS"):
        shutil.rmtree(shots, ignore_errors=True)
        _remove_if_empty(ARTIFACTS)


def _remove_if_empty(folder: Path) -> None:
    for path in (folder, folder.parent):
        try:
            path.rmdir()
        except OSError:
            return
