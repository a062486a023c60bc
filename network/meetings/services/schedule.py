"""Meetings: schedule, change and cancel them; the upcoming ones, running polls and a body's history."""

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from network.core import audit
from network.core.boundary import Conflict
from network.core.models import utcnow
from network.core.permissions import require
from network.core.validation import Checker
from network.extensions import db
from network.meetings.models import Body, Decision, Meeting, PollSlot, PollVote, Rsvp
from network.meetings.services._common import (MAX_TEXT, check_stale, flush_or_conflict, optional_id, optional_int,
                                               this_network)
from network.meetings.services.invitations import _invite, _scheduled
from network.meetings.services.membership import _require_organiser, body_cities, member_body_clause
from network.meetings.services.times import _times, local_datetime, parse_iso
from network.municipalities.models import Municipality


def _check_meeting(c: Checker, body: Body, data: dict, current: Meeting | None = None) -> dict:
    """Checked fields of a meeting from a form or the API (messages collect in ``c``)."""
    out = {}
    out["number"] = optional_int(c, "number", data.get("number"), 1, 10000,
                                 _("Die laufende Nummer muss eine ganze Zahl zwischen 1 und 10000 sein."))
    if out["number"] is not None:
        clash = db.session.execute(sa.select(Meeting.id).where(Meeting.body_id == body.id,
                                                               Meeting.number == out["number"])).scalar()
        if clash is not None and (current is None or clash != current.id):
            c.add("number", _("Diese Nummer hat schon ein anderes Treffen dieses Gremiums."))
    out["title"] = c.text("title", data.get("title"), label=_("einen Titel"), max_len=200)
    host = optional_id(data.get("host_id"))
    out["host_id"] = None
    if host is not None:
        if host not in {m.id for m in body_cities(body.id)}:
            c.add("host_id", _("Gastgeberin muss eine Mitgliedskommune des Gremiums sein."))
        else:
            out["host_id"] = host
    out["address"] = c.text("address", data.get("address"), label=_("eine Adresse"), required=False, max_len=300)
    out["room"] = c.text("room", data.get("room"), label=_("einen Raum"), required=False, max_len=200)
    out["online_url"] = c.url("online_url", data.get("online_url"), label=_("Der Online-Link"))
    out["description"] = c.text("description", data.get("description"), label=_("Hinweise"), required=False,
                                max_len=MAX_TEXT)
    out["capacity"] = optional_int(c, "capacity", data.get("capacity"), 1, 10000,
                                   _("Die Teilnehmerzahl muss eine ganze Zahl zwischen 1 und 10000 sein."))
    if "proposal_cutoff" in data:
        out["cutoff"] = parse_iso(c, "proposal_cutoff", data.get("proposal_cutoff"), label=_("den Einsendeschluss"))
    elif (data.get("cutoff_date") or "").strip():
        out["cutoff"] = local_datetime(c, "cutoff_date", data.get("cutoff_date"), data.get("cutoff_time") or "23:59",
                                       label=_("den Einsendeschluss"))
    else:
        out["cutoff"] = None
    start, end = _times(c, data, required=False)
    out["starts_at"], out["ends_at"] = start, end
    if out["cutoff"] and start and out["cutoff"] > start:
        c.add("cutoff_date" if "cutoff_date" in data else "proposal_cutoff",
              _("Der Einsendeschluss für Vorschläge muss vor dem Beginn liegen."))
    if not out["address"] and not out["online_url"] and "address" not in c.errors and "online_url" not in c.errors:
        c.add("address", _("Bitte geben Sie eine Adresse oder einen Online-Link an."))
    c.done()
    return out


