"""crmtrain on JupyterHub: one server for a team, with real system users.

``crmtrain hub`` turns a regulation and the staff roster into a JupyterHub on one machine
(The Littlest JupyterHub's territory: tens to a few hundred trainees):

* :mod:`.install` puts JupyterHub, configurable-http-proxy and crmtrain into one prefix;
* :mod:`.site` is the hub's settings and folders (``hub.json``), written by ``hub config``;
* :mod:`.setup` writes the JupyterHub and Jupyter configuration, the exchange and the course;
* :mod:`.accounts` creates, disables and re-enables system users (stdlib + shadow tools);
* :mod:`.users` syncs the roster: accounts, homes, workbooks, the gradebook's roster;
* :mod:`.hubconfig` runs *inside* JupyterHub (imported by the generated jupyterhub_config.py);
* :mod:`.status` and :mod:`.backup` are the operations side.

Only :mod:`.hubconfig` imports JupyterHub, and nothing here imports nbgrader.
"""

# Defaults the command line shows; here so that building the parser imports nothing more.
DEFAULT_PREFIX = "/opt/crmtrain-hub"
DEFAULT_SITE = "/srv/crmtrain"
AUTHENTICATORS = ("pam", "native")  # system passwords, or sign-ups the specialist approves
