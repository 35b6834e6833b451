"""The kernels of a trainee's JupyterLab: one waiting, warmed up, for the next workbook opened; restarts counted.

``crmtrain lab`` and the hub's single-user servers use :class:`TraineeKernelManager` (set as
``ServerApp.kernel_manager_class`` by :func:`crmtrain.lab.server_config`): Jupyter server's
own kernel manager with a spare kernel. Opening a workbook used to wait for a new kernel
process (Python, ipykernel, then ipywidgets and crmtrain's runtime at the first cell):
1.5–3 s of the 3 s a trainee may wait. So the manager keeps one kernel started and warmed up
(the runtime imported) and hands it to the next session that asks for that kind of kernel,
moved into the notebook's folder; then it starts the next spare. A spare is started only
while a JupyterLab page lists kernels (every open page does, every few seconds), so a server
nobody looks at gets none, and the culler (``lab.KERNEL_CULLING``) shuts an unused one down
like any other idle kernel.

The manager also counts each kernel's restarts through the API in the kernel's model
(``crmtrain_restarts``), so a page that missed a restart from elsewhere learns of it from the
kernel list it fetches anyway (see :meth:`TraineeKernelManager.kernel_model`).

Nothing here imports crmtrain; jupyter_server is imported by the server that loads this.
"""

from __future__ import annotations

import asyncio
import json
import os

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Unicode

# What the first cell of every workbook and assessment imports; run silently in the spare.
WARM_UP = "__import__('ipywidgets'); __import__('crmtrain.runtime')"
# Moves a handed-out spare into the notebook's folder, where the runtime keeps the progress files.
# (``path`` is the folder; the notebook's own path, when the session manager gives it, is JPY_SESSION_NAME.)
_MOVE = "import os as _os; _os.chdir({cwd}); del _os"
_NAME = "import os as _os; _os.environ['JPY_SESSION_NAME'] = __session__ = {name}; del _os"


