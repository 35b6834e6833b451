"""JupyterLab set up for trainees: the command line, environment and settings ``crmtrain lab`` uses.

Nothing here touches the trainee's own Jupyter configuration. Everything crmtrain needs is
written into a small *state folder* that is put in front of Jupyter's search paths:

    <state>/config/labconfig/default_setting_overrides.json   new defaults for JupyterLab settings
    <state>/config/labconfig/page_config.json                 instructor-only nbgrader panels off
    <state>/data/kernels/python3/kernel.json                  "python3" = this interpreter

and crmtrain's own JupyterLab extension, prebuilt inside this package (``crmtrain/jupyter/
labextensions/crmtrain-lab``, source in the repository's ``labextension/``, rebuilt with
``make labextension``), is put on JUPYTER_PATH. It makes crmtrain's notebooks show no code
and run by themselves when opened. ``pip install`` also copies it to
``share/jupyter/labextensions/``, so a JupyterLab started any other way in the same
environment has it too.

The JupyterHub set-up reuses this module: :func:`prepare` writes the state folder for a
language and :func:`environment` returns the variables a single-user server needs, so
JupyterLab there speaks the regulation's language (the language pack ``LANGUAGE_PACKS``
names must be installed) and has the same defaults and extension.

The settings are *defaults*, so anything the trainee changes in Settings still wins, and the
trainee's own nbgrader configuration (course id, exchange folder) is still read. The browser
suite starts its server from the same :func:`command`, so it tests exactly these settings.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .labmemory import ENVIRONMENT as MEMORY_ENVIRONMENT

FIRST_NOTEBOOK = "00-introduction.ipynb"
# crmtrain's labextension lives in <DATA_DIR>/labextensions/, a Jupyter data folder.
DATA_DIR = Path(__file__).resolve().parent / "jupyter"
# The regulation's language -> JupyterLab's locale, and the PyPI package that provides it
# (a dependency of crmtrain). English is JupyterLab's own.
LOCALES = {"en": "en", "ru": "ru_RU"}
LANGUAGE_PACKS = {"ru": "jupyterlab-language-pack-ru-RU"}
DEFAULT_PORT = 8888
HOST = "127.0.0.1"

# Plugin id -> setting defaults (JupyterLab 4 schema names).
SETTINGS: dict[str, dict] = {
    # Every cell laid out, also off screen (widgets below the fold keep their height, the browser's
    # Ctrl+F finds text anywhere), but the ones in view first and the rest when the page is idle:
    # "none" drew the four tabs a returning visit restores in full before the one asked for came to
    # the front (4.4 s against 3.3 s to its first widget, docs/benchmarks.md).
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "defer"},
    # No "Would you like to receive official Jupyter news?" popup and no update checks: a
    # trainee can do nothing about them, and offices often have no open internet.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # Installing JupyterLab extensions is not a trainee's job; the panel also queries PyPI.
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
    # A light theme: the coloured feedback boxes are designed on white.
    "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Light", "adaptive-theme": False},
}
# Only for trainees: JupyterLab's workings they never need. The status bar (kernel name and
# state, "Mode: Command", cell counters) and the menus for code and kernels.
TRAINEE_SETTINGS: dict[str, dict] = {
    "@jupyterlab/statusbar-extension:plugin": {"visible": False},
    "@jupyterlab/mainmenu-extension:plugin": {"menus": [
        {"id": menu, "disabled": True} for menu in ("jp-mainmenu-edit", "jp-mainmenu-run", "jp-mainmenu-kernel")]},
}

# Trainees work in crmtrain's "My training" panel (crmtrain.panel, fetch and submit included),
# so nbgrader's browser panels and menu, the file browser and the launcher are off for them.
# nbgrader's instructor side is off on the server too (it also warns about a missing course
# config). crmtrain's regulation editor (crmtrain.editor, crmtrain-editor) is the specialist's.
DISABLED_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                    "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list",
                    "@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:menu",
                    "@jupyterlab/filebrowser-extension:widget", "@jupyterlab/launcher-extension:plugin",
                    "crmtrain-editor:plugin")
# nbgrader's assignment list and validate handlers serve only its panels, which are off: loading
# them imports nbgrader at start, 41 of the server's 110 MB (the panel imports it when needed).
DISABLED_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list",
                              "nbgrader.server_extensions.assignment_list",
                              "nbgrader.server_extensions.validate_assignment", "crmtrain.editor")
INSTRUCTOR_DISABLED_PLUGINS = ("@jupyter/nbgrader:course-list",)
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "crmtrain.editor")
# A kernel nobody is connected to (the browser closed, the laptop asleep) is shut down after
# 15 idle minutes; the extension gives back the kernel of a hidden tab after a minute
# (labextension/src/kernels.ts). Answers are saved as they are given, so nothing is lost.
KERNEL_CULLING = {"cull_idle_timeout": 900, "cull_interval": 60, "cull_connected": False}
# crmtrain's own server extensions for everyone: the "My training" panel's side (crmtrain/panel/),
# and the server giving back the memory it freed (labmemory.py, with MEMORY_ENVIRONMENT).
SERVER_EXTENSIONS = ("crmtrain.panel", "crmtrain.labmemory")
# Kernels forked from a warmed-up seed, restarts counted (labkernels.py).
KERNEL_MANAGER = "crmtrain.labkernels.TraineeKernelManager"


@dataclass(frozen=True)
class LabCommand:
    """How to start JupyterLab: argv, the full environment, and the address it will serve."""

    argv: list[str]
    env: dict[str, str]
    url: str  # without the token
    token: str
    root: Path

    @property
    def login_url(self) -> str:
        """The URL with the token, to open in a browser."""
        return f"{self.url}?token={self.token}" if self.token else self.url


def default_state_dir() -> Path:
    """Where ``crmtrain lab`` keeps its generated settings (rewritten at every start)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "crmtrain" / "lab"


