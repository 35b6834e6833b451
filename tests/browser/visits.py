"""A trainee over several days: tabs JupyterLab restores, new browsers, restarts (tests and benchmarks).

A returning trainee does not open a workbook by its address: JupyterLab restores the tabs of
their last visit from the server's workspace, and they click between them. :func:`show` does
what a click on a tab or on a workbook does (JupyterLab's ``docmanager:open``: open, or bring
to the front) and waits until the extension has run that workbook's cells.
"""

from __future__ import annotations

from playwright.sync_api import expect

from trainee import RUN_TIMEOUT_MS, Trainee, read_notebook

# Per open notebook tab: its path, whether it is marked modified, its kernel (or null), its
# widget views that failed ("Click to show javascript error").
_TABS_JS = """() => Array.from(window.jupyterapp.shell.widgets('main')).filter(w => w.context && w.sessionContext)
  .map(w => ({path: w.context.path, dirty: w.context.model.dirty,
              kernel: (w.sessionContext.session && w.sessionContext.session.kernel) ? w.sessionContext.session.kernel.id : null,
              broken: w.node.querySelectorAll('.jupyter-widgets-error-widget').length,
              shown: !w.node.classList.contains('lm-mod-hidden')}))"""


def tabs(person: Trainee) -> list[dict]:
    """Every open notebook tab: path, dirty, kernel id (None without one), broken widget views, shown."""
    return person.page.evaluate(_TABS_JS)


def arrive(person: Trainee) -> None:
    """Open JupyterLab as a returning trainee does: its last tabs come back, the last one in front."""
    person.page.goto(person.server.url("lab"))
    person.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.restored", timeout=RUN_TIMEOUT_MS)
    person.page.evaluate("() => window.jupyterapp.restored.then(() => true)")
    person.page.wait_for_function(  # every restored workbook read from disk
        "() => Array.from(window.jupyterapp.shell.widgets('main')).every(w => !w.context || w.context.isReady)",
        timeout=RUN_TIMEOUT_MS)
    expect(person.panel.locator(".jp-Cell").first).to_be_visible(timeout=60_000)


def show(person: Trainee, name: str, runs: int = 1) -> None:
    """Bring workbook ``name`` to the front (opening it if needed); wait for its cells' ``runs``-th run."""
    path = f"{person.folder}/{name}"
    person.notebook = read_notebook(person.server.root / path)
    person.notebook_name = name
    # Opened before JupyterLab has restored (or, after ?reset, cleared) its layout, a tab is not
    # remembered in the workspace.
    person.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.restored", timeout=RUN_TIMEOUT_MS)
    person.page.evaluate("() => window.jupyterapp.restored.then(() => true)")
    person.page.evaluate("(path) => window.jupyterapp.commands.execute('docmanager:open', {path}).then(() => true)", path)
    # The tab to the front and focused (the helpers read the shell's current widget), as a click does.
    person.page.wait_for_function("""(path) => { const app = window.jupyterapp;
        const w = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
        if (!w) return false;
        if (app.shell.currentWidget !== w) { app.shell.activateById(w.id); return false; }
        return w.isVisible; }""", arg=path, timeout=RUN_TIMEOUT_MS, polling=200)
    person.wait_ready(runs)
    # Count the kernel's "idle" reports, so a click can wait for the one it caused.
    person.page.evaluate("""() => { window.__crmtrainIdle = window.__crmtrainIdle || 0;
      const w = window.jupyterapp.shell.currentWidget;
      if (w.__crmtrainCounted) return; w.__crmtrainCounted = true;
      w.sessionContext.statusChanged.connect((_, s) => { if (s === 'idle') window.__crmtrainIdle++; }); }""")


def alive(person: Trainee) -> None:
    """The workbook in front shows every quiz and drill, none broken, and nothing is marked modified."""
    person.exercises_appear()
    broken = person.panel.locator(".jupyter-widgets-error-widget")
    assert broken.count() == 0, f"{person.notebook_name}: {broken.count()} widget views show a javascript error"
    dirty = [t["path"] for t in tabs(person) if t["dirty"]]
    assert not dirty, f"untouched workbooks marked modified: {dirty}"
