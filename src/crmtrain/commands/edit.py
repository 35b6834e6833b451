"""``crmtrain edit [REGULATION]``: the regulation editor in JupyterLab, opened on that file."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from .. import lab
from ..errors import UserError
from ..samples import FILENAME, SAMPLE_PREFIX
from .lab import server_options, start
from ..i18n import _


def regulation_file(spec: str | None) -> Path:
    """The file to edit: REGULATION, a folder's regulation.yaml, or ./regulation.yaml."""
    if spec and spec.startswith(SAMPLE_PREFIX):
        raise UserError(f"{spec} is a built-in sample; start your own with: crmtrain init DIR")
    path = Path(spec or FILENAME).expanduser()
    if path.is_dir():
        path = path / FILENAME
    if not path.is_file():
        raise UserError(f"{path}: no such file (start a regulation with: crmtrain init DIR --lang ru)")
    return path.resolve()


def language(path: Path) -> str:
    """The regulation's language for JupyterLab's own menus ("en" if it does not say)."""
    import yaml

    try:
        meta = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("meta") or {}
    except (OSError, ValueError, yaml.YAMLError, AttributeError):
        return "en"
    lang = meta.get("language") if isinstance(meta, dict) else None
    return lang if lang in lab.LOCALES else "en"


def command(path: Path, *, port: int | None = None, open_browser: bool = True, **options) -> lab.LabCommand:
    """JupyterLab on the regulation's folder, with the editor open on the file."""
    opened = f"/lab?crmtrain-edit={quote(path.name)}"
    cmd = lab.command(path.parent, port=port or lab.free_port(), token=secrets.token_hex(24), open_notebook=None,
                      open_browser=open_browser, lang=language(path), instructor=True,
                      extra_args=(f"--ServerApp.default_url={opened}", "--ServerApp.log_level=WARN",
                                  "--LabApp.log_level=WARN", *options.pop("extra_args", ())), **options)
    return lab.LabCommand(cmd.argv, cmd.env, cmd.url.removesuffix("/lab") + opened, cmd.token, cmd.root)


def run(spec: str | None, *, port: int | None = None, open_browser: bool = True, out: TextIO = sys.stdout) -> int:
    """Start JupyterLab with the regulation editor; on POSIX it replaces this process."""
    path = regulation_file(spec)

    def say(cmd: lab.LabCommand) -> str:
        url = cmd.url + ("&" if "?" in cmd.url else "?") + f"token={cmd.token}"
        return (f"Editing {path} in JupyterLab\n\n  Open this address in your browser:\n    {url}\n\n"
                "  Keep this window open while you work; press Ctrl+C here to stop.\n\n")

    return start(lambda: command(path, port=port, open_browser=open_browser), say, out)


def register(sub) -> None:
    """``crmtrain edit``."""
    p = sub.add_parser("edit", help=_("edit the regulation as forms in JupyterLab (the YAML keeps its comments)"))
    p.add_argument("regulation", nargs="?", default=None, metavar="REGULATION",
                   help=_("the regulation file or its folder (default: ./regulation.yaml)"))
    server_options(p)
    p.set_defaults(func=lambda args: run(args.regulation, port=args.port, open_browser=not args.no_browser, out=sys.stdout))
