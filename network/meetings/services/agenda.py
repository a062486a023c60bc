"""The agenda: proposals until the cutoff, the organiser's decisions and order, timed items."""

from datetime import timedelta

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import gettext as _

from network.core import audit
from network.core.boundary import Conflict
from network.core.models import utcnow
from network.core.validation import Checker
from network.extensions import db
from network.meetings.models import ActionItem, AgendaItem, Meeting
from network.meetings.services._common import LINK_RE, _valid_id, optional_id, optional_int
from network.meetings.services.membership import _require_member, _require_organiser, may_organise
from network.municipalities.models import Municipality
from network.topics.models import Topic


def proposals_open(meeting: Meeting) -> bool:
    """Members may still propose items: before the cutoff (or the start), never when cancelled."""
    if meeting.status == "cancelled":
        return False
    if meeting.proposal_cutoff is not None:
        return utcnow() < meeting.proposal_cutoff
    return meeting.starts_at is None or utcnow() < meeting.starts_at


def _check_item(c: Checker, data: dict, network_id: int, actor=None) -> dict:
    """Checked fields of an agenda item of a meeting in the network (messages collect in ``c``)."""
    out = {"title": c.text("title", data.get("title"), label=_("einen Titel"), max_len=200),
           "presenter_name": c.text("presenter_name", data.get("presenter_name"), label=_("eine vortragende Person"),
                                    required=False, max_len=120)}
    out["duration"] = optional_int(c, "duration_minutes", data.get("duration_minutes"), 1, 480,
                                   _("Die Dauer muss zwischen 1 und 480 Minuten liegen."), default=15)
    out["city_id"] = optional_id(data.get("presenter_municipality_id"))
    if out["city_id"] is not None and (not _valid_id(out["city_id"])
                                       or db.session.get(Municipality, out["city_id"]) is None):
        c.add("presenter_municipality_id", _("Diese Kommune gibt es nicht."))
        out["city_id"] = None
    out["topic_id"] = optional_id(data.get("topic_id"))
    if out["topic_id"] is not None:
        topic = db.session.get(Topic, out["topic_id"]) if _valid_id(out["topic_id"]) else None
        if topic is None or topic.status != "active" or topic.network_id != network_id:
            c.add("topic_id", _("Dieses Thema gibt es nicht."))
            out["topic_id"] = None
    path = (data.get("link_path") or "").strip()
    label = c.text("link_label", data.get("link_label"), label=_("eine Bezeichnung des Links"), required=False,
                   max_len=200)
    practice_id = optional_id(data.get("practice_id"))
    if practice_id is not None:
        # a practice chosen from the select: it must be one the proposer may read; its title is the default label
        from network.practices.services import linkable_practice
        found = linkable_practice(actor, practice_id) if actor is not None and _valid_id(practice_id) else None
        if found is None:
            c.add("practice_id", _("Diesen Praxisbericht gibt es nicht."))
        elif path:
            c.add("link_path", _("Bitte wählen Sie einen Praxisbericht oder geben Sie einen Link an, nicht beides."))
        else:
            path, label = f"/praxis/{practice_id}", label or found[:200]
    if path and (not LINK_RE.match(path) or ".." in path or "//" in path):
        c.add("link_path", _("Der Link muss eine Seite dieses Städtenetzes sein, die mit /praxis/ oder /vorhaben/ "
                             "beginnt."))
    elif path and not label:
        c.add("link_label", _("Bitte geben Sie eine Bezeichnung für den Link an."))
    out["link_path"], out["link_label"] = path, label if path else ""
    return out


def add_agenda_item(actor, meeting: Meeting, data: dict) -> AgendaItem:
    """Members propose until the cutoff; the organiser's items are accepted at once."""
    _require_member(actor, meeting.body, "meeting.propose_item")
    organiser = may_organise(actor, meeting.body)
    if not organiser and not proposals_open(meeting):
        raise Conflict({"title": _("Vorschläge für die Tagesordnung sind nicht mehr möglich: "
                                   "der Einsendeschluss ist vorbei.")})
    if meeting.status == "cancelled":
        raise Conflict({"title": _("Das Treffen ist abgesagt.")})
    c = Checker()
    v = _check_item(c, data, meeting.body.network_id, actor)
    c.done()
    position = (db.session.execute(sa.select(sa.func.max(AgendaItem.position))
                                   .where(AgendaItem.meeting_id == meeting.id)).scalar() or 0) + 1
    item = AgendaItem(meeting_id=meeting.id, title=v["title"], presenter_name=v["presenter_name"],
                      presenter_municipality_id=v["city_id"], duration_minutes=v["duration"], topic_id=v["topic_id"],
                      link_path=v["link_path"], link_label=v["link_label"], position=position,
                      status="accepted" if organiser else "proposed", proposed_by_id=actor.id)
    db.session.add(item)
    audit.record(actor, "agenda.proposed" if not organiser else "agenda.added", obj=meeting,
                 municipality_id=actor.municipality_id, summary=f"Tagesordnungspunkt für {meeting.title}")
    db.session.flush()
    return item


