"""Install what a crmtrain hub runs on into one prefix (default ``/opt/crmtrain-hub``).

The one place that lists the hub's software, so an extension or language pack the trainees
need is added here once: :data:`PYTHON_PACKAGES` go into the prefix's virtual environment
next to crmtrain itself, :data:`NPM_PACKAGES` into ``<prefix>/node``.

The environment is made from the system's own Python (Debian's ``/usr/bin/python3``), not
from the Python running this command: an interpreter under a user's home (pyenv, conda) is
not executable by the trainees' accounts, and every single-user server runs from here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from . import DEFAULT_PREFIX

SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")
# JupyterHub (current release line), its sign-up authenticator, the idle culler (a hub service),
# psycopg for a gradebook on PostgreSQL.
PYTHON_PACKAGES = ("jupyterhub>=5", "jupyterhub-nativeauthenticator>=1.3", "jupyterhub-idle-culler>=1.4",
                   "psycopg[binary]>=3.2")
# The hub's proxy (JupyterHub's default), Node.js from the system.
NPM_PACKAGES = ("configurable-http-proxy@^5",)
PROXY_BIN = Path("node") / "node_modules" / ".bin" / "configurable-http-proxy"
STAMP = ".crmtrain-installed"  # the installed checkout's pyproject.toml and these lists


@dataclass(frozen=True)
class Installed:
    prefix: Path
    python: Path
    jupyterhub: Path
    proxy: Path


def paths(prefix: str | Path = DEFAULT_PREFIX) -> Installed:
    """Where the installed programs are (whether or not they exist yet)."""
    prefix = Path(prefix)
    return Installed(prefix, prefix / "bin" / "python", prefix / "bin" / "jupyterhub", prefix / PROXY_BIN)


def missing(prefix: str | Path = DEFAULT_PREFIX) -> list[str]:
    """What of the installation is not there, as readable names (empty when complete)."""
    p = paths(prefix)
    return [name for name, path in (("Python environment", p.python), ("JupyterHub", p.jupyterhub),
                                    ("configurable-http-proxy", p.proxy)) if not path.exists()]


def stamp(source: str | Path) -> str:
    """What an installation from ``source`` holds: its dependencies and the lists above."""
    import hashlib

    text = (Path(source) / "pyproject.toml").read_text(encoding="utf-8")
    return hashlib.sha256("\n".join([text, *PYTHON_PACKAGES, *NPM_PACKAGES]).encode()).hexdigest()


def up_to_date(prefix: str | Path, source: str | Path) -> bool:
    """True when ``prefix`` is complete and was installed from this ``source``'s dependencies."""
    path = Path(prefix) / STAMP
    return not missing(prefix) and path.is_file() and path.read_text(encoding="utf-8").strip() == stamp(source)


def system_python() -> str:
    """The system's own python3 (outside any home folder), or a UserError saying what to install."""
    for candidate in SYSTEM_PYTHONS:
        if os.access(candidate, os.X_OK):
            return candidate
    raise UserError("no system Python found at /usr/bin/python3 (on Debian/Ubuntu: apt-get install python3 python3-venv)")


def install(prefix: str | Path, source: str | Path, *, log=print, python: str | None = None) -> Installed:
    """Make ``prefix`` hold JupyterHub, the proxy and crmtrain (from the checkout ``source``)."""
    prefix, source = Path(prefix).absolute(), Path(source).absolute()
    if not (source / "pyproject.toml").is_file():
        raise UserError(f"{source} is not a crmtrain checkout (no pyproject.toml): pass --source DIR")
    npm = shutil.which("npm")
    if npm is None:
        raise UserError("npm not found: install Node.js (apt-get install nodejs npm) for the hub's proxy")
    p = paths(prefix)
    if not p.python.exists():
        log(f"Creating the hub's Python environment in {prefix}")
        _run([python or system_python(), "-m", "venv", str(prefix)], "creating the virtual environment "
             "(on Debian/Ubuntu: apt-get install python3-venv)")
    log("Installing JupyterHub and crmtrain")
    _run([str(p.python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], "upgrading pip")
    _run([str(p.python), "-m", "pip", "install", "--quiet", "--upgrade", *PYTHON_PACKAGES, str(source)],
         "installing the Python packages")
    log("Installing configurable-http-proxy")
    _run([npm, "install", "--silent", "--no-fund", "--no-audit", "--prefix", str(prefix / "node"), *NPM_PACKAGES],
         "installing configurable-http-proxy from npm")
    # Everyone runs from here: make sure nothing is private to root (a umask of 077 would).
    _run(["chmod", "-R", "a+rX", str(prefix)], "making the installation readable")
    (prefix / STAMP).write_text(stamp(source) + "\n", encoding="utf-8")
    return p


def _run(argv: list[str], what: str) -> None:
    try:
        result = subprocess.run(argv, capture_output=True, text=True)
    except OSError as exc:
        raise UserError(f"{what} failed: {exc}") from None
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-10:]
        raise UserError(f"{what} failed (exit {result.returncode})", tail)