class TraineeKernelManager(AsyncMappingKernelManager):
    """Jupyter server's kernel manager with a warmed-up spare kernel."""

    spare_kernel = Unicode("python3", config=True, allow_none=True,
                           help="The kernel kept started and warmed up for the next session (None: no spare).")
    spare_delay = Float(3.0, config=True,
                        help="Seconds after a kernel is handed out before the next spare starts (the page runs its cells first).")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._spare: str | None = None  # the kernel id waiting, warmed up
        self._spare_client = None  # connected to it since the warm-up, so handing it out is one request
        self._filling: asyncio.Task | None = None
        self._restarts: dict[str, int] = {}

    # -- the spare ----------------------------------------------------------------------------

    async def start_kernel(self, *, kernel_id=None, path=None, **kwargs):
        """A kernel for a session: the spare when it fits, else a new one."""
        name = kwargs.get("kernel_name") or self.default_kernel_name
        wanted = kernel_id is None and path is not None
        if wanted and self._spare is None and self._filling is not None and not self._filling.done():
            # The spare is on its way: sooner than a second kernel started beside it on 2 cores.
            await asyncio.shield(self._filling)
        spare, client = self._take_spare(name) if wanted else (None, None)
        if spare is not None:
            try:
                await self._move(spare, client, self.cwd_for_path(path), (kwargs.get("env") or {}).get("JPY_SESSION_NAME"))
                self.log.info("Kernel %s (the spare) handed out for %s", spare, path)
                self._fill_later(self.spare_delay)
                return spare
            except Exception as error:  # noqa: BLE001 - a broken spare is replaced, not fatal
                self.log.warning("The spare kernel %s could not be used (%s); starting a new one", spare, error)
                await self._shut_down_quietly(spare)
            finally:
                client.stop_channels()
        kernel = await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        self._fill_later(self.spare_delay)
        return kernel

    def list_kernels(self):
        """Jupyter's list (the spare included); a page asking means someone may open a workbook soon."""
        self._fill_later(0)
        return super().list_kernels()

    async def _move(self, kernel_id: str, client, cwd: str, name: str | None) -> None:
        """Into the notebook's folder, now and after any restart (which starts the process anew)."""
        manager = self.get_kernel(kernel_id)
        launch = getattr(manager, "_launch_args", None)  # what jupyter_client restarts the kernel with
        if not isinstance(launch, dict) or not isinstance(launch.get("env"), dict):
            raise RuntimeError("this jupyter_client keeps no launch arguments to restart the kernel with")
        launch["cwd"] = cwd
        code = _MOVE.format(cwd=json.dumps(cwd))
        if name:
            manager.update_env(env={"JPY_SESSION_NAME": name})
            code += "\n" + _NAME.format(name=json.dumps(name))
        await self._execute(client, code, timeout=10)  # a spare that died since: a new kernel instead

    def _take_spare(self, name: str) -> tuple[str | None, object]:
        """The spare and its client, if it is still there and of kind ``name``; it is no longer the spare."""
        spare, client = self._spare, self._spare_client
        if spare is None or spare not in self or self.get_kernel(spare).kernel_name != name:
            return None, None  # none, gone (shutdown_kernel cleaned up), or another kind: kept for its own
        self._spare = self._spare_client = None
        return spare, client

    def _fill_later(self, delay: float) -> None:
        if self.spare_kernel is None or (self._filling is not None and not self._filling.done()):
            return
        if self._spare is not None and self._spare in self:
            return
        try:
            self._filling = asyncio.get_running_loop().create_task(self._fill(delay))
        except RuntimeError:  # no event loop yet (the server is still starting)
            pass

    async def _fill(self, delay: float) -> None:
        await asyncio.sleep(delay)
        kernel = client = None
        try:
            # An environment of its own, which _move can then give the notebook's name.
            kernel = await super().start_kernel(kernel_name=self.spare_kernel, env=dict(os.environ))
            client = self.get_kernel(kernel).client()
            client.start_channels()
            await client.wait_for_ready(timeout=60)
            await self._execute(client, WARM_UP)
        except Exception as error:  # noqa: BLE001 - no spare then; sessions start kernels as usual
            self.log.warning("No spare kernel: %s", error)
            if client is not None:
                client.stop_channels()
            if kernel is not None:
                await self._shut_down_quietly(kernel)
            return
        self._spare, self._spare_client = kernel, client
        self.log.info("Spare kernel %s ready", kernel)

    @staticmethod
    async def _execute(client, code: str, timeout: float = 60) -> None:
        """Run ``code`` silently through ``client`` (no history, no execution count); raise if it fails."""
        reply = await client.execute_interactive(code, silent=True, store_history=False, timeout=timeout,
                                                 output_hook=lambda _msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(reply["content"].get("evalue") or reply["content"]["status"])

    async def _shut_down_quietly(self, kernel_id: str) -> None:
        try:
            await self.shutdown_kernel(kernel_id, now=True)
        except Exception as error:  # noqa: BLE001 - already gone
            self.log.debug("Spare kernel %s: %s", kernel_id, error)

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        """Jupyter's shutdown; a spare shut down (culled) is no longer the spare."""
        if kernel_id == self._spare:
            self._spare_client.stop_channels()
            self._spare = self._spare_client = None
        self._restarts.pop(kernel_id, None)
        return await super().shutdown_kernel(kernel_id, now=now, restart=restart)

    # -- restarts counted --------------------------------------------------------------------------

    async def restart_kernel(self, kernel_id, now=False):
        """Jupyter's restart, counted (see :meth:`kernel_model`)."""
        result = await super().restart_kernel(kernel_id, now=now)
        self._restarts[kernel_id] = self._restarts.get(kernel_id, 0) + 1
        return result

    def kernel_model(self, kernel_id):
        """Jupyter's model of a kernel and how often it was restarted through the API.

        A page learns of a restart from the kernel's own ``starting`` status, which is often lost
        when the restart came from elsewhere (an administrator, the hub, the REST API): the server's
        new IOPub subscription is not up yet when the kernel sends it (ZMQ's slow joiner). The page
        also lists the kernels every few seconds, so the count there tells it what it missed.
        """
        model = super().kernel_model(kernel_id)
        model["crmtrain_restarts"] = self._restarts.get(kernel_id, 0)
        return model
