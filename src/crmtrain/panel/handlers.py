"""The HTTP side of "My training": one read, three actions, answers in JSON."""

from __future__ import annotations

import asyncio
import json
import logging

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .overview import ACTIONS, Training

log = logging.getLogger(__name__)


class TrainingHandler(APIHandler):
    """``GET``: the overview; ``POST <action>`` with ``{"course", "assessment"}``: do it, then the overview."""

    @property
    def training(self) -> Training:
        return self.settings["crmtrain_training"]

    # Both run in a thread: the exchange's worker process (panel/exchange.py) takes a second or
    # more, and the server's event loop meanwhile carries the trainee's kernel messages.
    @web.authenticated
    async def get(self, action: str | None = None) -> None:
        overview = await asyncio.to_thread(self.training.overview)
        self.finish(json.dumps(overview, ensure_ascii=False))

    @web.authenticated
    async def post(self, action: str | None = None) -> None:
        if action not in ACTIONS:
            raise web.HTTPError(404)
        body = self.get_json_body() or {}
        course, assessment = str(body.get("course", "")), str(body.get("assessment", ""))
        if not course or not assessment:
            raise web.HTTPError(400, "course and assessment are required")
        result = await asyncio.to_thread(self.training.act, action, course, assessment)
        self.finish(json.dumps(result, ensure_ascii=False))


def setup(serverapp) -> None:
    """Add the handlers to the server (called by Jupyter when the extension loads)."""
    web_app = serverapp.web_app
    web_app.settings["crmtrain_training"] = Training(serverapp.root_dir)
    route = url_path_join(web_app.settings["base_url"], "crmtrain", "training")
    web_app.add_handlers(".*$", [(route, TrainingHandler), (route + r"/(\w+)", TrainingHandler)])
    serverapp.log.info("crmtrain: the trainees' panel answers at %s", route)
