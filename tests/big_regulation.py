"""A regulation with diagrams larger than any sample's, for the flowchart tests.

The sample regulation (English or Russian) plus a 25-step complaint process with two 5-way
decisions and three loops back, and a second deal pipeline of 15 statuses with 33
transitions, most of them labelled with the fields they require. Labels are deliberately
of every length, up to a sentence, as specialists write them.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "crmtrain" / "samples"

# (id, kind, English label, Russian label, next or branches [(en, ru, target)])
_STEPS = [
    ("arrives", "start", "A complaint arrives", "Поступила претензия", "register"),
    ("register", "action", "Register the complaint in the CRM and attach the client's letter",
     "Зарегистрировать претензию в CRM и приложить письмо клиента", "check-order"),
    ("check-order", "action", "Check the order and the delivery documents",
     "Проверить заказ и отгрузочные документы", "what-about"),
    ("what-about", "decision", "What is the complaint about?", "О чём претензия?", [
        ("Quality", "Качество", "quality"), ("Quantity", "Количество", "quantity"),
        ("Damage in transit", "Повреждение при перевозке", "damage"),
        ("Late delivery", "Срок поставки", "late"), ("Wrong documents", "Ошибка в документах", "documents")]),
    ("quality", "action", "Send the sample to the quality engineer", "Передать образец инженеру по качеству", "evidence"),
    ("quantity", "action", "Compare the delivery note with the warehouse's shipment record",
     "Сверить накладную с данными склада об отгрузке", "evidence"),
    ("damage", "action", "Open a claim with the carrier", "Открыть претензию к перевозчику", "evidence"),
    ("late", "action", "Ask logistics for the delivery timeline", "Запросить у логистики хронологию доставки", "evidence"),
    ("documents", "action", "Ask the accountant to check the invoice and the UPD",
     "Попросить бухгалтера проверить счёт и УПД", "evidence"),
    ("evidence", "action", "Collect the evidence: photos, acts, the shipment's documents",
     "Собрать доказательства: фото, акты, документы отгрузки", "complete"),
    ("complete", "decision", "Is the evidence complete?", "Доказательств достаточно?", [
        ("Yes", "Да", "wants"), ("No", "Нет", "ask-more")]),
    ("ask-more", "action", "Ask the client for the missing documents", "Запросить у клиента недостающие документы",
     "evidence"),
    ("wants", "decision", "What does the client want?", "Чего хочет клиент?", [
        ("Replacement", "Замена", "replace"), ("Refund", "Возврат денег", "refund"),
        ("A discount on the next order", "Скидка на следующий заказ", "discount"),
        ("Repair on site", "Ремонт на объекте", "repair"), ("Only an apology", "Только извинения", "apology")]),
    ("replace", "action", "Reserve a replacement in the warehouse", "Зарезервировать замену на складе", "agree"),
    ("refund", "action", "Prepare the refund request for the accountant", "Подготовить заявку на возврат для бухгалтерии",
     "agree"),
    ("discount", "action", "Calculate the discount within the manager's limit",
     "Рассчитать скидку в пределах лимита менеджера", "agree"),
    ("repair", "action", "Book a service engineer's visit", "Записать выезд сервисного инженера", "agree"),
    ("apology", "action", "Write the apology letter from the template", "Написать письмо с извинениями по шаблону",
     "agree"),
    ("agree", "action", "Agree the solution with the head of sales", "Согласовать решение с руководителем отдела продаж",
     "approved"),
    ("approved", "decision", "Does the head of sales approve the solution?", "Руководитель одобрил решение?", [
        ("Yes", "Да", "inform"), ("No, choose another solution", "Нет, выбрать другое решение", "wants")]),
    ("inform", "action", "Inform the client of the decision in writing", "Письменно сообщить клиенту о решении",
     "satisfied"),
    ("satisfied", "decision", "Is the client satisfied?", "Клиент удовлетворён?", [
        ("Yes", "Да", "close"), ("No", "Нет", "agree")]),
    ("close", "action", "Close the complaint in the CRM with the outcome", "Закрыть претензию в CRM с указанием итога",
     "lessons"),
    ("lessons", "action", "Record the cause and the lessons for the monthly review",
     "Записать причину и выводы для ежемесячного разбора", "done"),
    ("done", "end", "The complaint is closed", "Претензия закрыта", None),
]

_STATUSES = [  # (id, English, Russian); the last two are final
    ("new", "New", "Новая"), ("qualified", "Qualified", "Квалифицирована"),
    ("needs", "Needs analysis", "Анализ потребностей"), ("survey", "Site survey", "Выезд на объект"),
    ("design", "Technical design", "Техническое решение"), ("proposal", "Proposal sent", "КП отправлено"),
    ("negotiation", "Negotiation", "Переговоры"), ("legal", "Legal review of the contract", "Юридическая проверка договора"),
    ("signed", "Contract signed", "Договор подписан"), ("invoiced", "Invoice issued", "Счёт выставлен"),
    ("prepaid", "Prepayment received", "Предоплата получена"), ("production", "In production", "В производстве"),
    ("installation", "Shipment and installation", "Отгрузка и монтаж"),
    ("won", "Won", "Успешно реализована"), ("lost", "Lost", "Закрыта и не реализована"),
]
_FIELDS = [  # (id, English, Russian)
    ("budget", "Budget", "Бюджет"), ("decision_maker", "Decision maker", "ЛПР"),
    ("needs", "Needs questionnaire", "Анкета потребностей"), ("address", "Site address", "Адрес объекта"),
    ("design", "Design file", "Файл проекта"), ("proposal", "Proposal file", "Файл КП"),
    ("draft", "Contract draft", "Проект договора"), ("lawyer", "Lawyer's approval", "Виза юриста"),
    ("contract", "Signed contract", "Подписанный договор"), ("invoice", "Invoice number", "Номер счёта"),
    ("payment", "Payment date", "Дата оплаты"), ("order", "Production order", "Заказ в производство"),
    ("act", "Acceptance act", "Акт приёмки"), ("loss", "Loss reason", "Причина отказа"),
]
_FORWARD = ["budget,decision_maker", "needs", "address", "design", "proposal", "", "draft,lawyer", "contract",
            "invoice", "payment", "order", "", "act"]  # what each status needs before the next
_OTHER = [("qualified", "proposal", "proposal"), ("needs", "proposal", "proposal"), ("survey", "proposal", "proposal"),
          ("negotiation", "proposal", "proposal"), ("legal", "negotiation", ""), ("signed", "negotiation", "draft"),
          ("invoiced", "negotiation", ""), ("prepaid", "invoiced", ""), ("design", "survey", "address"),
          ("negotiation", "signed", "contract")]


def process(lang: str) -> dict:
    """The 25-step complaint process in ``lang`` ('en' or 'ru')."""
    text = 2 if lang == "en" else 3
    steps = []
    for row in _STEPS:
        step = {"id": row[0], "kind": row[1], "label": row[text]}
        if row[1] in ("action", "decision"):
            step["role"] = "Sales manager" if lang == "en" else "Менеджер по продажам"
            step["instructions"] = ("In the CRM: *Complaints* → the complaint's card." if lang == "en"
                                    else "В CRM: *Претензии* → карточка претензии.")
        if isinstance(row[4], list):
            step["branches"] = [{"label": b[text - 2], "next": b[2]} for b in row[4]]
        elif row[4]:
            step["next"] = row[4]
        steps.append(step)
    title = "Complaints: the full procedure" if lang == "en" else "Претензии: полная процедура"
    return {"id": "complaint-full", "title": title, "description": title + ".", "steps": steps}


def pipeline(lang: str) -> dict:
    """A 15-status pipeline with 33 transitions in ``lang``."""
    text = 1 if lang == "en" else 2
    ids = [s[0] for s in _STATUSES]
    statuses = [{"id": s[0], "name": s[text], "description": s[text] + ".", **({"terminal": True} if s[0] in ("won", "lost") else {})}
                for s in _STATUSES]
    moves = [(ids[i], ids[i + 1], need) for i, need in enumerate(_FORWARD)]
    moves += [(source, "lost", "loss") for source in ids[:10]]
    moves += _OTHER
    transitions = [{"from": a, "to": b, "requires": [f for f in need.split(",") if f]} for a, b, need in moves]
    title = "Project deals: fifteen statuses" if lang == "en" else "Проектные сделки: пятнадцать статусов"
    return {"id": "projects", "title": title, "body": title + ".", "initial": "new",
            "fields": [{"id": f[0], "label": f[text]} for f in _FIELDS],
            "statuses": statuses, "transitions": transitions}


def regulation(lang: str) -> dict:
    """The sample regulation in ``lang`` with the big process and pipeline added."""
    data = yaml.safe_load((SAMPLES / f"regulation.{lang}.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["order_processing"]["processes"].append(process(lang))
    work = data["client_work"]
    work["pipelines"] = [work.pop("pipeline"), pipeline(lang)]
    return data


def write(folder: Path, lang: str) -> Path:
    """Write the big regulation for ``lang`` into ``folder``; its path."""
    path = folder / f"big.{lang}.yaml"
    path.write_text(yaml.safe_dump(regulation(lang), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
