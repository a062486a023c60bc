"""Minutes, decisions and action items of a meeting."""



import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden

from network.core import audit
from network.core.boundary import Conflict
from network.core.models import utcnow
from network.core.permissions import can, require
from network.core.validation import Checker, parse_day
from network.extensions import db
from network.meetings.models import ActionItem, Decision, Meeting
from network.meetings.services._common import (MAX_MINUTES, MAX_TEXT, _valid_id, check_stale, flush_or_conflict,
                                               meeting_url)
from network.meetings.services.membership import (body_cities, get_meeting_or_404, is_member, may_organise,
                                                  member_body_clause)
from network.meetings.signals import minutes_published
from network.municipalities.models import Municipality


def may_write_minutes(user, meeting: Meeting) -> bool:
    """The organiser or an account of the host city (lead) writes the minutes."""
    if may_organise(user, meeting.body):
        return True
    return (can(user, "meeting.organise") and meeting.host_municipality_id is not None
            and user.municipality_id == meeting.host_municipality_id and is_member(user, meeting.body))


def _require_minutes(user, meeting: Meeting) -> None:
    """403 unless the user writes this meeting's minutes; 409 for a meeting that did not take place."""
    require(user, "meeting.organise")
    if not may_write_minutes(user, meeting):
        raise Forbidden()
    if meeting.status != "scheduled":
        raise Conflict({"minutes": _("Protokolle gibt es nur für stattgefundene Treffen.")})


def save_minutes(actor, meeting: Meeting, text: str, *, publish: bool = False, version=None) -> Meeting:
    """Save the Markdown draft; publishing makes it visible to all members (they get an email)."""
    _require_minutes(actor, meeting)
    check_stale(meeting, version)
    c = Checker()
    text = c.text("minutes", text, label=_("den Text des Protokolls"), required=publish, max_len=MAX_MINUTES)
    c.done()
    meeting.minutes = text
    first = False
    if publish and meeting.minutes_status != "published":
        meeting.minutes_status = "published"
        meeting.minutes_published_at = utcnow()
        first = True
    elif meeting.minutes_status == "none":
        meeting.minutes_status = "draft"
    audit.record(actor, "minutes.published" if first else "minutes.saved", obj=meeting,
                 summary=f"Protokoll {meeting.title}")
    flush_or_conflict()
    if first:
        targets = [("body", meeting.body_id)] + ([("topic", meeting.body.topic_id)] if meeting.body.topic_id else [])
        minutes_published.send(meeting=meeting, targets=targets, title=meeting.title,
                               url=meeting_url(meeting),
                               audience=f"body:{meeting.body_id}", actor_id=actor.id)
    return meeting


def minutes_visible(user, meeting: Meeting) -> bool:
    """Published minutes for every member; a draft only for its writers."""
    return meeting.minutes_status == "published" or (meeting.minutes_status == "draft"
                                                     and may_write_minutes(user, meeting))


def add_decision(actor, meeting: Meeting, text: str) -> Decision:
    """Minute writer: record a decision (Beschluss) of the meeting."""
    _require_minutes(actor, meeting)
    c = Checker()
    text = c.text("decision_text", text, label=_("den Beschluss"), max_len=MAX_TEXT)
    c.done()
    d = Decision(meeting_id=meeting.id, text=text)
    db.session.add(d)
    audit.record(actor, "meeting.decision", obj=meeting, summary=f"Beschluss in {meeting.title}")
    db.session.flush()
    return d


def add_action_item(actor, meeting: Meeting, data: dict) -> ActionItem:
    """Minute writer: record an action item for a member city of the body, with an optional due date."""
    _require_minutes(actor, meeting)
    c = Checker()
    text = c.text("action_text", data.get("text"), label=_("die Aufgabe"), max_len=MAX_TEXT)
    try:
        city_id = int(data.get("municipality_id"))
    except (TypeError, ValueError):
        city_id = None
    if not _valid_id(city_id) or db.session.get(Municipality, city_id) is None:
        c.add("action_city", _("Bitte wählen Sie die verantwortliche Kommune."))
    elif city_id not in {m.id for m in body_cities(meeting.body_id)}:
        # the responsible city's leads are reminded of the item: it must be a member city of the body
        c.add("action_city", _("Die verantwortliche Kommune muss Mitglied des Gremiums sein."))
    due = None
    raw = (data.get("due_date") or "").strip()
    if raw:
        try:
            due = parse_day(raw)
        except ValueError:
            c.add("due_date", _("Bitte geben Sie das Fälligkeitsdatum als Datum an (TT.MM.JJJJ)."))
    c.done()
    item = ActionItem(meeting_id=meeting.id, text=text, municipality_id=city_id, due_date=due)
    db.session.add(item)
    audit.record(actor, "meeting.action_item", obj=meeting, summary=f"Aufgabe aus {meeting.title}")
    db.session.flush()
    return item


def get_action_or_404(user, item_id) -> ActionItem:
    """An action item of a meeting the user may see, else 404."""
    item = db.session.get(ActionItem, item_id) if _valid_id(item_id) else None
    if item is None:
        abort(404)
    get_meeting_or_404(user, item.meeting_id)
    return item


def set_action_status(actor, item: ActionItem, status: str) -> ActionItem:
    """The responsible city (or the organiser / minute writer) marks an action item done or open again."""
    require(actor, "meeting.view")
    if not (actor.municipality_id == item.municipality_id or may_write_minutes(actor, item.meeting)):
        raise Forbidden()
    c = Checker()
    c.choice("status", status, ("open", "done"), label=_("den Stand"))
    c.done()
    item.status = status
    item.done_at = utcnow() if status == "done" else None
    audit.record(actor, "meeting.action_status", obj=item.meeting, municipality_id=item.municipality_id,
                 summary=f"Aufgabe {status}")
    db.session.flush()
    return item


def meeting_records(meeting: Meeting, actions: list | None = None) -> dict:
    """The meeting's decisions and action items (`actions` when the caller has read them)."""
    return {
        "decisions": db.session.execute(sa.select(Decision).where(Decision.meeting_id == meeting.id)
                                        .order_by(Decision.id)).scalars().all(),
        "actions": actions if actions is not None else db.session.execute(
            sa.select(ActionItem).where(ActionItem.meeting_id == meeting.id).order_by(ActionItem.id)).scalars().all(),
    }


def open_actions_of_city(user, limit: int = 20) -> list[ActionItem]:
    """The own city's open action items across all bodies it can see (one query)."""
    if not user.municipality_id:
        return []
    return db.session.execute(
        sa.select(ActionItem).join(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(ActionItem.municipality_id == user.municipality_id, ActionItem.status == "open",
               member_body_clause(user, Meeting.body_id), Meeting.minutes_status == "published")
        .order_by(ActionItem.due_date.nulls_last(), ActionItem.id).limit(limit)).scalars().all()
