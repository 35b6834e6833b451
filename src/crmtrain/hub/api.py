"""A small client of the running hub's REST API, as the ``crmtrain`` service (stdlib only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from .site import Site


class HubDown(Exception):
    """The hub does not answer (not started, or restarting)."""


def call(site: Site, method: str, path: str, timeout: float = 10) -> object:
    """``method`` on ``/hub/api/<path>``; the decoded JSON (None for an empty reply)."""
    token = site.token_path.read_text(encoding="utf-8").strip()
    request = urllib.request.Request(f"http://127.0.0.1:{site.hub_port}/hub/api/{path.lstrip('/')}",
                                     method=method, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            body = reply.read()
    except urllib.error.HTTPError:
        raise
    except (urllib.error.URLError, OSError) as exc:
        raise HubDown(str(exc)) from None
    return json.loads(body) if body else None


def users(site: Site) -> list[dict]:
    """Every hub user with their servers (JupyterHub's user models)."""
    return list(call(site, "GET", "users?include_stopped_servers=false") or [])


def stop_server(site: Site, name: str) -> bool:
    """Stop ``name``'s server if it runs; False when it was not running."""
    try:
        call(site, "DELETE", f"users/{name}/server", timeout=30)  # the hub answers after up to 10 s of stopping
    except urllib.error.HTTPError as exc:
        if exc.code in (400, 404):  # no such user or no server: nothing to stop
            return False
        raise
    return True
