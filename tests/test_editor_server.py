"""The regulation editor's server side: a specialist's edits load, check and save through a real
Jupyter server, and the file keeps its comments, order and untouched values.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crmtrain.editor import document, formschema, ids, problems
from crmtrain.lab import free_port
from crmtrain.samples import sample_path, template_path

HAND_WRITTEN = Path(__file__).parent / "fixtures" / "editor" / "hand-written.yaml"
TOKEN = "editor-test-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Jupyter server with the editor's extension, serving a folder of regulations."""
    root = tmp_path_factory.mktemp("served")
    port = free_port(0)
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "server", f"--ServerApp.root_dir={root}", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", "--ServerApp.open_browser=False", "--ServerApp.jpserver_extensions",
         "crmtrain.editor=True", "--allow-root"],
        env={**os.environ, "JUPYTER_TOKEN": TOKEN}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # ~4 s on a quiet machine; nbgrader's import alone took 5 s under load
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(proc.stderr.read().decode())
    yield url, root
    proc.terminate()
    proc.wait(10)


def call(url: str, route: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    """One request to the editor's API, as the browser makes it."""
    request = urllib.request.Request(f"{url}/crmtrain-editor/{route}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_the_specialist_opens_the_russian_sample_in_russian_and_it_has_no_problems(server):
    url, root = server
    (root / "regulation.yaml").write_text(sample_path("ru").read_text(encoding="utf-8"), encoding="utf-8")
    status, loaded = call(url, "regulation?path=regulation.yaml")
    assert status == 200
    assert loaded["lang"] == "ru" and loaded["words"]["save"] == "Сохранить"
    assert loaded["data"]["meta"]["company"] == "ООО «Теплострой Инжиниринг»"
    assert loaded["schema"]["properties"]["client_work"]["title"] == "3. Работа с клиентами"
    assert [p for p in loaded["problems"] if p["severity"] == "error"] == []


def test_an_edit_and_a_save_change_only_that_value_and_keep_the_comments(server):
    url, root = server
    before = HAND_WRITTEN.read_text(encoding="utf-8")
    (root / "mine.yaml").write_text(before, encoding="utf-8")
    _, loaded = call(url, "regulation?path=mine.yaml")
    data = loaded["data"]
    data["meta"]["company"] = "ООО «Окна Плюс»"
    data["questions"][0]["text"] = "Сколько рабочих минут на первый звонок по заявке с сайта?"
    status, saved = call(url, "regulation?path=mine.yaml", "PUT", {"data": data, "digest": loaded["digest"]})
    assert status == 200 and saved["changed"]
    after = (root / "mine.yaml").read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-  company: ООО Окна   # юрлицо, как в договоре",
        "+  company: ООО «Окна Плюс» # юрлицо, как в договоре",  # the comment moves right of a longer value
        "-  text: Через сколько рабочих минут звонить по заявке с сайта?",
        "+  text: Сколько рабочих минут на первый звонок по заявке с сайта?",
    ]


def test_a_save_over_a_file_changed_in_a_text_editor_is_refused_until_reloaded(server):
    url, root = server
    path = root / "both.yaml"
    path.write_text(HAND_WRITTEN.read_text(encoding="utf-8"), encoding="utf-8")
    _, loaded = call(url, "regulation?path=both.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("version: '1.0'", "version: '1.1'"), encoding="utf-8")
    assert call(url, "digest?path=both.yaml")[1]["digest"] != loaded["digest"]
    status, refused = call(url, "regulation?path=both.yaml", "PUT", {"data": loaded["data"], "digest": loaded["digest"]})
    assert status == 409 and "version: '1.1'" in path.read_text(encoding="utf-8")
    _, again = call(url, "regulation?path=both.yaml")
    assert again["digest"] == refused["digest"] and again["data"]["meta"]["version"] == "1.1"


def test_nothing_outside_the_served_folder_is_read(server, tmp_path):
    url, root = server
    (tmp_path / "outside.yaml").write_text("meta: {company: secret}\n", encoding="utf-8")
    (root / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    assert call(url, f"regulation?path=../{tmp_path.name}/outside.yaml")[0] == 403
    assert call(url, "regulation?path=link.yaml")[0] == 403
    status, body = call(url, "regulation?path=/etc/passwd")  # a path in the served folder, which has none
    assert status == 422 and "root:" not in json.dumps(body)


def test_a_file_that_is_not_yaml_says_where(server):
    url, root = server
    (root / "broken.yaml").write_text("meta:\n  company: [unclosed\n", encoding="utf-8")
    status, body = call(url, "regulation?path=broken.yaml")
    assert status == 422 and "broken.yaml:3:1" in body["error"]


def test_a_problem_is_reported_at_its_field_with_the_fix(server):
    data = document.plain(document.read(sample_path("en"))[1])
    data["questions"][0]["refs"][0] += "x"
    status, checked = call(server[0], "check", "POST", {"data": data})
    assert status == 200
    wrong = [p for p in checked["problems"] if p["severity"] == "error"]
    assert wrong == [{"pointer": "/questions/0/refs/0", "severity": "error", "fix": data["questions"][0]["refs"][0][:-1],
                      "message": f"unknown regulation item '{data['questions'][0]['refs'][0]}' "
                                 f"(did you mean '{data['questions'][0]['refs'][0][:-1]}'?)"}]


@pytest.mark.parametrize("edit, pointer, message", [
    (lambda d: d["meta"].pop("company"), "/meta/company", "required"),
    (lambda d: d["meta"].update(pass_mark=0), "/meta/pass_mark", "1"),
    (lambda d: d["order_processing"]["processes"][0]["steps"][1].update(next="nowhere"),
     "/order_processing/processes/0/steps/1/next", "'nowhere' does not exist"),
], ids=["missing", "out-of-range", "unknown-step"])
def test_problems_point_at_the_field(edit, pointer, message):
    data = document.plain(document.read(sample_path("en"))[1])
    edit(data)
    found = [p for p in problems.check_data(data) if p.severity == "error"]
    assert [p.pointer for p in found] == [pointer] and message in found[0].message


def test_a_russian_regulation_hears_its_problems_in_russian_with_the_fix():
    data = document.plain(document.read(sample_path("ru"))[1])
    data["questions"][0]["refs"][0] += "x"
    wrong = [p for p in problems.check_data(data) if p.severity == "error"]
    assert [(p.pointer, p.fix) for p in wrong] == [("/questions/0/refs/0", data["questions"][0]["refs"][0][:-1])]
    assert wrong[0].message.startswith("в регламенте нет пункта")


def test_ids_are_made_from_russian_titles_and_never_change_once_written():
    schema = formschema.raw_schema()
    data = {"order_processing": {"processes": [
        {"id": "priem", "title": "Приём заказа", "steps": [{"kind": "start", "label": "Звонок клиента"},
                                                           {"kind": "end", "label": "Звонок клиента"}]},
        {"title": "Приём заказа"}]}}
    assert ids.fill(data, schema) == [
        (("order_processing", "processes", 0, "steps", 0, "id"), "zvonok-klienta"),
        (("order_processing", "processes", 0, "steps", 1, "id"), "zvonok-klienta-2"),
        (("order_processing", "processes", 1, "id"), "priem-zakaza"),
    ]


def test_the_template_keeps_every_line_when_nothing_is_edited():
    text = template_path("ru").read_text(encoding="utf-8")
    doc = document.parse(text)
    same = document.update(doc, copy.deepcopy(document.plain(doc)), formschema.default_at)
    assert document.dump(same, text) == text


def test_a_new_item_gets_no_default_valued_keys_and_multiline_text_as_a_block():
    text = HAND_WRITTEN.read_text(encoding="utf-8")
    doc = document.parse(text)
    data = document.plain(doc)
    # In the order the form adds them: the id last, made from the text (written first all the same).
    data["questions"].append({"type": "true_false", "topic": "sales", "refs": ["t-web"], "pool": "core",
                              "text": "Первая строка.\nВторая строка.", "answer": True, "points": 1,
                              "tolerance": 0, "options": [], "id": "q-new"})
    out = document.dump(document.update(doc, data, formschema.default_at), text)
    assert out.endswith("- id: q-new\n  refs:\n  - t-web\n  topic: sales\n  type: true_false\n"
                        "  text: |\n    Первая строка.\n    Вторая строка.\n  answer: true\n")


def test_trying_a_case_slot_shows_one_trainees_case_and_grades_it_as_grading_will(kernel, tmp_path):
    import nbformat

    from crmtrain.editor import trial
    from crmtrain.notebooks.assessments import case_spec
    from crmtrain.regulation.loader import load
    from crmtrain.regulation.selection import select
    from crmtrain.rules import cases

    path = tmp_path / "regulation.yaml"
    path.write_text(sample_path("ru").read_text(encoding="utf-8"), encoding="utf-8")
    data = document.plain(document.parse(path.read_text(encoding="utf-8")))
    rel = trial.write_slot(path, tmp_path, data, "initial", {"id": "lead-case", "case": "lead", "points": 2})
    notebook = tmp_path / rel
    nb = nbformat.reads(notebook.read_text(encoding="utf-8"), as_version=4)
    setup, shown = nb.cells[1].source, nb.cells[2].source
    assert "trainee='example-" in setup and shown.startswith("test.case(")
    trainee = setup.split("trainee='")[1].split("'")[0]
    assert trainee in nb.cells[0].source and "как его получает" in nb.cells[0].source  # in the regulation's language

    k = kernel(notebook.parent)
    k.execute_notebook(nb)
    assert k.run("grade(); print(verdict.value)").startswith("Неверно или ещё нет ответа")  # nothing answered yet
    # The answer the trainee's widget saves: the key of the very case the kernel showed.
    case = k.eval("test.shown['lead-case']['case']")
    reg = load(path)
    plan = next(p for p in select(reg).slots["initial"] if p.id == "lead-case")
    key = cases.case_key("lead", case_spec(reg, plan), case)
    k.run(f"test.save('lead-case', {key!r})")
    assert k.run("grade(); print(verdict.value)").startswith("Верно: за этот ответ")
    wrong = next(c["id"] for c in case_spec(reg, plan)["classes"] if c["id"] != key)
    k.run(f"test.save('lead-case', {wrong!r})")
    assert k.run("grade(); print(verdict.value)").startswith("Неверно")
