"""The company's own words: its CRM calls a lead «заявка», and so does every text crmtrain writes
for its trainees — workbooks, drills, assessments, the introduction — with the grammatical forms
Russian needs, made from the word or given by the regulation.
"""

from __future__ import annotations

import re

import pytest

from crmtrain.i18n import translation
from crmtrain.i18n.words import fill, word_forms
from crmtrain.notebooks.assessments import build_assessments
from crmtrain.notebooks.workbooks import build_workbooks
from crmtrain.regulation.loader import load
from crmtrain.samples import sample_path

LEAD_WORDS = re.compile(r"\bлид(ы|ов|ам|ами|ах|а|у|ом|е)?\b", re.IGNORECASE)
AS_ZAYAVKA = {"лиды": "заявки", "лидов": "заявок", "лидам": "заявкам", "лидами": "заявками", "лидах": "заявках",
              "лида": "заявки", "лиду": "заявке", "лидом": "заявкой", "лиде": "заявке", "лид": "заявка"}


@pytest.mark.parametrize("word, forms", [
    ("заявка", {"gen": "заявки", "dat": "заявке", "acc": "заявку", "ins": "заявкой", "many": "заявки",
                "many_gen": "заявок", "many_ins": "заявками", "gender": "f"}),
    ("задача", {"gen": "задачи", "ins": "задачей", "many_gen": "задач", "gender": "f"}),
    ("компания", {"gen": "компании", "dat": "компании", "acc": "компанию", "many_gen": "компаний", "gender": "f"}),
    ("контрагент", {"gen": "контрагента", "dat": "контрагенту", "ins": "контрагентом", "many": "контрагенты",
                    "many_gen": "контрагентов", "gender": "m"}),
    ("обращение", {"gen": "обращения", "ins": "обращением", "many": "обращения", "many_gen": "обращений", "gender": "n"}),
])
def test_russian_forms_are_made_from_the_word(word, forms):
    made = word_forms("ru", {"lead": {"one": word}})["lead"]
    assert {k: made[k] for k in forms} == forms


def test_a_form_the_regulation_gives_wins_and_placeholders_agree_with_the_gender():
    forms = word_forms("ru", {"client": {"one": "контрагент", "acc": "контрагента"}, "lead": {"one": "заявка"}})
    assert fill("позвонить {client:dat}, найти {client:acc}", forms) == "позвонить контрагенту, найти контрагента"
    assert fill("{lead:Новый/Новая/Новое} {lead}: нет {leads:gen}. {Leads}", forms) == "Новая заявка: нет заявок. Заявки"
    assert fill("{deal} и {task}", forms) == "сделка и задача"  # the language's usual words where none is given
    assert fill("{lead} and {leads}", word_forms("en", {"lead": {"one": "enquiry", "many": "enquiries"}})) == \
        "enquiry and enquiries"


def zayavka_regulation(tmp_path):
    """The Russian sample as a company whose CRM says «заявка»: its own texts say so too, and meta.words."""
    text = sample_path("ru").read_text(encoding="utf-8")
    text = LEAD_WORDS.sub(lambda m: _same_case(m.group(0), AS_ZAYAVKA[m.group(0).lower()]), text)
    text = text.replace("  pass_mark:", "  words:\n    lead: {one: заявка}\n  pass_mark:", 1)
    path = tmp_path / "regulation.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def _same_case(old: str, new: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def notebook_text(nb) -> str:
    return "\n".join(c.source for c in nb.cells)


def test_no_lead_is_left_where_the_company_says_zayavka(tmp_path):
    reg = zayavka_regulation(tmp_path)
    assert LEAD_WORDS.search(notebook_text(build_workbooks(load(sample_path("ru")))["03-client-work.ipynb"]))
    books = build_workbooks(reg)
    texts = {name: notebook_text(nb) for name, nb in books.items()}
    texts.update({name: notebook_text(nb) for name, nb in build_assessments(reg, "crm").items()})
    for name, text in texts.items():
        assert not LEAD_WORDS.search(text), (name, LEAD_WORDS.search(text).group(0),
                                             text[max(0, LEAD_WORDS.search(text).start() - 80):][:160])
    client_work = texts["03-client-work.ipynb"]
    assert "Тренажёр: определите класс заявки" in client_work
    assert "Ниже описана новая заявка. Определите её класс" in client_work
    assert "| заявка |" in client_work  # the tasks table: what a task is attached to
    assert "заявки" in texts["00-introduction.ipynb"]


def test_the_usual_words_stay_when_the_regulation_gives_none():
    tr = translation("ru")
    assert tr.gettext("Drill: classify the {lead}") == "Тренажёр: определите класс лида"
    assert translation("en").gettext("A new {lead}:") == "A new lead:"


@pytest.mark.kernel
def test_the_lead_drill_in_a_real_kernel_speaks_of_zayavki(kernel, tmp_path):
    reg = zayavka_regulation(tmp_path)
    nb = build_workbooks(reg)["03-client-work.ipynb"]
    k = kernel(tmp_path)
    k.execute_notebook(nb)
    i = k.eval("[d.kind for d in wb.drills].index('lead')")
    prompt = k.eval(f"wb.drills[{i}].prompt.value")
    assert "Новая заявка:" in prompt and "К какому классу она относится?" in prompt, prompt
    k.run(f"d = wb.drills[{i}]\nd.radio.value = d.key() or d.radio.options[0][1]\nd.check_button.click()")
    feedback = k.eval(f"wb.drills[{i}].feedback.value")
    assert feedback and not LEAD_WORDS.search(feedback + prompt), feedback
    j = k.eval("[d.kind for d in wb.drills].index('pipeline')")
    assert not LEAD_WORDS.search(k.eval(f"wb.drills[{j}].prompt.value"))


def test_the_graded_view_of_a_case_speaks_the_companys_words():
    """The specialist's graded view and the trainee's feedback show the case as the kernel did: «заявка»."""
    from crmtrain.grading.presentation.shown_slots import slot_outputs
    from crmtrain.notebooks.sections import drill_of

    reg = load(sample_path("ru"))
    _, spec = drill_of("lead", reg.client_work.lead_classification)
    slot = {"id": "lead-case", "kind": "lead", "spec": spec, "start": reg.meta.effective_date.isoformat()}
    meta = {"item": "lead-case", "slot": "case", "case": "lead", "course": "crm"}
    args = dict(course="crm", assessment="initial", trainee="ivanova", lang="ru")
    usual = "".join(str(o["data"]) for o in slot_outputs(meta, slot, None, None, **args))
    theirs = "".join(str(o["data"]) for o in slot_outputs(meta, slot, None, None, **args,
                                                          words={"lead": {"one": "заявка"}}))
    assert "Новый лид:" in usual
    assert "Новая заявка:" in theirs and "(любая заявка)" in theirs and "Новый лид:" not in theirs
    # Words read from a course's notes are data, never trusted: a malformed entry falls back to the usual word.
    odd = "".join(str(o["data"]) for o in slot_outputs(meta, slot, None, None, **args, words={"lead": ["заявка"]}))
    assert "Новый лид:" in odd