def settings(lang: str = "en", *, instructor: bool = False) -> dict[str, dict]:
    """JupyterLab setting defaults for trainees (or the specialist) who read ``lang`` (menus in that language)."""
    locale = LOCALES.get(lang, "en")
    return {**SETTINGS, **({} if instructor else TRAINEE_SETTINGS),
            "@jupyterlab/translation-extension:plugin": {"locale": locale}}


def notebook_language(root: Path) -> str:
    """The language of the crmtrain notebooks in ``root`` (from their metadata); "en" if none."""
    for path in sorted(Path(root).glob("*.ipynb")):
        try:
            meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        except (OSError, ValueError, AttributeError):
            continue
        lang = meta.get("crmtrain", {}).get("lang") if isinstance(meta.get("crmtrain"), dict) else None
        if isinstance(lang, str) and lang:
            return lang
    return "en"


def prepare(state_dir: Path, python: str = sys.executable, lang: str = "en", *,
            instructor: bool = False) -> tuple[Path, Path]:
    """Write the settings and the kernelspec into ``state_dir``; return (config dir, data dir).

    ``instructor`` keeps nbgrader's instructor panels (the specialist on a shared hub) but for
    the course list, which needs JupyterHub API scopes nbgrader does not document.
    """
    config, data = state_dir / "config", state_dir / "data"
    labconfig = config / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    _write_json(labconfig / "default_setting_overrides.json", settings(lang, instructor=instructor))
    disabled = INSTRUCTOR_DISABLED_PLUGINS if instructor else DISABLED_PLUGINS
    _write_json(labconfig / "page_config.json", {"disabledExtensions": {p: True for p in disabled}})
    kernel = data / "kernels" / "python3"
    kernel.mkdir(parents=True, exist_ok=True)
    _write_json(kernel / "kernel.json", kernel_spec(python))
    return config, data


def environment(config: Path, data: Path, env: dict[str, str] | None = None,
                config_dirs: tuple[Path, ...] = ()) -> dict[str, str]:
    """``env`` (default: this process's) with the state folder and crmtrain's extension on Jupyter's paths.

    Also glibc's arena limit (:data:`MEMORY_ENVIRONMENT`), unless ``env`` sets its own.
    """
    environ = {**MEMORY_ENVIRONMENT, **(os.environ if env is None else env)}
    environ["JUPYTER_CONFIG_PATH"] = _prepend(environ.get("JUPYTER_CONFIG_PATH"), *config_dirs, config)
    environ["JUPYTER_PATH"] = _prepend(environ.get("JUPYTER_PATH"), data, DATA_DIR)
    return environ


def kernel_spec(python: str = sys.executable) -> dict:
    """The "python3" kernelspec: ipykernel's own, run by ``python`` (crmtrain's interpreter)."""
    from ipykernel.kernelspec import get_kernel_dict  # ~0.3 s; only when starting JupyterLab

    # The notebooks ask for "python3"; this one is the interpreter crmtrain is installed in,
    # whatever other "python3" kernels the machine has. ipykernel's metadata says whether it
    # takes encryption keys (newer ones do; without them it warns about plain-text TCP).
    spec = get_kernel_dict()
    spec["argv"] = [python, *spec["argv"][1:]]
    # No debugger for trainees; kernels forked from a warmed-up seed (crmtrain.kernelfork, registered
    # in pyproject.toml): a workbook's kernel is ready in a few hundred ms instead of 1.5-3 s.
    spec["metadata"] = {**spec.get("metadata", {}), "debugger": False,
                        "kernel_provisioner": {"provisioner_name": "crmtrain-forked", "config": {}}}
    # The workbooks' own display name, so opening one does not rewrite its metadata.
    spec["display_name"] = "Python 3 (ipykernel)"
    return spec


