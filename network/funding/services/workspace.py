"""Inside an application: each city's share, the checklist and notes."""

from flask import abort
from flask_babel import gettext as _

from network.core import audit
from network.core.models import utcnow
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.funding.models import Application, ApplicationMember, ApplicationNote, ChecklistItem
from network.funding.services._common import MAX_TEXT, _bool
from network.funding.services.applications import _event, _fmt_amount, _require_active_member
from network.funding.services.parsing import parse_amount, parse_date

def set_share(actor, app_: Application, amount, note="") -> ApplicationMember:
    """A member city (lead or accepted partner) sets its own share; only its own."""
    member = _require_active_member(actor, app_)
    c = Checker()
    share = parse_amount(c, "share_amount", amount, label=_("Der Eigenanteil"))
    note = c.text("share_note", note, label=_("Die Beschreibung des Beitrags"), required=False, max_len=1000)
    c.done()
    member.share_amount, member.share_note = share, note
    _event(app_, "share", actor, f"{member.municipality.name}: {_fmt_amount(share)}")
    audit.record(actor, "funding.share_set", obj=app_, municipality_id=member.municipality_id,
                 summary=f"{member.municipality.name}: Eigenanteil an {app_.title} geändert")
    db.session.flush()
    return member


def add_checklist_item(actor, app_: Application, data: dict) -> ChecklistItem:
    """A member city's lead adds a task; partners only for themselves, the lead city for any member."""
    member = _require_active_member(actor, app_)
    c = Checker()
    title = c.text("title", data.get("title"), label=_("die Aufgabe"), max_len=200)
    due = parse_date(c, "due_on", data.get("due_on"), label=_("Das Fälligkeitsdatum"))
    responsible = member.municipality_id
    raw = data.get("municipality_id")
    if raw not in (None, ""):
        ok = {m.municipality_id for m in app_.members if m.status == "accepted"}
        try:
            responsible = int(raw)
        except (TypeError, ValueError):
            responsible = -1
        if responsible not in ok:
            c.add("municipality_id", _("Bitte wählen Sie eine Kommune, die beim Antrag dabei ist."))
        elif member.role != "lead" and responsible != member.municipality_id:
            c.add("municipality_id", _("Partnerkommunen legen Aufgaben nur für sich selbst an."))
    c.done()
    item = ChecklistItem(application_id=app_.id, title=title, due_on=due, municipality_id=responsible,
                         created_by_id=actor.id)
    db.session.add(item)
    db.session.flush()
    _event(app_, "item_added", actor, title)
    audit.record(actor, "funding.item_added", obj=app_, summary=f"Aufgabe {title} zu {app_.title}")
    db.session.flush()
    return item


def get_item_or_404(app_: Application, item_id) -> ChecklistItem:
    item = db.session.get(ChecklistItem, item_id)
    if item is None or item.application_id != app_.id:
        abort(404)
    return item


def set_item_done(actor, app_: Application, item: ChecklistItem, done: bool) -> ChecklistItem:
    """Tick or untick a task: the responsible city's members, and the lead city for every task."""
    member = _require_active_member(actor, app_, "funding.contribute")
    if member.role != "lead" and item.municipality_id != member.municipality_id:
        raise ValidationFailed({"item": _("Diese Aufgabe gehört einer anderen Kommune.")}, status=403)
    done = _bool(done)
    if item.done != done:
        item.done = done
        item.done_at = utcnow() if done else None
        item.done_by_id = actor.id if done else None
        _event(app_, "item_done" if done else "item_reopened", actor, item.title)
        audit.record(actor, "funding.item_done" if done else "funding.item_reopened", obj=app_,
                     summary=f"Aufgabe {item.title} {'erledigt' if done else 'wieder offen'}")
        db.session.flush()
    return item


def add_note(actor, app_: Application, body) -> ApplicationNote:
    """A member of an accepted city writes a note in the workspace."""
    member = _require_active_member(actor, app_, "funding.contribute")
    c = Checker()
    body = c.text("body", body, label=_("einen Text"), max_len=MAX_TEXT)
    c.done()
    note = ApplicationNote(application_id=app_.id, author_id=actor.id, municipality_id=member.municipality_id,
                           body=body)
    db.session.add(note)
    _event(app_, "note", actor, body[:80])
    db.session.flush()
    return note
