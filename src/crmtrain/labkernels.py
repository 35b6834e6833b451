"""The kernels of a trainee's JupyterLab: one waiting, warmed up, for the next workbook opened.

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
        self._filling: asyncio.Task | None = None

    # -- the spare ----------------------------------------------------------------------------

    async def start_kernel(self, *, kernel_id=None, path=None, **kwargs):
        """A kernel for a session: the spare when it fits, else a new one."""
        name = kwargs.get("kernel_name") or self.default_kernel_name
        spare = self._take_spare(name) if kernel_id is None and path is not None else None
        if spare is not None:
            try:
                await self._move(spare, self.cwd_for_path(path), (kwargs.get("env") or {}).get("JPY_SESSION_NAME"))
                self.log.info("Kernel %s (the spare) handed out for %s", spare, path)
                self._fill_later(self.spare_delay)
                return spare
            except Exception as error:  # noqa: BLE001 - a broken spare is replaced, not fatal
                self.log.warning("The spare kernel %s could not be used (%s); starting a new one", spare, error)
                await self._shut_down_quietly(spare)
        kernel = await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        self._fill_later(self.spare_delay)
        return kernel

    def list_kernels(self):
        """Jupyter's list (the spare included); a page asking means someone may open a workbook soon."""
        self._fill_later(0)
        return super().list_kernels()

    async def _move(self, kernel_id: str, cwd: str, name: str | None) -> None:
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
        await self._execute(kernel_id, code)

    def _take_spare(self, name: str) -> str | None:
        spare, self._spare = self._spare, None
        if spare is None or spare not in self or self.get_kernel(spare).kernel_name != name:
            if spare is not None and spare in self:
                self._spare = spare  # another kernel asked for: keep this one for its own kind
            return None
        return spare

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
        kernel = None
        try:
            # An environment of its own, which _move can then give the notebook's name.
            kernel = await super().start_kernel(kernel_name=self.spare_kernel, env=dict(os.environ))
            await self._execute(kernel, WARM_UP)
        except Exception as error:  # noqa: BLE001 - no spare then; sessions start kernels as usual
            self.log.warning("No spare kernel: %s", error)
            if kernel is not None:
                await self._shut_down_quietly(kernel)
            return
        self._spare = kernel
        self.log.info("Spare kernel %s ready", kernel)

    async def _execute(self, kernel_id: str, code: str, timeout: float = 60) -> None:
        """Run ``code`` silently in the kernel (no history, no execution count); raise if it fails."""
        client = self.get_kernel(kernel_id).client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=timeout)
            reply = await client.execute_interactive(code, silent=True, store_history=False, timeout=timeout,
                                                     output_hook=lambda _msg: None)
        finally:
            client.stop_channels()
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
            self._spare = None
        return await super().shutdown_kernel(kernel_id, now=now, restart=restart)
