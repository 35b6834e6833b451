"""The company's own words for the CRM's objects (its CRM may call a lead «заявка»).

Messages name a lead, client, deal or task by a placeholder that the translation fills in
with the word the regulation gives (``meta.words``) or the language's usual one:

* ``{lead}`` the word, ``{leads}`` its plural; ``{Lead}``, ``{Leads}`` capitalized;
* ``{lead:gen}``, ``{leads:ins}``: a grammatical case (``gen``, ``dat``, ``acc``, ``ins``,
  ``prep``; English has none and uses the plain form);
* ``{lead:новый/новая/новое}``: the word that agrees with its gender (masculine/feminine/neuter).

Forms the regulation leaves out are made from the ones it gives by the language's regular
endings. Standard library only: trainee kernels fill their drills' texts with it.
"""

from __future__ import annotations

import re

WORDS = ("lead", "client", "deal", "task")
CASES = ("gen", "dat", "acc", "ins", "prep")
# Every form a regulation may give; "many_" forms are the plural's.
FORMS = ("one", "many", *CASES, *(f"many_{c}" for c in CASES), "gender")

_RU = {
    # In CRM speech a lead is a person: «позвонить лиду», «получить другого лида».
    "lead": ("лид", "лида", "лиду", "лида", "лидом", "лиде", "лиды", "лидов", "лидам", "лидов", "лидами", "лидах", "m"),
    "client": ("клиент", "клиента", "клиенту", "клиента", "клиентом", "клиенте",
               "клиенты", "клиентов", "клиентам", "клиентов", "клиентами", "клиентах", "m"),
    "deal": ("сделка", "сделки", "сделке", "сделку", "сделкой", "сделке",
             "сделки", "сделок", "сделкам", "сделки", "сделками", "сделках", "f"),
    "task": ("задача", "задачи", "задаче", "задачу", "задачей", "задаче",
             "задачи", "задач", "задачам", "задачи", "задачами", "задачах", "f"),
}
_ORDER = ("one", *CASES, "many", *(f"many_{c}" for c in CASES), "gender")
DEFAULTS = {
    "en": {w: {"one": w, "many": w + "s", "gender": "n"} for w in WORDS},
    "ru": {w: dict(zip(_ORDER, forms)) for w, forms in _RU.items()},
}

_PLACEHOLDER = re.compile(r"\{(lead|client|deal|task|Lead|Client|Deal|Task)(s?)(?::([^{}]+))?\}")


def _ru_forms(one: str) -> dict[str, str]:
    """Regular Russian forms of a noun from its nominative (override any the rule gets wrong)."""
    w = one.strip()
    low = w.lower()
    if low.endswith(("а", "я")):
        stem, soft = w[:-1], low.endswith("я")
        i = "и" if soft or stem[-1:].lower() in "гкхжчшщ" else "ы"
        many_gen = stem + ("й" if stem[-1:].lower() in "аеиоуыэюя" else "ь") if soft else \
            (stem[:-1] + "о" + stem[-1] if len(stem) > 1 and stem[-1] == "к" and stem[-2].lower() not in "аеиоуыэюяй"
             else stem)
        return {"gen": stem + i, "dat": stem + ("и" if low.endswith("ия") else "е"), "acc": stem + ("ю" if soft else "у"),
                "ins": stem + ("ей" if soft or stem[-1:].lower() in "жчшщц" else "ой"),
                "prep": stem + ("и" if low.endswith("ия") else "е"), "many": stem + i, "many_gen": many_gen,
                "many_dat": stem + ("ям" if soft else "ам"), "many_acc": stem + i, "many_ins": stem + ("ями" if soft else "ами"),
                "many_prep": stem + ("ях" if soft else "ах"), "gender": "f"}
    if low.endswith(("ие", "ье")):
        stem = w[:-1]
        return {"gen": stem + "я", "dat": stem + "ю", "acc": w, "ins": stem + "ем", "prep": stem + "и",
                "many": stem + "я", "many_gen": stem[:-1] + "ий", "many_dat": stem + "ям", "many_acc": stem + "я",
                "many_ins": stem + "ями", "many_prep": stem + "ях", "gender": "n"}
    if low.endswith(("о", "е")):
        stem = w[:-1]
        return {"gen": stem + "а", "dat": stem + "у", "acc": w, "ins": stem + "ом", "prep": stem + "е",
                "many": stem + "а", "many_gen": stem, "many_dat": stem + "ам", "many_acc": stem + "а",
                "many_ins": stem + "ами", "many_prep": stem + "ах", "gender": "n"}
    stem = w[:-1] if low.endswith(("й", "ь")) else w
    soft = low.endswith(("й", "ь"))
    i = "и" if soft or low[-1:] in "гкхжчшщ" else "ы"
    return {"gen": stem + ("я" if soft else "а"), "dat": stem + ("ю" if soft else "у"), "acc": w,
            "ins": stem + ("ем" if soft or low[-1:] in "жчшщц" else "ом"), "prep": stem + "е", "many": stem + i,
            "many_gen": stem + ("ей" if low.endswith("ь") or low[-1:] in "жчшщ" else "ев" if soft else "ов"),
            "many_dat": stem + ("ям" if soft else "ам"), "many_acc": stem + i, "many_ins": stem + ("ями" if soft else "ами"),
            "many_prep": stem + ("ях" if soft else "ах"), "gender": "m"}


def word_forms(lang: str, given: dict | None = None) -> dict[str, dict[str, str]]:
    """Every form of every word: the regulation's, else made from its ``one``, else the language's usual word."""
    out = {}
    for word in WORDS:
        raw = given.get(word) if isinstance(given, dict) else None
        # Read from a course's notes too: anything but text is left out rather than trusted.
        own = {k: v for k, v in raw.items() if isinstance(v, str) and v} if isinstance(raw, dict) else {}
        if "one" not in own:
            out[word] = dict(DEFAULTS.get(lang, DEFAULTS["en"])[word])
            continue
        made = _ru_forms(own["one"]) if lang == "ru" else {"many": own["one"] + "s", "gender": "n"}
        out[word] = {**made, **own}
    return out


def fill(text: str, forms: dict[str, dict[str, str]]) -> str:
    """``text`` with every word placeholder replaced by its form."""
    if "{" not in text:
        return text

    def one(m: re.Match) -> str:
        name, plural, spec = m.group(1), m.group(2), m.group(3)
        f = forms[name.lower()]
        if spec and "/" in spec:  # agreement: masculine/feminine/neuter
            choices = spec.split("/")
            pick = {"m": 0, "f": 1, "n": 2}.get(f.get("gender", "m"), 0)
            return choices[min(pick, len(choices) - 1)]
        key = ("many" if plural else "one") if not spec else (f"many_{spec}" if plural else spec)
        word = f.get(key) or f.get("many" if plural else "one", name)
        return word[:1].upper() + word[1:] if name[0].isupper() else word

    return _PLACEHOLDER.sub(one, text)