def free_port(preferred: int = DEFAULT_PORT, host: str = HOST) -> int:
    """``preferred`` if nothing listens there, else a port the system picks."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise OSError("no free TCP port")  # pragma: no cover - binding to port 0 does not fail


def command(
    root: Path,
    *,
    state_dir: Path | None = None,
    port: int | None = None,
    token: str,
    open_notebook: str | None = FIRST_NOTEBOOK,
    open_browser: bool = True,
    lang: str | None = None,
    config_dirs: tuple[Path, ...] = (),
    env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
    instructor: bool = False,
) -> LabCommand:
    """The ``jupyter lab`` command for ``root``; ``config_dirs`` go first on JUPYTER_CONFIG_PATH.

    ``lang`` picks JupyterLab's language; by default that of the notebooks in ``root``.
    ``instructor``: the specialist's JupyterLab, with nbgrader's formgrader and the regulation editor.
    """
    root = Path(root).resolve()
    lang = lang or notebook_language(root)
    config, data = prepare(Path(state_dir) if state_dir else default_state_dir(), lang=lang, instructor=instructor)
    port = port or free_port()
    environ = environment(config, data, env, config_dirs)
    # The token goes through the environment so it does not show in the process list.
    environ["JUPYTER_TOKEN"] = token
    argv = [
        # JupyterLab through serve(): the same server without a validator nobody uses (-17 MB).
        sys.executable, "-m", "crmtrain.lab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # the URL printed before the start must stay right
        f"--ServerApp.open_browser={open_browser}",
        "--ServerApp.answer_yes=True",  # Ctrl+C stops at once, without a y/n question
        # Encrypt kernel traffic when the kernel says it can (kernel_spec's metadata); without
        # it, every kernel prints a plain-text TCP warning into the trainee's terminal.
        "--KernelManager.transport_encryption=auto",
    ]
    config = server_config(instructor)
    for name, on in config["ServerApp"]["jpserver_extensions"].items():
        argv += ["--ServerApp.jpserver_extensions", f"{name}={on}"]
    argv.append(f"--ServerApp.kernel_manager_class={config['ServerApp']['kernel_manager_class']}")
    argv += [f"--MappingKernelManager.{name}={value}" for name, value in config["MappingKernelManager"].items()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # containers and CI run as root; Jupyter refuses otherwise
    argv += extra_args
    url = f"http://{HOST}:{port}/lab"
    if open_notebook and (root / open_notebook).is_file():
        argv.append(str(root / open_notebook))  # opened in the first browser tab
        url += f"/tree/{open_notebook}"
    return LabCommand(argv, environ, url, token, root)


def serve(argv: list[str] | None = None, app: Callable[[], Callable] | None = None) -> int:
    """``jupyter lab`` in this process, without jsonschema's IRI grammar (``python -m crmtrain.lab ARGS``).

    ``app``: returns the ``main`` of another Jupyter server to run so, imported only once the
    grammar is skipped (the hub's single-user server: hub.hubconfig.serve_singleuser).

    jupyter_events imports jsonschema at the server's start, and jsonschema compiles
    ``rfc3987_syntax``'s lark grammar for the "iri" formats no Jupyter schema uses: about 17 MB of
    the server's memory and 1-4 s of CPU at every start (docs/benchmarks.md).
    """
    from .speedups import skip_unused_validators

    skip_unused_validators()
    if app is None:
        from jupyterlab.labapp import main
    else:
        main = app()
    return main(list(sys.argv[1:] if argv is None else argv)) or 0


def _prepend(current: str | None, *paths: Path) -> str:
    return os.pathsep.join([*(str(p) for p in paths), *([current] if current else [])])


def server_config(instructor: bool = False) -> dict:
    """``jupyter_server_config.json`` for a shared server: nbgrader's instructor side and the editor off for trainees."""
    on = {name: True for name in SERVER_EXTENSIONS}
    culling = {"MappingKernelManager": dict(KERNEL_CULLING)}
    if not instructor:
        switches = {name: False for name in DISABLED_SERVER_EXTENSIONS}
        return {"ServerApp": {"jpserver_extensions": {**switches, **on}, "kernel_manager_class": KERNEL_MANAGER},
                **culling}
    switches = {name: False for name in DISABLED_SERVER_EXTENSIONS if name not in INSTRUCTOR_SERVER_EXTENSIONS}
    return {"ServerApp": {"jpserver_extensions": {**switches, "crmtrain.editor": True, **on},
                          "kernel_manager_class": KERNEL_MANAGER}, **culling}


def _write_json(path: Path, value: object) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(serve())
