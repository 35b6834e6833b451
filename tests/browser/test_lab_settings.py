"""The settings ``crmtrain lab`` gives JupyterLab reach the browser, and the kernel is this venv's."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import expect

from crmtrain import lab

_STATE_JS = """async (ids) => {
  const app = window.jupyterapp;
  await app.restored;
  const defaults = {};
  for (const id of ids) {
    const plugin = await app.serviceManager.settings.fetch(id);
    defaults[id] = Object.fromEntries(Object.entries(plugin.schema.properties).map(([k, v]) => [k, v.default]));
  }
  return {
    windowing: app.shell.currentWidget.content.notebookConfig.windowingMode,
    defaults,
    plugins: Object.fromEntries(%s.map(id => [id, app.hasPlugin(id)])),
  };
}"""


def test_trainee_settings_reach_the_browser(trainee):
    trainee.open("00-introduction.ipynb", kernel=False)
    plugins = [*lab.DISABLED_PLUGINS, "@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment"]
    state = trainee.page.evaluate(_STATE_JS % plugins, list(lab.SETTINGS))
    assert state["windowing"] == lab.SETTINGS["@jupyterlab/notebook-extension:tracker"]["windowingMode"] == "defer"
    for plugin, values in lab.SETTINGS.items():
        assert {k: state["defaults"][plugin][k] for k in values} == values, plugin
    assert state["plugins"] == {p: p not in lab.DISABLED_PLUGINS for p in plugins}
    # Nothing pops up asking about news or updates.
    expect(trainee.page.get_by_text("official Jupyter news")).to_have_count(0)
    expect(trainee.page.locator(".jp-RenderedMarkdown h1").first).to_contain_text("training on the CRM regulation")
    trainee.shot("introduction")


def test_python3_kernel_is_this_venv(lab_server):
    specs = lab_server.api("GET", "api/kernelspecs")
    assert specs["default"] == "python3"
    spec = specs["kernelspecs"]["python3"]["spec"]
    assert spec["argv"][0] == sys.executable
    # ipykernel's own metadata: with "supported_encryption" the kernel gets CurveZMQ keys.
    assert spec["metadata"] == lab.kernel_spec()["metadata"]
    log = lab_server.log()
    assert "crmtrain.panel | extension was successfully loaded" in log  # "My training"
    assert "crmtrain.labmemory | extension was successfully loaded" in log  # freed memory given back
    for name in lab.DISABLED_SERVER_EXTENSIONS:  # instructor-only: not loaded for trainees
        assert f"{name} | extension was successfully loaded" not in log
    assert "No nbgrader_config.py" not in log


def test_the_server_runs_with_the_arena_limit(lab_server):
    # glibc reads MALLOC_ARENA_MAX when the process starts: it must be in the server's own environment.
    environ = dict(item.split("=", 1) for item in
                   Path(f"/proc/{lab_server.proc.pid}/environ").read_text().split("\0") if "=" in item)
    assert environ["MALLOC_ARENA_MAX"] == lab.MEMORY_ENVIRONMENT["MALLOC_ARENA_MAX"] == "2"


def test_export_formats_are_listed_by_a_process_of_their_own(lab_server):
    # The "Save and Export Notebook As" menu keeps its formats; nbconvert stays out of the server.
    from nbconvert.exporters import base

    formats = lab_server.api("GET", "api/nbconvert")
    # What jupyter_server's own handler answers (NbconvertRootHandler.get).
    assert formats == {name: {"output_mimetype": base.get_exporter(name).output_mimetype}
                       for name in base.get_export_names()}
    assert formats["html"] == {"output_mimetype": "text/html"} and "pdf" in formats
    assert lab_server.api("GET", "api/nbconvert") == formats  # the second time from what the first found
    assert lab_server.log().count("nbconvert's export formats listed by a process of their own") == 1


def test_language_packs_are_listed_by_a_process_of_their_own(lab_server):
    # The Language menu keeps its languages and their names; babel's CLDR data stays out of the server.
    from jupyterlab_server.translation_utils import get_language_packs

    listed = lab_server.api("GET", "lab/api/translations")
    data, message = get_language_packs("en")  # what jupyterlab_server's own handler answers
    assert listed == {"data": data, "message": message} and {"en", "ru_RU"} <= set(listed["data"])
    assert lab_server.api("GET", "lab/api/translations/") == listed
    assert lab_server.log().count("the language packs listed by a process of their own") == 1