def create_meeting(actor, body: Body, data: dict) -> Meeting:
    """Schedule a meeting (with a date) or start a date poll (without one)."""
    _require_organiser(actor, body)
    c = Checker()
    v = _check_meeting(c, body, data)
    meeting = Meeting(body_id=body.id, number=v["number"], title=v["title"], host_municipality_id=v["host_id"],
                      address=v["address"], room=v["room"], online_url=v["online_url"],
                      description=v["description"], capacity=v["capacity"], proposal_cutoff=v["cutoff"],
                      starts_at=v["starts_at"], ends_at=v["ends_at"],
                      status="scheduled" if v["starts_at"] else "polling", created_by_id=actor.id)
    db.session.add(meeting)
    try:
        db.session.flush()
    except IntegrityError:
        # the same number was taken in parallel; the request boundary rolls the session back
        raise Conflict({"number": _("Diese Nummer hat schon ein anderes Treffen dieses Gremiums.")}) from None
    audit.record(actor, "meeting.created", obj=meeting, summary=f"Treffen {meeting.title} angelegt")
    if meeting.status == "scheduled":
        _scheduled(actor, meeting)
    db.session.flush()
    return meeting


_SCHEDULE_FIELDS = ("starts_at", "ends_at", "address", "room", "online_url", "title")


def update_meeting(actor, meeting: Meeting, data: dict, *, version=None) -> Meeting:
    """Change a meeting; a change of time or place raises SEQUENCE and sends an update to the invitees."""
    _require_organiser(actor, meeting.body)
    if meeting.status == "cancelled":
        raise Conflict({"status": _("Ein abgesagtes Treffen kann nicht mehr geändert werden.")})
    check_stale(meeting, version)
    c = Checker()
    v = _check_meeting(c, meeting.body, data, meeting)
    before = {f: getattr(meeting, f) for f in _SCHEDULE_FIELDS}
    meeting.number, meeting.title, meeting.host_municipality_id = v["number"], v["title"], v["host_id"]
    meeting.address, meeting.room, meeting.online_url = v["address"], v["room"], v["online_url"]
    meeting.description, meeting.capacity, meeting.proposal_cutoff = v["description"], v["capacity"], v["cutoff"]
    if v["starts_at"] is not None:
        meeting.starts_at, meeting.ends_at = v["starts_at"], v["ends_at"]
    changed = any(before[f] != getattr(meeting, f) for f in _SCHEDULE_FIELDS)
    audit.record(actor, "meeting.updated", obj=meeting, summary=f"Treffen {meeting.title} geändert")
    if meeting.status == "polling" and meeting.starts_at is not None:
        meeting.status = "scheduled"
        _scheduled(actor, meeting)
    elif meeting.status == "scheduled" and changed:
        meeting.sequence += 1
        _invite(meeting, "update")
    flush_or_conflict()
    return meeting


def cancel_meeting(actor, meeting: Meeting, reason: str = "") -> Meeting:
    """Call a meeting off: METHOD:CANCEL to everyone invited."""
    _require_organiser(actor, meeting.body)
    if meeting.status == "cancelled":
        raise Conflict({"status": _("Das Treffen ist bereits abgesagt.")})
    c = Checker()
    reason = c.text("reason", reason, label=_("eine Begründung"), required=False, max_len=1000)
    c.done()
    was_scheduled = meeting.status == "scheduled"
    meeting.status = "cancelled"
    meeting.sequence += 1
    audit.record(actor, "meeting.cancelled", obj=meeting, summary=f"Treffen {meeting.title} abgesagt")
    if was_scheduled:
        _invite(meeting, "cancel", reason=reason)
    flush_or_conflict()
    return meeting


def _in_network(stmt, everywhere: bool):
    """Only meetings of this request's network, unless ``everywhere`` (the user's own lists across networks)."""
    if everywhere:
        return stmt
    return stmt.where(Meeting.body_id.in_(sa.select(Body.id).where(Body.network_id == this_network().id)))


def upcoming_meetings(user, *, limit: int | None = 50, until: datetime | None = None,
                      everywhere: bool = False) -> list[Meeting]:
    """Scheduled meetings of the user's bodies from now on (in one query): in this request's network, or in
    every network of the user (``everywhere``; each meeting's body carries its network)."""
    stmt = _in_network(sa.select(Meeting).where(member_body_clause(user, Meeting.body_id),
                                                Meeting.status == "scheduled", Meeting.ends_at >= utcnow())
                       .order_by(Meeting.starts_at), everywhere)
    if until is not None:
        stmt = stmt.where(Meeting.starts_at <= until)
    if limit:
        stmt = stmt.limit(limit)
    return db.session.execute(stmt).scalars().all()


