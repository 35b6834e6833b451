"""Hub suite fixtures: one live hub (JupyterHub, proxy, three system users) for the whole suite.

The live tests need root (they create system users), Chromium and the hub's installation
(made on first use with `crmtrain hub install`, which CI runs up front). Anywhere else they
are skipped with the reason. Screenshots of a failing test, the browser console and the
hub's log are kept in ``test-artifacts/hub/<test>/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "browser"))  # the browser suite's Trainee and Chromium helpers

from harness import CHROMIUM, chromium_session  # noqa: E402
from hub_harness import ARTIFACTS, make_hub, skip_reason  # noqa: E402


def pytest_collection_modifyitems(config, items):
    reason = skip_reason() or (None if CHROMIUM.exists() else f"Chromium not found at {CHROMIUM}")
    for item in items:
        if HERE in Path(item.path).parents and "live_hub" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.hub)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_hub(request, tmp_path_factory):
    """The configured and started hub; torn down (users included) after the suite."""
    failed_before = request.session.testsfailed
    hub = make_hub(tmp_path_factory.mktemp("hub"))
    try:
        hub.start()
        yield hub
    finally:
        log = hub.log()
        hub.teardown()
        if request.session.testsfailed > failed_before:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "jupyterhub.log").write_text(log, encoding="utf-8")


chromium = pytest.fixture(scope="session", name="chromium")(chromium_session)  # the browser suite's Chromium
