"""How soon the regulation editor shows an edit's problems: one check round trip, per sample.

Run: .venv/bin/python benchmarks/bench_editor.py [--repeat 40] [--browser]
Prints a markdown table for docs/benchmarks.md.

A real Jupyter server with the editor's extension (crmtrain.editor) is started once, as
``crmtrain edit`` starts it, and warmed up by one check. Then each sample regulation is sent
``--repeat`` times as the browser sends it after a keystroke: the whole regulation as JSON,
each time with one edit (a question's reference misspelt, so the check has a problem to place).
Measured: the wall time of the HTTP round trip (what the specialist waits for, besides the
editor's 80 ms pause after the last keystroke) and the server's own time for the check, ids,
diagrams and assessment plans. For comparison, the same edit checked the way the specialist
would without the editor: save the file and run ``crmtrain check`` (a new process).
With ``--browser``: the whole way in headless Chromium on ``crmtrain edit`` — a field emptied as
typing does, until its problem shows under it (the pause after the keystroke included).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from crmtrain.editor import document  # noqa: E402
from crmtrain.lab import free_port  # noqa: E402
from crmtrain.samples import SAMPLES, sample_path  # noqa: E402

TOKEN = "bench"


def start(root: Path) -> tuple[subprocess.Popen, str]:
    """A Jupyter server with the editor's extension, and its address."""
    port = free_port(0)
    env = {**os.environ, "JUPYTER_TOKEN": TOKEN, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-m", "jupyter", "server", f"--ServerApp.root_dir={root}",
                             f"--ServerApp.port={port}", "--ServerApp.open_browser=False", "--allow-root",
                             "--ServerApp.jpserver_extensions", "crmtrain.editor=True"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def check(url: str, data: dict) -> tuple[float, float, int]:
    """(round trip s, server ms, problems) of one check."""
    request = urllib.request.Request(f"{url}/crmtrain-editor/check", method="POST",
                                     data=json.dumps({"data": data}).encode(),
                                     headers={"Authorization": f"token {TOKEN}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as reply:
        body = json.loads(reply.read())
    return time.perf_counter() - started, body["ms"], len(body["problems"])


def cli_check(path: Path) -> float:
    """Wall time of ``crmtrain check FILE`` in a new process (its report cache off)."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "CRMTRAIN_CACHE_DIR": tempfile.mkdtemp()}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "crmtrain", "check", str(path)], env=env, capture_output=True)
    return time.perf_counter() - started


# In the page: empty a field as typing does, and wait until its problem shows under it; then
# type the value back and wait until the problem is gone. Returns the first wait in ms.
ROUND = """async ([id, value, around, error]) => {
  const input = document.getElementById(id);
  const group = input.closest(around);
  const set = v => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const until = async ok => { while (!ok()) { await new Promise(r => requestAnimationFrame(r)); } };
  const started = performance.now();
  set('');
  await until(() => group.querySelector(error));
  const shown = performance.now() - started;
  set(value);
  await until(() => !group.querySelector(error));
  return shown;
}"""


# (tab, field id, the element the problem shows in, the problem's selector): a form field, and a
# cell of a table (a contact rule's deadline) whose problem shows in the cell.
FIELDS = [("О регламенте", "root_company", ".form-group", ".error-detail"),
          ("3. Работа с клиентами", "root_contact_timing_rules_0_deadline", "td", ".crmtrain-editor-error")]


def browser(repeat: int) -> dict[str, list[float]]:
    """Edit → problem at the field, in ms, per field, in headless Chromium on ``crmtrain edit`` of the Russian sample."""
    sys.path.insert(0, str(SRC.parent / "tests" / "browser"))
    from harness import launch_browser, new_page
    from playwright.sync_api import sync_playwright

    from crmtrain.commands.edit import command

    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / "regulation.yaml"
        path.write_text(sample_path("ru").read_text(encoding="utf-8"), encoding="utf-8")
        cmd = command(path, open_browser=False, state_dir=Path(root) / ".state")
        proc = subprocess.Popen(cmd.argv, env={**cmd.env, "PYTHONPATH": str(SRC)}, cwd=root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with sync_playwright() as pw:
                chromium = launch_browser(pw)
                page = new_page(chromium, 1400, 1000)
                for _ in range(600):
                    try:
                        page.goto(f"{cmd.url}&token={cmd.token}")
                        break
                    except Exception:  # noqa: BLE001 - not listening yet
                        time.sleep(0.2)
                page.wait_for_selector("#root_company")
                page.wait_for_timeout(1000)
                times = {}
                for tab, field, around, error in FIELDS:
                    page.get_by_role("tab", name=tab).click()
                    value = page.input_value(f"#{field}")
                    times[field] = [page.evaluate(ROUND, [field, value, around, error]) for _ in range(repeat)]
                chromium.close()
        finally:
            proc.terminate()
            proc.wait(10)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--browser", action="store_true", help="also: edit to problem at the field, in Chromium")
    args = parser.parse_args()
    if args.browser:
        for field, shown in browser(args.repeat).items():
            print(f"load average {os.getloadavg()[0]:.1f}: edit -> problem at {field}, Russian sample, "
                  f"{len(shown)} edits: median {statistics.median(shown):.0f} ms, slowest {max(shown):.0f} ms "
                  "(includes the editor's pause after the last keystroke)\n")
    with tempfile.TemporaryDirectory() as root:
        proc, url = start(Path(root))
        try:
            rows = []
            for name in SAMPLES:
                data = document.plain(document.read(sample_path(name))[1])
                check(url, data)  # warm: the first check of a process builds pydantic's validators
                walls, servers = [], []
                for i in range(args.repeat):
                    edited = json.loads(json.dumps(data))
                    edited["questions"][i % len(edited["questions"])]["refs"][0] += "x"
                    wall, ms, found = check(url, edited)
                    walls.append(wall)
                    servers.append(ms)
                    assert found >= 1
                path = Path(root) / f"{name}.yaml"
                path.write_text(sample_path(name).read_text(encoding="utf-8"), encoding="utf-8")
                cli = statistics.median(cli_check(path) for _ in range(3))
                size = len(sample_path(name).read_text(encoding="utf-8").splitlines())
                rows.append((name, size, statistics.median(walls), max(walls), statistics.median(servers), cli))
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"load average {os.getloadavg()[0]:.1f}, {args.repeat} edits per sample\n")
    print("| sample | lines | round trip, median | round trip, slowest | server's check, median | `crmtrain check` (new process) | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, size, median, worst, server, cli in rows:
        print(f"| {name} | {size:,} | {median * 1000:.0f} ms | {worst * 1000:.0f} ms | {server:.0f} ms | "
              f"{cli * 1000:.0f} ms | {cli / median:.1f}× |")


if __name__ == "__main__":
    main()
