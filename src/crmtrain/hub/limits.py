"""What one trainee may use of the hub's server: memory, processes, file size, idle time.

A trainee's JupyterLab and every kernel and terminal it starts share one budget:

* **memory and processes**: a control group per trainee (cgroup v2 ``memory.max`` and
  ``pids.max``, or v1's ``memory`` and ``pids`` controllers), made and set by the hub (root)
  before the server starts; the server's process joins it before it drops to the trainee, its
  children inherit it, and only root can move a process out. When no controller can be written
  (a container without them), each process gets ``RLIMIT_DATA`` instead: per process, not per
  trainee — :func:`describe` says which applies.
* **processes** also ``RLIMIT_NPROC``: per account, counted across the whole machine.
* **file size**: ``RLIMIT_FSIZE``, no file written over the limit (a full disk is everyone's
  problem; per-home quotas are the file system's, see :func:`quota`).
* **idle**: jupyterhub-idle-culler stops a server nobody used for the idle time (a hub
  service, see :mod:`.hubconfig`); each server stops its own idle kernels sooner.

The specialist is not limited: grading runs in their server. Stdlib only; the child's side
(:func:`enter`) runs between fork and exec, so it only writes small files and sets limits.
"""

from __future__ import annotations

import os
import re
import resource
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError

CGROUP = Path("/sys/fs/cgroup")
GROUP = "crmtrain"  # the hub's control groups: <controller>/crmtrain/<login>
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$", re.IGNORECASE)


def parse_size(text: str | int, what: str = "size") -> int:
    """Bytes from ``512M``, ``1G``, ``1.5GiB`` or a plain number of bytes; UserError otherwise."""
    match = _SIZE.match(str(text))
    if not match or float(match.group(1)) <= 0:
        raise UserError(f"{what} {text!r}: give a size such as 512M or 2G")
    return int(float(match.group(1)) * 1024 ** " KMGT".index(match.group(2).upper() or " "))


def human(size: int) -> str:
    for unit, power in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << power:
            return f"{size / (1 << power):.3g} {unit}"
    return f"{size} B"


@dataclass(frozen=True)
class Limits:
    memory: int  # bytes: a trainee's server with its kernels and terminals
    processes: int  # tasks (processes and threads) of a trainee's server; processes of the account
    file_size: int  # bytes: the largest file a trainee's process may write
    idle_timeout: int  # seconds without activity before the culler stops a server

    @classmethod
    def of(cls, site) -> "Limits":
        return cls(parse_size(site.memory_limit, "memory limit"), site.max_processes,
                   parse_size(site.file_size_limit, "file size limit"), site.idle_timeout)


def cgroup_version() -> int | None:
    """2 or 1 when this machine's memory and pids controllers can be used, else None."""
    controllers = CGROUP / "cgroup.controllers"
    if controllers.is_file() and {"memory", "pids"} <= set(controllers.read_text().split()):
        return 2 if os.access(CGROUP, os.W_OK) else None
    if all(os.access(CGROUP / c, os.W_OK) for c in ("memory", "pids")):
        return 1
    return None


def _folders(name: str, version: int) -> dict[str, Path]:
    if version == 2:
        return {"memory": CGROUP / GROUP / name, "pids": CGROUP / GROUP / name}
    return {"memory": CGROUP / "memory" / GROUP / name, "pids": CGROUP / "pids" / GROUP / name}


def prepare(name: str, limits: Limits) -> tuple[Path, ...]:
    """As root: ``name``'s control group(s), limits set; the ``cgroup.procs`` files to join (empty if none)."""
    version = cgroup_version()
    if version is None:
        return ()
    folders = _folders(name, version)
    if version == 2:
        _enable_v2()
    for folder in set(folders.values()):
        folder.mkdir(parents=True, exist_ok=True)
    if version == 2:
        _set(folders["memory"] / "memory.max", limits.memory)
        _set(folders["memory"] / "memory.swap.max", 0, optional=True)
    else:
        _set(folders["memory"] / "memory.memsw.limit_in_bytes", -1, optional=True)  # memsw >= memory, always
        _set(folders["memory"] / "memory.limit_in_bytes", limits.memory)
        _set(folders["memory"] / "memory.memsw.limit_in_bytes", limits.memory, optional=True)  # no swapping past it
    _set(folders["pids"] / "pids.max", limits.processes)
    return tuple(sorted({f / "cgroup.procs" for f in folders.values()}))


def _enable_v2() -> None:
    (CGROUP / GROUP).mkdir(exist_ok=True)
    for folder in (CGROUP, CGROUP / GROUP):
        present = set((folder / "cgroup.subtree_control").read_text().split())
        missing = [c for c in ("memory", "pids") if c not in present]
        if missing:
            (folder / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in missing))


def _set(path: Path, value: int, optional: bool = False) -> None:
    try:
        path.write_text(str(value))
    except OSError:
        if not optional:
            raise


def enter(procs: tuple[Path, ...], limits: Limits) -> None:
    """In the server's process, between fork and exec, still root: join the group(s), set the rlimits."""
    for path in procs:
        with open(path, "w") as fh:
            fh.write(str(os.getpid()))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size, limits.file_size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if not procs:  # no control group: each process on its own
        resource.setrlimit(resource.RLIMIT_DATA, (limits.memory, limits.memory))


def usage(name: str) -> tuple[int, int] | None:
    """(memory bytes, tasks) ``name``'s control group uses now; None without one."""
    version = cgroup_version()
    if version is None:
        return None
    folders = _folders(name, version)
    files = ("memory.current", "pids.current") if version == 2 else ("memory.usage_in_bytes", "pids.current")
    try:
        return (int((folders["memory"] / files[0]).read_text()), int((folders["pids"] / files[1]).read_text()))
    except (OSError, ValueError):
        return None


def remove(name: str) -> None:
    """Remove ``name``'s control groups (empty once their processes are gone)."""
    version = cgroup_version()
    for folder in set(_folders(name, version).values()) if version else ():
        for _ in range(50):  # the last killed process may take a moment to leave
            try:
                folder.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.1)


def quota(path: str | Path) -> str:
    """Whether the file system holding ``path`` has user quotas on: what ``hub status`` says."""
    best, options = "", ""
    with open("/proc/mounts", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            point = parts[1].replace("\\040", " ")
            if str(path).startswith(point.rstrip("/") + "/") or str(path) == point:
                if len(point) >= len(best):
                    best, options = point, parts[3]
    if {"usrquota", "usrjquota", "quota", "uquota"} & {o.split("=")[0] for o in options.split(",")}:
        return f"user quotas are on for {best}: set each trainee's with setquota (docs/security.md)"
    return f"none: {best} has no user quotas (docs/security.md)"


def describe(limits: Limits) -> list[str]:
    """How each limit is enforced on this machine, one line each."""
    version = cgroup_version()
    group = f"cgroup v{version}" if version else None
    return [
        f"memory: {human(limits.memory)} per trainee (server, kernels, terminals together; {group} memory)"
        if group else f"memory: {human(limits.memory)} per process (RLIMIT_DATA; no cgroup controller here)",
        f"processes: {limits.processes} per trainee ({group + ' pids, ' if group else ''}RLIMIT_NPROC)",
        f"largest file: {human(limits.file_size)} (RLIMIT_FSIZE)",
        f"idle servers stopped after {limits.idle_timeout // 60} min (jupyterhub-idle-culler)",
    ]
