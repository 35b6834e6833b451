"""Trainees' kernels forked from a warmed-up seed (crmtrain.kernelseed, crmtrain.kernelfork).

A fork keeps what the seed made: a widget made in the seed would have no comm in the kernels,
and a thread would not be there at all. So the seed's imports must make neither; and a kernel
that asks for another interpreter set-up than the seed's is started the usual way.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from crmtrain import kernelfork, kernelseed, lab

REPO = Path(__file__).resolve().parents[1]


def test_the_seeds_imports_make_no_widget_and_start_no_thread():
    code = ("import threading, importlib, ipywidgets.widgets.widget as w\n"
            f"for name in {kernelseed.WARM!r}: importlib.import_module(name)\n"
            "print(len(w._instances), threading.active_count())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "1"]


def test_the_kernelspec_names_the_provisioner_pyproject_registers():
    registered = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["entry-points"][
        "jupyter_client.kernel_provisioners"]
    assert registered == {kernelfork.NAME: "crmtrain.kernelfork:ForkingProvisioner"}
    assert lab.kernel_spec()["metadata"]["kernel_provisioner"]["provisioner_name"] == kernelfork.NAME


def start_two_kernels(tmp_path: Path, other_env: dict[str, str], serving: bool = True) -> tuple[list[str], int]:
    """Start a kernel as a trainee's server would (``serving``) or any client, and one with ``other_env`` added; what runs them."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    (tmp_path / "kernels" / "python3").mkdir(parents=True)
    (tmp_path / "kernels" / "python3" / "kernel.json").write_text(json.dumps(lab.kernel_spec()))
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])

    async def run() -> tuple[list[str], int]:
        if serving:
            kernelfork.prestart()  # what the trainees' kernel manager does when a page lists kernels
        kinds, seed_pid = [], 0
        for extra in ({}, other_env):
            manager = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=specs)
            await manager.start_kernel(cwd=str(tmp_path), env={**os.environ, **extra})
            client = manager.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=60)
                kinds.append(type(manager.provisioner.process).__name__)
                seed = kernelfork.Seed._seeds.get((sys.executable, asyncio.get_running_loop()))
                seed_pid = seed_pid or (seed.process.pid if seed else 0)
            finally:
                client.stop_channels()
                await manager.shutdown_kernel(now=True)
        return kinds, seed_pid

    # In a thread of its own: another test of this worker may have left an event loop running here.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, run()).result()


@pytest.mark.kernel
def test_a_kernel_is_forked_unless_it_wants_another_interpreter_set_up(tmp_path):
    kinds, seed = start_two_kernels(tmp_path, {"PYTHONPATH": str(tmp_path)})
    assert kinds == ["ForkedKernel", "Popen"]
    assert seed


@pytest.mark.kernel
def test_kernels_started_outside_a_trainees_server_are_not_forked(tmp_path):
    # nbgrader's autograde and nbclient may find the same kernelspec: no seed, so none left behind.
    kinds, seed = start_two_kernels(tmp_path, {}, serving=False)
    assert kinds == ["Popen", "Popen"]
    assert not seed
