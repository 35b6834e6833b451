"""Kernels forked from a warmed-up seed: Jupyter's local provisioner, without a new interpreter per kernel.

``crmtrain lab`` and the hub's single-user servers write a "python3" kernelspec that names this
provisioner (``crmtrain-forked``, registered under ``jupyter_client.kernel_provisioners``). It
launches a kernel by asking the server's seed (:mod:`crmtrain.kernelseed`) to fork one: the
interpreter started and ipykernel, ipywidgets and the runtime imported once for all kernels, and
their memory shared until written. A workbook's kernel is then ready in a few hundred
milliseconds instead of 1.5–3 s, without a spare kernel kept running beside it.

Everything else is Jupyter's :class:`LocalProvisioner`: the connection file, ports and keys,
interrupts and kills sent to the kernel's process group, restarts (a new fork). When a kernel
cannot be forked — the seed failed to start or died, another interpreter or an environment that
changes how Python starts — it is launched the usual way, so the seed is an optimisation and
never a dependency. Only a server whose kernel manager asked for a seed (:func:`prestart`, the
trainees' manager does) forks; anything else that starts kernels from this kernelspec (nbgrader's
autograde, nbclient) starts them the usual way.

Nothing here imports crmtrain; jupyter_client is the server's.
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import socket
import subprocess
import sys
import weakref
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

# Variables read when Python starts: a kernel asking for other values than the seed's is not forked.
STARTUP_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONNOUSERSITE", "PYTHONUSERBASE",
                     "PYTHONSTARTUP", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED", "PYTHONUTF8", "PYTHONIOENCODING",
                     "PYTHONWARNINGS", "PYTHONDEVMODE", "PYTHONMALLOC", "PYTHONPLATLIBDIR", "VIRTUAL_ENV",
                     "LD_PRELOAD", "LD_LIBRARY_PATH", "MALLOC_ARENA_MAX", "LANG", "LC_ALL", "LC_CTYPE")
LAUNCHER = ["-m", "ipykernel_launcher"]
NAME = "crmtrain-forked"  # as registered in pyproject.toml and named by lab.kernel_spec()
READY_TIMEOUT_S = 60


class Seed:
    """The seed process of one interpreter, and the kernels it forked (by pid → exit code)."""

    _seeds: dict[tuple[str, object], Seed] = {}  # by interpreter and event loop (a server has one)
    # The event loops of the servers that want seeds (prestart); kernels started elsewhere with
    # the same kernelspec start the usual way, so a grading batch never leaves seeds behind.
    _loops: weakref.WeakSet = weakref.WeakSet()
    _failed: set[str] = set()  # interpreters whose seed failed before it was ready: not tried again

    def __init__(self, python: str, env: dict[str, str]):
        self.python, self.env = python, {k: env[k] for k in STARTUP_VARIABLES if k in env}
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen([python, "-m", "crmtrain.kernelseed", str(theirs.fileno())],
                                        pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        theirs.close()
        ours.setblocking(False)
        self.channel = ours
        self.exits: dict[int, int] = {}
        self.ready = asyncio.get_running_loop().create_future()
        self._answers: list[asyncio.Future] = []
        self._lock = asyncio.Lock()
        self._buffer = b""
        self.alive = True
        self._never_ready = True
        asyncio.get_running_loop().add_reader(ours.fileno(), self._read)

    @classmethod
    def of(cls, python: str, env: dict[str, str]) -> Seed | None:
        """The running seed of ``python`` (started now if there is none, or it died); None if it cannot run."""
        key = (python, asyncio.get_running_loop())
        if key[1] not in cls._loops:
            return None  # not a trainees' server: nbgrader's autograde, nbclient, a console
        seed = cls._seeds.get(key)
        if seed is not None and not seed.alive and seed.broken():
            cls._failed.add(python)
        if python in cls._failed:
            return None
        if seed is None or not seed.alive:
            seed = cls._seeds[key] = cls(python, env)
        return seed

    def fits(self, cmd: list[str], env: dict[str, str]) -> bool:
        """Whether the kernel ``cmd`` run in ``env`` is what a fork of this seed would be."""
        return (self.alive and len(cmd) > 3 and cmd[0] == self.python and cmd[1:3] == LAUNCHER
                and all(env.get(k) == self.env.get(k) for k in STARTUP_VARIABLES))

    async def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """The pid of a new kernel running ``ipykernel_launcher ARGV`` in ``cwd`` with ``env``."""
        await asyncio.wait_for(asyncio.shield(self.ready), READY_TIMEOUT_S)
        async with self._lock:
            answer = asyncio.get_running_loop().create_future()
            self._answers.append(answer)
            self.channel.setblocking(True)  # a few hundred bytes; the seed reads at once
            try:
                self.channel.sendall(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
            finally:
                self.channel.setblocking(False)
            try:
                reply = await asyncio.wait_for(answer, READY_TIMEOUT_S)
            except asyncio.TimeoutError:
                self.stop()  # a seed that does not answer is replaced, and its late answer never misread
                raise
        if "pid" not in reply:
            raise OSError(reply.get("error", "the seed did not fork"))
        return reply["pid"]

    def _read(self) -> None:
        try:
            chunk = self.channel.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._die("the seed ended")
            return
        self._buffer += chunk
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            message = json.loads(line)
            if "ready" in message and not self.ready.done():
                self.ready.set_result(message["ready"])
            elif "exit" in message:
                self.exits[message["exit"]] = message["code"]
            elif self._answers:
                self._answers.pop(0).set_result(message)

    def stop(self) -> None:
        """End the seed (it exits when its socket closes); kernels it forked end with it."""
        if self.alive:
            self._die("the seed was stopped")

    def broken(self) -> bool:
        """Whether this seed ended on its own before it was ready (it cannot import what it needs)."""
        return self.process.poll() is not None and self.process.returncode > 0 and self._never_ready

    def _die(self, why: str) -> None:
        self.alive = False
        self._never_ready = not self.ready.done() or self.ready.exception() is not None
        asyncio.get_running_loop().remove_reader(self.channel.fileno())
        self.channel.close()
        for waiting in [self.ready, *self._answers]:
            if not waiting.done():
                waiting.set_exception(OSError(why))
        if self.ready.done():
            self.ready.exception()  # seen: a seed that dies unused is not an unhandled error
        self._answers.clear()
        self._reap()

    def _reap(self, delay: float = 0.1) -> None:
        # Its socket closes a moment before the process has exited: wait for it, without blocking the loop.
        if self.process.poll() is None and delay < 60:
            asyncio.get_running_loop().call_later(delay, self._reap, delay * 2)


class ForkedKernel:
    """The part of :class:`subprocess.Popen` Jupyter's provisioner uses, for a kernel the seed forked."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, seed: Seed):
        self.pid, self.seed, self.returncode = pid, seed, None
        try:  # a handle on this very process, which a reused pid cannot fool
            self._pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):  # no pidfd here, or it has already ended and been reaped
            self._pidfd = None

    def poll(self) -> int | None:
        """The exit code once the kernel has ended (the seed reaps it and tells), else None."""
        if self.returncode is None:
            if self.pid in self.seed.exits:
                self.returncode = self.seed.exits.pop(self.pid)
            elif not self.seed.alive and self._ended():
                self.returncode = -1  # reaped by whoever adopted it: the code is lost
        if self.returncode is not None and self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        """The exit code (Jupyter's provisioner waits by polling first)."""
        return self.poll()

    def send_signal(self, signum: int) -> None:
        """Signal the kernel process (Jupyter prefers its process group, which the seed made)."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL, as Popen.kill."""
        self.send_signal(9)

    def terminate(self) -> None:
        """SIGTERM, as Popen.terminate."""
        self.send_signal(15)

    def _ended(self) -> bool:
        if self._pidfd is not None:
            return bool(select.select([self._pidfd], [], [], 0)[0])
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        return False


