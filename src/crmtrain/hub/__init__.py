"""crmtrain on JupyterHub: one server for a team, with real system users.

``crmtrain hub`` turns a regulation and the staff roster into a JupyterHub on one machine
(The Littlest JupyterHub's territory: tens to a few hundred trainees):

* :mod:`.install` puts JupyterHub, configurable-http-proxy and crmtrain into one prefix;
* :mod:`.site` is the hub's settings and folders (``hub.json``), written by ``hub config``;
* :mod:`.setup` writes the JupyterHub and Jupyter configuration, the exchange and the course;
* :mod:`.accounts` creates, disables and re-enables system users (stdlib + shadow tools);
* :mod:`.users` syncs the roster: accounts, homes, workbooks, the gradebook's roster;
* :mod:`.hubconfig` runs *inside* JupyterHub (imported by the generated jupyterhub_config.py);
* :mod:`.limits` is what one trainee may use; :mod:`.asuser` does root's work in a user's folders as them;
* :mod:`.status` and :mod:`.backup` are the operations side.

Only :mod:`.hubconfig` imports JupyterHub, and nothing here imports nbgrader.
"""

from ..i18n import N_  # the options' help below: msgids (the catalogs are loaded by the CLI anyway)

# Defaults the command line shows; here so that building the parser imports nothing more.
DEFAULT_PREFIX = "/opt/crmtrain-hub"
DEFAULT_SITE = "/srv/crmtrain"
AUTHENTICATORS = ("pam", "native")  # system passwords, or sign-ups the specialist approves
# `hub config` options for what one trainee may use (hub/limits.py): flag, setting, default, help.
LIMIT_OPTIONS = (
    ("--memory-limit", "memory_limit", "1G", N_("memory of one trainee's server with its kernels (default: 1G)")),
    ("--max-processes", "max_processes", 256, N_("processes and threads of one trainee (default: 256)")),
    ("--file-size-limit", "file_size_limit", "100M", N_("the largest file a trainee may write (default: 100M)")),
    ("--idle-timeout", "idle_timeout", 3600, N_("seconds without activity before a server is stopped (default: 3600)")),
)
LIMIT_DEFAULTS = {setting: default for _flag, setting, default, _help in LIMIT_OPTIONS}
