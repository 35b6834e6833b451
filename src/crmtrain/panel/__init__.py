"""The server side of "My training", the trainees' one panel in JupyterLab (a Jupyter server extension).

``GET /crmtrain/training`` lists the trainee's workbooks with their progress and the
assessments with their state and due date, in the regulation's language;
``POST /crmtrain/training/<fetch|submit|feedback>`` does the action through nbgrader's own
exchange code (:class:`crmtrain.grading.verbs.trainee.OwnExchange`), so the specialist's side is
unchanged; that code runs in a process of its own (:mod:`crmtrain.panel.exchange`), so nbgrader
never loads into the server. crmtrain's JupyterLab extension (``labextension/src/training.ts``) draws the panel.

``crmtrain lab`` and the hub's single-user servers enable it (:mod:`crmtrain.lab`).
"""

from __future__ import annotations


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "crmtrain.panel"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from .handlers import setup

    setup(serverapp)
