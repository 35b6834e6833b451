"""An editor validates the regulation as it is typed: the JSON Schema ``crmtrain schema`` prints."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from crmtrain.cli import main
from crmtrain.regulation.schema import as_json_data, schema_text
from crmtrain.regulation.formats.yamlread import read
from crmtrain.samples import SAMPLES, sample_path, template_path


def yaml_data(path):
    return as_json_data(read(path)[0])  # the data crmtrain itself reads


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schema_command_prints_the_schema(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$schema"].endswith("2020-12/schema")
    assert set(printed["required"]) == {"meta", "summary", "order_processing", "client_work", "questions", "assessments"}
    assert printed == json.loads(schema_text())


def test_schema_is_byte_stable():
    assert schema_text() == schema_text()


@pytest.mark.parametrize("path", [*map(sample_path, SAMPLES), template_path("en"), template_path("ru")],
                         ids=[*(f"sample-{n}" for n in SAMPLES), "template-en", "template-ru"])
def test_schema_accepts_every_shipped_regulation(validator, path):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(yaml_data(path))]
    assert errors == []


def _set(data, path, value):
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


@pytest.mark.parametrize("path, value, expected", [
    (["meta", "pass_mark"], 120, "120 is greater than the maximum of 100"),
    (["meta", "language"], "de", "'de' is not one of ['ru', 'en']"),
    (["meta", "effective_date"], "11 January", "is not a 'date'"),
    (["client_work", "pipeline", "transitions", 0, "form"], "new", "Additional properties are not allowed ('form' was unexpected)"),
    (["client_work", "contact_timing", "calendar", "opens"], "9am", "does not match"),
    (["order_processing", "processes", 0, "steps", 1, "kind"], "task", "'task' is not one of"),
    (["questions", 3, "id"], "has space", "does not match"),
    (["questions", 0, "points"], "two", "'two' is not of type 'integer'"),
], ids=["pass-mark", "language", "date", "typo-key", "time", "step-kind", "question-id", "points"])
def test_schema_rejects_a_malformed_regulation_at_the_right_path(validator, path, value, expected):
    data = copy.deepcopy(yaml_data(sample_path("en")))
    _set(data, path, value)
    errors = list(validator.iter_errors(data))
    assert errors, "the malformed regulation was accepted"
    # The error sits at the broken field (or at the object holding an unexpected key).
    where = path[:-1] if "Additional properties" in expected else path
    assert any(list(e.absolute_path) == where and expected in e.message for e in errors), \
        [(list(e.absolute_path), e.message) for e in errors]


def test_init_writes_the_schema_and_the_modeline(tmp_path, validator):
    assert main(["init", str(tmp_path)]) == 0
    text = (tmp_path / "regulation.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=regulation.schema.json"
    assert (tmp_path / "regulation.schema.json").read_text(encoding="utf-8") == schema_text()
    assert not list(validator.iter_errors(yaml_data(tmp_path / "regulation.yaml")))


def test_schema_out_writes_a_file(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path / "s.json")]) == 0
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == schema_text()
    assert "yaml-language-server: $schema=s.json" in capsys.readouterr().out


def _properties(schema: dict):
    for name, model in schema["$defs"].items():
        for field, prop in model.get("properties", {}).items():
            yield f"{name}.{field}", prop


def test_every_field_has_hover_help_in_english_and_in_russian(tmp_path, capsys):
    import re

    from crmtrain.cli import main

    assert main(["schema", "--lang", "ru"]) == 0
    ru = json.loads(capsys.readouterr().out)
    assert main(["schema", "--lang", "en"]) == 0
    en = json.loads(capsys.readouterr().out)
    assert [f for f, p in _properties(en) if not p.get("description")] == []
    assert [f for f, p in _properties(ru) if not re.search("[а-яё]", p.get("description", ""))] == []
    said = dict(_properties(ru))
    assert said["Meta.company"]["description"] == "название компании, как на титульном листе документа"
    assert said["Calendar.opens"]["description"] == "когда начинается рабочий день, вида \"09:00\" (в кавычках)"
    # The Russian schema keeps no English: pydantic's titles (made from the keys) are left out.
    assert "title" not in said["Meta.company"] and en["$defs"]["Meta"]["properties"]["company"]["title"] == "Company"


def test_init_writes_the_schema_in_the_regulations_language(tmp_path):
    from crmtrain.cli import main

    assert main(["init", str(tmp_path / "ru"), "--lang", "ru"]) == 0
    schema = json.loads((tmp_path / "ru" / "regulation.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["Meta"]["properties"]["crm"]["description"] == "CRM-система: Битрикс24, amoCRM, HubSpot..."
