"""The interchange formats as data: name, file suffixes, exporter and importer of each."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..i18n import N_
from ..errors import UserError
from ..regulation.models import Question
from .common import Result
from .gift import export_gift, import_gift
from .moodle_xml import export_xml, import_xml


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8 "
                        "(Moodle's importer takes UTF-8 only, too)") from None


def _text_writer(export: Callable[[tuple[Question, ...]], Result]) -> Callable[[tuple[Question, ...], Path], Result]:
    def write(questions: tuple[Question, ...], path: Path) -> Result:
        res = export(questions)
        path.write_text(res.text, encoding="utf-8")
        return res

    return write


def _text_reader(parse: Callable[[str, str], Result]) -> Callable[[Path], Result]:
    return lambda path: parse(_read_text(path), path.name)


def _export_qti(questions, path: Path) -> Result:
    from .qti import export_qti

    data, res = export_qti(questions)
    path.write_bytes(data)
    return res


def _export_sheet(questions, path: Path) -> Result:
    from .sheet import export_rows, write_sheet

    res = export_rows(questions)
    write_sheet(res.questions, path)
    return res


def _import_sheet(path: Path) -> Result:
    from .sheet import import_rows, read_rows

    return import_rows(read_rows(path), path.name)


def _export_bpmn(processes, path: Path) -> Result:
    from .bpmn_write import export_bpmn

    res = export_bpmn(processes)
    path.write_text(res.text, encoding="utf-8")
    return res


def _import_bpmn(path: Path) -> Result:
    from .bpmn_flatten import import_bpmn

    return import_bpmn(path.read_bytes(), path.name)


@dataclass(frozen=True)
class Format:
    """One interchange format: what it holds (the question bank, or the business processes) and how."""

    name: str
    suffixes: tuple[str, ...]
    write: Callable[[tuple, Path], Result]
    read: Callable[[Path], Result] | None  # None: export only
    title: str  # msgid where it is words
    holds: str = "questions"  # or "processes"


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("moodle-xml", (".xml",), _text_writer(export_xml), _text_reader(import_xml), "Moodle XML"),
    Format("gift", (".gift", ".txt"), _text_writer(export_gift), _text_reader(import_gift), "GIFT"),
    Format("xlsx", (".xlsx",), _export_sheet, _import_sheet, N_("Excel workbook, one row per question")),
    Format("csv", (".csv",), _export_sheet, _import_sheet, N_("CSV, one row per question")),
    Format("qti", (".zip",), _export_qti, None, N_("IMS QTI 2.1 content package")),
    Format("bpmn", (".bpmn",), _export_bpmn, _import_bpmn, N_("BPMN 2.0 with diagram"), holds="processes"),
)}


def by_suffix(path: Path) -> Format:
    """The format a file's suffix says (UserError listing the known suffixes if none)."""
    for fmt in FORMATS.values():
        if path.suffix.lower() in fmt.suffixes:
            return fmt
    known = ", ".join(s for f in FORMATS.values() for s in f.suffixes)
    raise UserError(f"{path}: cannot tell the format from '{path.suffix or 'no suffix'}'; "
                    f"use one of {known}, or --format {'|'.join(FORMATS)}")


def questions_yaml(questions: list[Question]) -> str:
    """Questions as the regulation's ``questions:`` list, ready to paste into the YAML file."""
    return _yaml({"questions": [q.model_dump(mode="json", exclude_defaults=True) for q in questions]})


def processes_yaml(processes: list[dict]) -> str:
    """Processes as the ``processes:`` list of the regulation's ``order_processing``, ready to paste."""
    return _yaml({"processes": processes})


def _not_a_string(text: str) -> bool:
    """Whether a YAML 1.1 reader (the regulation's) would take this plain scalar for something else."""
    import yaml

    from yaml.resolver import Resolver

    return Resolver().resolve(yaml.ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str"


def to_yaml(data: dict) -> str:
    """Data as the regulation's YAML: texts with line breaks as blocks, values a YAML 1.1 reader would
    take for something else quoted."""
    return _yaml(data)


def _yaml(data: dict) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

    def plain(value):
        if isinstance(value, str) and "\n" not in value and _not_a_string(value):
            return SingleQuotedScalarString(value)  # 'yes', 'no', '12': the regulation reads them as text
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value)
        return value

    data = plain(data)
    yaml = YAML()
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