class ForkingProvisioner(LocalProvisioner):
    """Jupyter's local provisioner, whose kernels are forks of the server's seed when they can be."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        """Fork the kernel from the seed; launch it the usual way if it cannot be forked."""
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            seed = Seed.of(cmd[0], env)
            if seed is not None and seed.fits(cmd, env):
                pid = await seed.fork(cmd[3:], env, cwd)
                self.process = ForkedKernel(pid, seed)
                self.pid = self.pgid = pid  # the seed made it a process group leader
                self.cwd = cwd
                self.log.debug("Kernel %s forked from the seed as pid %s", self.kernel_id, pid)
                return self.connection_info
        except (OSError, asyncio.TimeoutError, ValueError) as error:
            self.log.warning("Kernel %s not forked (%s); starting it the usual way", self.kernel_id, error)
        return await super().launch_kernel(cmd, **kwargs)


def stop() -> bool:
    """Stop the seeds of the running event loop (a server with no kernels left); whether one ran."""
    loop = asyncio.get_running_loop()
    running = [seed for (_, owner), seed in Seed._seeds.items() if owner is loop and seed.alive]
    for seed in running:
        seed.stop()
    return bool(running)


def prestart(python: str = sys.executable, env: dict[str, str] | None = None) -> None:
    """Fork this server's kernels from ``python``'s seed, started now (in the running event loop) so the first kernel does not wait."""
    Seed._loops.add(asyncio.get_running_loop())
    Seed.of(python, dict(os.environ if env is None else env))
