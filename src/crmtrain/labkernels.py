"""The kernels of a trainee's JupyterLab: forked from a warmed-up seed, restarts counted.

``crmtrain lab`` and the hub's single-user servers use :class:`TraineeKernelManager` (set as
``ServerApp.kernel_manager_class`` by :func:`crmtrain.lab.server_config`): Jupyter server's
own kernel manager. Their "python3" kernelspec (:func:`crmtrain.lab.kernel_spec`) launches each
kernel as a fork of a seed process that has ipykernel, ipywidgets and crmtrain's runtime
imported (:mod:`crmtrain.kernelfork`); the manager starts that seed as soon as a JupyterLab page
lists kernels (every open page does, every few seconds), so the first workbook opened does not
wait for its imports either. A server nobody has looked at starts none, and the culler stops it
again once no kernel is left and no page has looked for the culling timeout.

The manager also counts each kernel's restarts through the API in the kernel's model
(``crmtrain_restarts``), so a page that missed a restart from elsewhere learns of it from the
kernel list it fetches anyway (see :meth:`TraineeKernelManager.kernel_model`).

Nothing here imports crmtrain but kernelfork; jupyter_server is imported by the server that loads this.
"""

from __future__ import annotations

import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class TraineeKernelManager(AsyncMappingKernelManager):
    """Jupyter server's kernel manager: the kernels' seed started early, restarts counted."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._restarts: dict[str, int] = {}
        self._seeded = False
        self._listed = time.monotonic()

    def list_kernels(self):
        """Jupyter's list; a page asking means someone may open a workbook soon: the seed is started."""
        self._listed = time.monotonic()
        if not self._seeded:
            self._seeded = True
            self._start_seed()
            self.initialize_culler()  # Jupyter starts it with the first kernel; it is also what stops the seed
        return super().list_kernels()

    async def cull_kernels(self):
        """Jupyter's culling of idle kernels; then the seed too, once no kernel is left and no page has looked for a while."""
        await super().cull_kernels()
        quiet = time.monotonic() - self._listed > max(self.cull_idle_timeout, self.cull_interval)
        if self._seeded and quiet and not self._kernels:
            from . import kernelfork

            self._seeded = False
            if kernelfork.stop():
                self.log.info("The kernels' seed stopped: no kernel and no page for %s s", self.cull_idle_timeout)

    def _start_seed(self) -> None:
        from . import kernelfork

        try:
            spec = self.kernel_spec_manager.get_kernel_spec(self.default_kernel_name)
            if spec.metadata.get("kernel_provisioner", {}).get("provisioner_name") == kernelfork.NAME:
                kernelfork.prestart(spec.argv[0])
        except Exception as error:  # noqa: BLE001 - without a seed, kernels start the usual way
            self.log.warning("The kernels' seed was not started: %s", error)

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        """Jupyter's shutdown; the kernel's restart count goes with it."""
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
