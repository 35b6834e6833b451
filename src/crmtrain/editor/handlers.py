"""The editor's server side: load, check and save a regulation (a jupyter_server extension).

    GET  /crmtrain-editor/regulation?path=P   the file as JSON data, its fingerprint, the form
                                              schema and words in its language, its problems
    GET  /crmtrain-editor/digest?path=P       the file's fingerprint (has it changed on disk?)
    POST /crmtrain-editor/check               {data} -> problems at JSON pointers, ids to fill,
                                              diagrams, what each assessment asks
    POST /crmtrain-editor/try                 {path, data, question} -> a notebook asking it;
                                              {path, data, assessment, slot} -> a case slot's
    PUT  /crmtrain-editor/regulation?path=P   {data, digest} -> the file rewritten in place

Paths are relative to the server's root folder and never leave it (links included). The
server runs as the specialist; the file is written with the specialist's own rights.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from jupyter_server.base.handlers import APIHandler
from tornado import web

from ..errors import UserError
from ..i18n import speaking
from . import document, formschema, ids, problems, trial, views, words

ROUTE = "crmtrain-editor"


class _Base(APIHandler):
    def resolve(self, rel: str | None) -> Path:
        """The file ``rel`` names inside the server's root folder (403 outside it)."""
        if not rel:
            raise web.HTTPError(400, "path is required")
        root = Path(self.settings["server_root_dir"]).expanduser().resolve()
        path = (root / rel.lstrip("/")).resolve()
        if path != root and root not in path.parents:
            raise web.HTTPError(403, f"{rel} is outside the served folder")
        return path

    def body(self) -> dict:
        try:
            value = json.loads(self.request.body or b"{}")
        except ValueError:
            raise web.HTTPError(400, "the request is not JSON") from None
        if not isinstance(value, dict):
            raise web.HTTPError(400, "the request is not a JSON object")
        return value

    def reply(self, value: dict, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(value, ensure_ascii=False))


def _language(data) -> str:
    meta = data.get("meta") if isinstance(data, dict) else None
    lang = meta.get("language") if isinstance(meta, dict) else None
    return lang if lang in ("en", "ru") else "en"


def checked(data) -> dict:
    """What the browser shows after an edit: problems, ids to fill, and how long it took."""
    started = time.perf_counter()
    made = ids.fill(data, formschema.raw_schema())
    for loc, value in made:  # the check sees the ids the form is about to get
        node = data
        for part in loc[:-1]:
            node = node[part]
        node[loc[-1]] = value
    found = problems.check_data(data)
    return {"problems": [f.as_json() for f in found],
            "ids": [{"pointer": problems.pointer(loc), "value": value} for loc, value in made],
            "diagrams": views.diagrams(data, formschema.raw_schema()), "asked": views.asked(data, found),
            "items": views.items(data) if not any(f.severity == "error" for f in found) else None,
            "ms": round((time.perf_counter() - started) * 1000, 1)}


class RegulationHandler(_Base):
    @web.authenticated
    def get(self) -> None:
        path = self.resolve(self.get_argument("path", None))
        try:
            text, doc = document.read(path)
        except UserError as exc:
            return self.reply({"error": str(exc)}, 422)
        data = document.plain(doc)
        if not isinstance(data, dict):
            return self.reply({"error": f"{path.name}: not a regulation (a YAML mapping of its parts)"}, 422)
        lang = _language(data)
        self.reply({"path": self.get_argument("path"), "digest": document.digest(text), "lang": lang,
                    "data": data, "schema": formschema.form_schema(lang), "words": words.words(lang), "kinds": views.kinds(),
                    **checked(json.loads(json.dumps(data)))})

    @web.authenticated
    def put(self) -> None:
        path = self.resolve(self.get_argument("path", None))
        body = self.body()
        try:
            text, doc = document.read(path)
        except UserError as exc:
            return self.reply({"error": str(exc)}, 422)
        if body.get("digest") and body["digest"] != document.digest(text):
            return self.reply({"error": "changed on disk", "digest": document.digest(text)}, 409)
        doc = document.update(doc, body.get("data"), formschema.default_at)
        new = document.dump(doc, text)
        if new != text:
            document.write(path, new)
        self.reply({"digest": document.digest(new), "changed": new != text})


class DigestHandler(_Base):
    @web.authenticated
    def get(self) -> None:
        path = self.resolve(self.get_argument("path", None))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise web.HTTPError(404, str(exc)) from None
        self.reply({"digest": document.digest(text)})


class CheckHandler(_Base):
    @web.authenticated
    def post(self) -> None:
        self.reply(checked(self.body().get("data")))


class TryHandler(_Base):
    @web.authenticated
    def post(self) -> None:
        body = self.body()
        path = self.resolve(body.get("path"))
        root = Path(self.settings["server_root_dir"]).expanduser().resolve()
        try:
            _, doc = document.read(path)
            data = body.get("data") or document.plain(doc)
            with speaking(_language(data)):
                if isinstance(body.get("slot"), dict):
                    notebook = trial.write_slot(path, root, data, str(body.get("assessment")), body["slot"])
                else:
                    notebook = trial.write(path, root, data, body.get("question") or {})
        except UserError as exc:
            return self.reply({"error": str(exc)}, 422)
        self.reply({"notebook": notebook})


def routes(base_url: str) -> list[tuple[str, type]]:
    """The handlers under the server's base URL."""
    prefix = base_url.rstrip("/") + "/" + ROUTE
    return [(prefix + "/regulation", RegulationHandler), (prefix + "/digest", DigestHandler),
            (prefix + "/check", CheckHandler), (prefix + "/try", TryHandler)]
