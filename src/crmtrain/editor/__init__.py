"""The regulation editor's server side, a jupyter_server extension (``crmtrain edit``).

The browser side is the ``crmtrain-editor`` JupyterLab extension (source: ``editor/`` in the
repository, built into ``crmtrain/jupyter/labextensions/crmtrain-editor``); docs/editor.md
explains both. Enabled by ``crmtrain edit`` and, for the specialist on the hub, by the
server configuration ``pip install`` puts in ``etc/jupyter/jupyter_server_config.d``.
"""

from __future__ import annotations

import threading


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "crmtrain.editor"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from .handlers import routes

    web_app = serverapp.web_app
    web_app.add_handlers(".*$", routes(web_app.settings["base_url"]))
    # Build the validators now, not on the specialist's first keystroke (about 0.3 s).
    threading.Thread(target=_warm_up, name="crmtrain-editor-warm-up", daemon=True).start()


def _warm_up() -> None:
    from .formschema import form_schema
    from .problems import check_data

    form_schema("en")
    check_data({})