def dashboard_meetings(user, limit: int = 10) -> dict:
    """For the dashboard, across the user's networks: the next scheduled meetings, each with whether the user has
    answered the invitation, and the running date polls, each with whether the user has voted. One statement: the
    two kinds numbered separately (the next meetings by start, the polls newest first), at most `limit` each."""
    upcoming_now = sa.and_(Meeting.status == "scheduled", Meeting.ends_at >= utcnow())
    ranked = (sa.select(Meeting.id.label("id"), sa.func.row_number().over(
        partition_by=Meeting.status,
        order_by=(sa.case((Meeting.status == "scheduled", Meeting.starts_at)), Meeting.created_at.desc(),
                  Meeting.id)).label("rn"))
        .where(member_body_clause(user, Meeting.body_id), sa.or_(upcoming_now, Meeting.status == "polling"))
        .subquery())
    answered = sa.exists().where(Rsvp.meeting_id == Meeting.id, Rsvp.user_id == user.id)
    voted = sa.exists().where(PollVote.slot_id == PollSlot.id, PollSlot.meeting_id == Meeting.id,
                              PollVote.user_id == user.id)
    rows = db.session.execute(
        sa.select(Meeting, answered.label("answered"), voted.label("voted"))
        .join(ranked, ranked.c.id == Meeting.id).where(ranked.c.rn <= limit)).all()
    upcoming = sorted(((m, bool(a)) for m, a, _v in rows if m.status == "scheduled"),
                      key=lambda r: (r[0].starts_at, r[0].id))
    polls = sorted(((m, bool(v)) for m, _a, v in rows if m.status == "polling"),
                   key=lambda r: (r[0].created_at, r[0].id), reverse=True)
    return {"upcoming": upcoming, "polls": polls}


def running_polls(user, *, everywhere: bool = False) -> list[Meeting]:
    """Meetings of the user's bodies whose date poll runs, newest first (this network, or ``everywhere``)."""
    return db.session.execute(_in_network(sa.select(Meeting).where(member_body_clause(user, Meeting.body_id),
                                                                   Meeting.status == "polling")
                                          .order_by(Meeting.created_at.desc()), everywhere)).scalars().all()


def body_history(user, body: Body, q: str | None = None) -> list[Meeting]:
    """The body's meetings, newest first; q searches title, place, host, minutes and decisions (ILIKE)."""
    require(user, "meeting.view")
    if body.network_id != this_network().id:
        return []
    stmt = (sa.select(Meeting).outerjoin(Municipality, Municipality.id == Meeting.host_municipality_id)
            .where(Meeting.body_id == body.id)
            .order_by(Meeting.starts_at.desc().nulls_first(), Meeting.id.desc()))
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        decided = sa.select(Decision.meeting_id).where(Decision.text.ilike(like, escape="\\"))
        stmt = stmt.where(sa.or_(
            Meeting.title.ilike(like, escape="\\"), Meeting.address.ilike(like, escape="\\"),
            Municipality.name.ilike(like, escape="\\"),
            sa.and_(Meeting.minutes_status == "published", Meeting.minutes.ilike(like, escape="\\")),
            sa.and_(Meeting.minutes_status == "published", Meeting.id.in_(decided))))
    return db.session.execute(stmt).scalars().all()


def decisions_by_meeting(meeting_ids) -> dict:
    """Decisions of the given meetings, grouped by meeting id (one query)."""
    out = defaultdict(list)
    if meeting_ids:
        for d in db.session.execute(sa.select(Decision).where(Decision.meeting_id.in_(meeting_ids))
                                    .order_by(Decision.id)).scalars():
            out[d.meeting_id].append(d)
    return out
