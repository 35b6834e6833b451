"""What "My training" shows: the workbooks with their progress, the assessments with their state.

Everything is read from what the trainee's server can see: the notebooks under its root
(their ``metadata.crmtrain``: title, language, number of questions), the runtime's progress
files beside them (``.<name>.progress.json``), and the exchange through nbgrader's own
Assignment List code, plus the title and due date each release publishes
(``<exchange>/<course>/schedule/``), the trainee's own due dates (``~/.crmtrain-dates.json``,
which the hub writes for them alone: their start, their earlier submission, a moved date), and
the day's reminder the hub puts in the home (``~/.crmtrain-reminder.json``: the same sections
as the email of ``crmtrain remind``). Words
come from crmtrain's catalogs in the notebooks' language; the JavaScript side only draws.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import zoneinfo
from pathlib import Path
from typing import Any

from ..i18n import translation
from .exchange import Exchange

log = logging.getLogger(__name__)
ACTIONS = ("fetch", "submit", "feedback")
STATES = ("open", "to_submit", "submitted", "graded", "feedback")


class Training:
    """One trainee's training, as seen from their Jupyter server's root folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self._meta: dict[Path, tuple[int, dict]] = {}
        self.exchange = Exchange(self.root)  # nbgrader's work, in a process of its own

    # --- the notebooks ----------------------------------------------------------------------

    def notebooks(self) -> list[tuple[Path, dict]]:
        """crmtrain's notebooks in the root and one folder down (workbooks/, a fetched assessment), sorted."""
        found = []
        for path in sorted([*self.root.glob("*.ipynb"), *self.root.glob("*/*.ipynb")]):
            if any(part.startswith(".") for part in path.relative_to(self.root).parts):
                continue
            meta = self._metadata(path)
            if meta:
                found.append((path, meta))
        return found

    def _metadata(self, path: Path) -> dict:
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            return {}
        cached = self._meta.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("crmtrain")
        except (OSError, ValueError, AttributeError):
            meta = None
        meta = meta if isinstance(meta, dict) else {}
        self._meta[path] = (stamp, meta)
        return meta

    def language(self) -> str:
        langs = [m.get("lang") for _p, m in self.notebooks() if m.get("lang")]
        return langs[0] if langs and langs[0] in ("en", "ru") else "en"

    def workbooks(self, tr) -> list[dict]:
        """Each workbook (not an assessment) with its title and how far the trainee got."""
        _, out = tr.gettext, []
        for path, meta in self.notebooks():
            if meta.get("assessment"):
                continue
            total = meta.get("questions") if isinstance(meta.get("questions"), int) else 0
            answered, right = progress(path.parent / f".{meta.get('notebook') or path.stem}.progress.json")
            answered, right = min(answered, total), min(right, total)
            if not total:
                text = _("Read it through")
            elif not answered:
                text = tr.ngettext("Not started: {total} question", "Not started: {total} questions", total).format(
                    total=total)
            else:
                text = tr.ngettext("{answered} of {total} question answered, {right} right",
                                   "{answered} of {total} questions answered, {right} right", total).format(
                    answered=answered, total=total, right=right)
            out.append({"path": path.relative_to(self.root).as_posix(), "title": str(meta.get("title") or path.stem),
                        "progress": text, "done": answered / total if total else None})
        return out

    # --- the assessments --------------------------------------------------------------------

    def assessments(self, _, now: dt.datetime | None = None) -> list[dict]:
        """Each assessment released to this trainee, with its state, due date and what can be done."""
        from ..grading.verbs.trainee import configured

        if not configured(self.root):
            return []  # workbooks only (`crmtrain lab` on a folder): no course, no assessments, no nbgrader
        state = self.exchange.state()
        listing, schedules, for_me = state["listing"], state["schedules"], {tuple(p) for p in state["for_me"]}
        grouped: dict[tuple[str, str], dict[str, Any]] = {}
        for entry in listing:
            key = (str(entry.get("course_id")), str(entry.get("assignment_id")))
            slot = grouped.setdefault(key, {})
            slot["submitted" if entry.get("status") == "submitted" else "released"] = entry
        now = now or dt.datetime.now(dt.timezone.utc)
        own = self.own_dates()
        mine = {(own.get("course"), a): d for a, d in (own.get("assessments") or {}).items() if isinstance(d, dict)}
        return [self._assessment(c, a, parts, {**schedules[c].get(a, {}), **_own(mine.get((c, a)), own)}, _, now)
                for (c, a), parts in sorted(grouped.items())
                if (c, a) in for_me]  # a re-test is for those who learned the old version

    def own_dates(self) -> dict:
        """The trainee's own dates (``~/.crmtrain-dates.json``, placed by the hub as the trainee), else {}.

        Only this trainee's: the exchange, which every trainee reads, has only everybody's dates.
        """
        try:
            data = json.loads((self.root / ".crmtrain-dates.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _assessment(self, course: str, name: str, parts: dict, schedule: dict, _, now: dt.datetime) -> dict:
        released, submitted = parts.get("released") or {}, parts.get("submitted") or {}
        fetched = [nb["path"] for nb in released.get("notebooks", ()) if released.get("status") == "fetched"]
        subs = submitted.get("submissions") or []
        last = subs[-1] if subs else {}
        if last and last.get("has_exchange_feedback"):
            state = "feedback" if last.get("has_local_feedback") and not last.get("feedback_updated") else "graded"
        elif last:
            state = "submitted"
        else:
            state = "to_submit" if fetched else "open"
        due = _due(schedule)
        late = due is not None and now > due and state in ("open", "to_submit")
        texts = {"open": _("Open: start it when you are ready"), "to_submit": _("To be submitted"),
                 "submitted": _("Submitted: waiting to be graded"), "graded": _("Graded: your result is ready"),
                 "feedback": _("Feedback ready")}
        actions = []
        if state == "open":
            actions.append({"action": "fetch", "label": _("Start")})
        if fetched and state in ("to_submit", "submitted"):
            actions.append({"action": "open", "label": _("Continue") if state == "to_submit" else _("Look at it"),
                            "path": fetched[0]})
            actions.append({"action": "submit", "label": _("Submit") if state == "to_submit" else _("Submit again")})
        if state in ("graded", "feedback"):
            actions.append({"action": "feedback", "label": _("Open the result")})
        title = str(schedule.get("title") or "") or self._title_of(fetched) or name
        return {"course": course, "id": name, "title": title, "state": state, "stateText": texts[state],
                "due": _due_text(due, schedule.get("timezone"), _) if due else "", "late": late,
                "lateText": _("The due date has passed; submit as soon as you can.") if late else "",
                "actions": actions}

    def _title_of(self, paths: list[str]) -> str:
        for rel in paths:
            meta = self._metadata(self.root / rel)
            if meta.get("title"):
                return str(meta["title"])
        return ""

    def feedback_page(self, course: str, name: str) -> str:
        """The path (from the root) of the fetched feedback page of the latest submission, or ''."""
        for entry in self.exchange.state()["listing"]:
            if entry.get("status") == "submitted" and (entry.get("course_id"), entry.get("assignment_id")) == (course, name):
                last = (entry.get("submissions") or [{}])[-1]
                folder = last.get("local_feedback_path")
                for nb in last.get("notebooks", ()):
                    if folder and (self.root / folder / f"{nb['notebook_id']}.html").is_file():
                        return f"{folder}/{nb['notebook_id']}.html"
        return ""

    def reminder(self, now: dt.datetime | None = None) -> dict | None:
        """Today's reminder (``~/.crmtrain-reminder.json``, placed by the hub from ``crmtrain remind``), else None."""
        try:
            data = json.loads((self.root / ".crmtrain-reminder.json").read_text(encoding="utf-8"))
            today = (now or dt.datetime.now(dt.timezone.utc)).astimezone(zoneinfo.ZoneInfo(data["timezone"])).date()
            if data["day"] != today.isoformat():
                return None  # yesterday's: the next one says what is still due
            sections = [{"heading": str(s["heading"]), "lines": [str(x) for x in s["lines"]]} for s in data["sections"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, zoneinfo.ZoneInfoNotFoundError):
            return None
        return {"subject": str(data.get("subject", "")), "sections": sections}

    # --- the panel --------------------------------------------------------------------------

    def overview(self) -> dict:
        """Everything the panel shows, words included."""
        lang = self.language()
        tr = translation(lang)
        _ = tr.gettext
        out = {"lang": lang, "words": words(_), "workbooks": self.workbooks(tr), "assessments": [], "problem": "",
               "reminder": self.reminder()}
        try:
            out["assessments"] = self.assessments(_)
        except Exception:  # noqa: BLE001 - the workbooks still show; the reason goes to the server log
            log.exception("crmtrain: the assessments could not be listed")
            out["problem"] = _("The assessments cannot be shown just now. Try again later; if it keeps happening, "
                               "tell the responsible specialist.")
        return out

    def act(self, action: str, course: str, name: str) -> dict:
        """Fetch, submit or get the feedback of one assessment; the new overview, and what to open."""
        _ = translation(self.language()).gettext
        failed = {"fetch": _("The assessment could not be fetched."), "submit": _("The assessment could not be submitted."),
                  "feedback": _("The result could not be fetched.")}[action]
        message, open_path, ok = "", "", False
        try:
            self.exchange.act(action, course, name)
        except Exception:  # noqa: BLE001 - nbgrader reports any failure as a traceback text
            log.exception("crmtrain: %s of %s/%s failed", action, course, name)
            message = failed + " " + _("Try again; if it keeps happening, tell the responsible specialist.")
        else:
            ok = True
            if action == "fetch":
                open_path = next((p.relative_to(self.root).as_posix() for p in sorted((self.root / name).glob("*.ipynb"))), "")
            elif action == "feedback":
                open_path = self.feedback_page(course, name)
            else:
                message = _("Submitted. You can submit again until the due date; the last submission counts.")
        return {**self.overview(), "ok": ok, "message": message, "open": open_path}


def progress(path: Path) -> tuple[int, int]:
    """(answered, right) questions in a workbook's progress file; (0, 0) if none or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0, 0
    entries = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        return 0, 0
    answered = [e for k, e in entries.items() if not str(k).startswith("drill:") and isinstance(e, dict) and "correct" in e]
    return len(answered), sum(1 for e in answered if e.get("correct"))


def _own(dates: dict | None, own: dict) -> dict:
    """What of the trainee's own dates replaces the published ones: their due date and time zone."""
    if not dates or not isinstance(dates.get("due"), str):
        return {}
    return {"due": dates["due"], **({"timezone": own["timezone"]} if isinstance(own.get("timezone"), str) else {})}


def _due(schedule: dict) -> dt.datetime | None:
    text = schedule.get("due")
    if not isinstance(text, str) or not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _due_text(due: dt.datetime, timezone: Any, _) -> str:
    try:
        local = due.astimezone(zoneinfo.ZoneInfo(str(timezone or "UTC")))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        local = due
    return _("Due {date}, {time}").format(date=local.strftime(_("%Y-%m-%d")), time=local.strftime("%H:%M"))


def words(_) -> dict[str, str]:
    """The panel's own words."""
    return {"title": _("My training"), "workbooks": _("Workbooks"), "assessments": _("Assessments"),
            "noAssessments": _("No assessment has been released to you yet."), "working": _("One moment…"),
            "reminder": _("Today's reminder"),
            # JupyterLab's link for keyboard and screen-reader users, which its language packs leave in English.
            "skipLink": _("Skip to the main panel")}