def get_item_or_404(meeting: Meeting, item_id) -> AgendaItem:
    """An agenda item of this meeting, else 404."""
    item = db.session.get(AgendaItem, item_id) if _valid_id(item_id) else None
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return item


def agenda_action(actor, meeting: Meeting, item: AgendaItem, action: str, duration=None) -> AgendaItem:
    """Organiser: accept, reject, move up or down, or set the duration of an item."""
    _require_organiser(actor, meeting.body)
    c = Checker()
    c.choice("action", action, ("accept", "reject", "up", "down", "duration"), label=_("die Aktion"))
    if action == "duration":
        try:
            item.duration_minutes = int(duration)
            if not 1 <= item.duration_minutes <= 480:
                raise ValueError
        except (TypeError, ValueError):
            c.add("duration_minutes", _("Die Dauer muss zwischen 1 und 480 Minuten liegen."))
    c.done()
    if action == "accept":
        item.status = "accepted"
    elif action == "reject":
        item.status = "rejected"
    elif action in ("up", "down"):
        accepted = [i for i in agenda_items(meeting) if i.status == "accepted"]
        if item in accepted:
            idx = accepted.index(item)
            other = idx - 1 if action == "up" else idx + 1
            if 0 <= other < len(accepted):
                accepted[idx], accepted[other] = accepted[other], accepted[idx]
                for pos, it in enumerate(accepted, start=1):
                    it.position = pos
    audit.record(actor, f"agenda.{action}", obj=meeting, summary=f"Tagesordnung {meeting.title}: {item.title}")
    db.session.flush()
    return item


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """All items of the meeting in their order."""
    return db.session.execute(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                              .order_by(AgendaItem.position, AgendaItem.id)).scalars().all()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one (not cancelled)."""
    stmt = sa.select(Meeting).where(Meeting.body_id == meeting.body_id, Meeting.id != meeting.id,
                                    Meeting.status != "cancelled", Meeting.starts_at.is_not(None))
    if meeting.starts_at is not None:
        stmt = stmt.where(Meeting.starts_at < meeting.starts_at)
    return db.session.execute(stmt.order_by(Meeting.starts_at.desc()).limit(1)).scalar()


def _carried_order(item: ActionItem):
    return (item.due_date is None, item.due_date, item.id)


def agenda_and_actions(meeting: Meeting) -> tuple[dict, list[ActionItem]]:
    """The meeting page: agenda() and the meeting's own action items (by id), the action items of this and the
    previous meeting read in one statement."""
    prev = previous_meeting(meeting)
    ids = [meeting.id] + ([prev.id] if prev else [])
    rows = db.session.execute(sa.select(ActionItem).where(ActionItem.meeting_id.in_(ids))
                              .order_by(ActionItem.id)).scalars().all()
    carried = sorted((a for a in rows if prev is not None and a.meeting_id == prev.id and a.status == "open"),
                     key=_carried_order)
    return agenda(meeting, prev=prev, carried=carried), [a for a in rows if a.meeting_id == meeting.id]


def agenda(meeting: Meeting, *, prev: Meeting | None = None, carried: list | None = None) -> dict:
    """Accepted items with their start times, proposals, and the open action items of the previous meeting
    (`prev` and `carried` when the caller has read them)."""
    items = agenda_items(meeting)
    accepted = [i for i in items if i.status == "accepted"]
    if carried is None:
        prev = previous_meeting(meeting)
        carried = db.session.execute(sa.select(ActionItem).where(ActionItem.meeting_id == prev.id,
                                                                 ActionItem.status == "open")
                                     .order_by(ActionItem.due_date.nulls_last(), ActionItem.id)).scalars().all() \
            if prev else []
    timed = []
    clock = meeting.starts_at
    if clock and carried:
        clock = clock + timedelta(minutes=current_app.config.get("MEETING_CARRIED_MINUTES", 10))
    for item in accepted:
        timed.append((item, clock))
        if clock:
            clock = clock + timedelta(minutes=item.duration_minutes)
    return {"items": timed, "proposed": [i for i in items if i.status == "proposed"],
            "rejected": [i for i in items if i.status == "rejected"], "previous": prev, "carried": carried,
            "ends_at": clock}
