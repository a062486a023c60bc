"""Meetings: bodies and members, scheduling with host suggestion, date polls, agenda, RSVPs, minutes,
decisions, action items, invitations (.ics), calendar feeds. Services check, write the audit, flush."""

import re
import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask import abort, current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden

from network.accounts.models import User
from network.core import audit
from network.core.hooks import CalendarEntry
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import can, require, roles_of
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.meetings.ical import BERLIN, to_ics
from network.meetings.signals import meeting_scheduled, minutes_published
from network.meetings.models import (BODY_KINDS, POLL_ANSWERS, RSVP_RESPONSES, ActionItem, AgendaItem, Body,
                                     BodyCity, BodyPerson, CalendarFeed, Decision, Meeting, PollSlot, PollVote,
                                     Rsvp)
from network.municipalities.models import Municipality
from network.topics.models import LeadClaim, Topic

MAX_TEXT = 5000
MAX_MINUTES = 100_000
#: internal links on agenda items: a practice or a project of the inventory (built by other domains)
LINK_RE = re.compile(r"^/(praxis|vorhaben)/[A-Za-z0-9\-_/]{1,250}$")


#: ids beyond a 64-bit integer cannot exist (and would overflow the database driver)
MAX_ID = 2**63 - 1


def _valid_id(value) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ID


def _is_coordinator(user) -> bool:
    return "coordinator" in roles_of(user)


# --- membership and visibility -------------------------------------------------------------

def member_body_clause(user, column=None):
    """SQL: the body ids the user is a member of (a member city's account or a member person)."""
    column = Body.id if column is None else column
    if _is_coordinator(user):
        return sa.true()
    if not getattr(user, "is_authenticated", False):
        return sa.false()
    clauses = [column.in_(sa.select(BodyPerson.body_id).where(BodyPerson.user_id == user.id))]
    if user.municipality_id:
        clauses.append(column.in_(sa.select(BodyCity.body_id).where(BodyCity.municipality_id == user.municipality_id)))
    return sa.or_(*clauses)


def is_member(user, body: Body) -> bool:
    """True for the coordination, accounts of member cities and member persons."""
    if _is_coordinator(user):
        return True
    return db.session.execute(sa.select(sa.literal(1)).where(member_body_clause(user, sa.literal(body.id)))).first() \
        is not None


def topic_lead_city_id(topic_id) -> int | None:
    """The confirmed lead city of a topic."""
    if topic_id is None:
        return None
    return db.session.execute(sa.select(LeadClaim.municipality_id).where(
        LeadClaim.topic_id == topic_id, LeadClaim.kind == "lead", LeadClaim.status == "confirmed")).scalar()


def may_organise(user, body: Body) -> bool:
    """The coordination organises every body; a project group's lead city organises its own group."""
    if not can(user, "meeting.organise"):
        return False
    if can(user, "meeting.organise_any"):
        return True
    return (body.kind == "projektgruppe" and user.municipality_id is not None
            and topic_lead_city_id(body.topic_id) == user.municipality_id)


def _require_organiser(user, body: Body) -> None:
    require(user, "meeting.organise")
    if not may_organise(user, body):
        raise Forbidden()


require_organiser = _require_organiser


def _require_member(user, body: Body, permission: str = "meeting.view") -> None:
    require(user, permission)
    if not is_member(user, body):
        abort(404)


def visible_bodies(user) -> list[Body]:
    """The bodies the user is a member of (all for the coordination)."""
    require(user, "meeting.view")
    return db.session.execute(sa.select(Body).where(member_body_clause(user)).order_by(
        sa.case({"plenum": 0, "fachgruppe": 1, "projektgruppe": 2}, value=Body.kind), Body.name)).scalars().all()


def organisable_bodies(user) -> list[Body]:
    """Bodies the user may schedule meetings for."""
    if not can(user, "meeting.organise"):
        return []
    if can(user, "meeting.organise_any"):
        return db.session.execute(sa.select(Body).order_by(Body.name)).scalars().all()
    led = sa.select(LeadClaim.topic_id).where(LeadClaim.kind == "lead", LeadClaim.status == "confirmed",
                                              LeadClaim.municipality_id == user.municipality_id)
    return db.session.execute(sa.select(Body).where(Body.kind == "projektgruppe", Body.topic_id.in_(led))
                              .order_by(Body.name)).scalars().all()


def get_body_or_404(user, body_id) -> Body:
    """A body the user is a member of, else 404."""
    require(user, "meeting.view")
    body = db.session.get(Body, body_id) if _valid_id(body_id) else None
    if body is None or not is_member(user, body):
        abort(404)
    return body


def get_meeting_or_404(user, meeting_id) -> Meeting:
    """A meeting of one of the user's bodies, else 404."""
    require(user, "meeting.view")
    if not _valid_id(meeting_id):
        abort(404)
    meeting = db.session.execute(sa.select(Meeting).where(Meeting.id == meeting_id,
                                                          member_body_clause(user, Meeting.body_id))).scalar()
    if meeting is None:
        abort(404)
    return meeting


def body_cities(body_id) -> list[Municipality]:
    return db.session.execute(sa.select(Municipality).join(BodyCity, BodyCity.municipality_id == Municipality.id)
                              .where(BodyCity.body_id == body_id).order_by(Municipality.name)).scalars().all()


def body_persons(body_id) -> list[User]:
    return db.session.execute(sa.select(User).join(BodyPerson, BodyPerson.user_id == User.id)
                              .where(BodyPerson.body_id == body_id).order_by(User.name)).scalars().all()


def member_cities():
    return db.session.execute(sa.select(Municipality).where(Municipality.status == "member")
                              .order_by(Municipality.name)).scalars().all()


def all_people():
    """Active accounts that can be member persons (with their city)."""
    return db.session.execute(sa.select(User).where(User.active.is_(True)).order_by(User.name)).scalars().all()


def active_topics():
    return db.session.execute(sa.select(Topic).where(Topic.status == "active").order_by(Topic.name)).scalars().all()


def recipients(body: Body) -> list[User]:
    """Who gets invitations and minutes: the member persons, and for member cities without one, their leads."""
    persons = [u for u in body_persons(body.id) if u.active]
    covered = {u.municipality_id for u in persons}
    cities = [c.id for c in body_cities(body.id) if c.id not in covered]
    leads = db.session.execute(sa.select(User).where(User.municipality_id.in_(cities), User.role == "lead",
                                                     User.active.is_(True)).order_by(User.name)).scalars().all() \
        if cities else []
    return persons + leads


# --- bodies -----------------------------------------------------------------------------------

def _int_ids(values) -> list[int]:
    out = []
    for v in values or []:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return sorted({v for v in out if _valid_id(v)} | {-1 for v in out if not _valid_id(v)})


def _check_body(c: Checker, data: dict, current: Body | None = None) -> dict:
    kind = c.choice("kind", data.get("kind"), BODY_KINDS, label=_("die Art des Gremiums"))
    name = c.text("name", data.get("name"), label=_("einen Namen"), max_len=160)
    description = c.text("description", data.get("description"), label=_("eine Beschreibung"), required=False,
                         max_len=MAX_TEXT)
    topic_id = None
    raw_topic = data.get("topic_id")
    if kind == "projektgruppe":
        try:
            topic_id = int(raw_topic)
        except (TypeError, ValueError):
            c.add("topic_id", _("Eine Projektgruppe gehört zu einem Thema. Bitte wählen Sie eines."))
        else:
            if not _valid_id(topic_id) or db.session.get(Topic, topic_id) is None:
                c.add("topic_id", _("Dieses Thema gibt es nicht."))
    if name and "name" not in c.errors:
        clash = db.session.execute(sa.select(Body.id).where(sa.func.lower(Body.name) == name.lower())).scalar()
        if clash is not None and (current is None or clash != current.id):
            c.add("name", _("Ein Gremium mit diesem Namen gibt es schon."))
    city_ids = _int_ids(data.get("city_ids"))
    known = set(db.session.execute(sa.select(Municipality.id).where(Municipality.id.in_(city_ids))).scalars()) \
        if city_ids else set()
    if set(city_ids) - known:
        c.add("city_ids", _("Bitte wählen Sie nur Kommunen aus der Liste."))
    person_ids = _int_ids(data.get("person_ids"))
    known_p = set(db.session.execute(sa.select(User.id).where(User.id.in_(person_ids))).scalars()) \
        if person_ids else set()
    if set(person_ids) - known_p:
        c.add("person_ids", _("Bitte wählen Sie nur Personen aus der Liste."))
    c.done()
    return {"kind": kind, "name": name, "description": description, "topic_id": topic_id,
            "city_ids": city_ids, "person_ids": person_ids}


def _set_members(body: Body, city_ids, person_ids) -> None:
    have_c = {bc.municipality_id: bc for bc in db.session.execute(
        sa.select(BodyCity).where(BodyCity.body_id == body.id)).scalars()}
    for cid, row in have_c.items():
        if cid not in city_ids:
            db.session.delete(row)
    for cid in city_ids:
        if cid not in have_c:
            db.session.add(BodyCity(body_id=body.id, municipality_id=cid))
    have_p = {bp.user_id: bp for bp in db.session.execute(
        sa.select(BodyPerson).where(BodyPerson.body_id == body.id)).scalars()}
    for uid, row in have_p.items():
        if uid not in person_ids:
            db.session.delete(row)
    for uid in person_ids:
        if uid not in have_p:
            db.session.add(BodyPerson(body_id=body.id, user_id=uid))


def create_body(actor, data: dict) -> Body:
    """Coordinator: a new body with its member cities and persons."""
    require(actor, "body.manage")
    c = Checker()
    v = _check_body(c, data)
    body = Body(kind=v["kind"], name=v["name"], description=v["description"], topic_id=v["topic_id"])
    db.session.add(body)
    db.session.flush()
    _set_members(body, v["city_ids"], v["person_ids"])
    audit.record(actor, "body.created", obj=body, summary=f"Gremium {body.name} angelegt")
    db.session.flush()
    return body


def update_body(actor, body: Body, data: dict, *, version=None) -> Body:
    """Coordinator: change a body and its members (version check against concurrent edits)."""
    require(actor, "body.manage")
    _check_version(body, version)
    c = Checker()
    v = _check_body(c, data, body)
    body.kind, body.name, body.description, body.topic_id = v["kind"], v["name"], v["description"], v["topic_id"]
    _set_members(body, v["city_ids"], v["person_ids"])
    audit.record(actor, "body.updated", obj=body, summary=f"Gremium {body.name} geändert")
    _flush_or_conflict()
    return body


def _check_version(obj, version) -> None:
    if version in (None, ""):
        return
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationFailed({"version": _("Die Versionsangabe ist ungültig.")}, status=422)
    if version != obj.version:
        raise ValidationFailed({"version": _("Der Datensatz wurde inzwischen von jemand anderem geändert. "
                                             "Bitte laden Sie die Seite neu; Ihre Eingaben stehen noch im Formular.")},
                               status=409)


def _flush_or_conflict() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ValidationFailed({"version": _("Der Datensatz wurde inzwischen von jemand anderem geändert.")},
                               status=409)


# --- host and number suggestions -----------------------------------------------------------

def last_hosts(body_id, limit: int = 5) -> list[Meeting]:
    """The body's most recent hosted meetings (not cancelled)."""
    return db.session.execute(
        sa.select(Meeting).where(Meeting.body_id == body_id, Meeting.host_municipality_id.is_not(None),
                                 Meeting.status != "cancelled", Meeting.starts_at.is_not(None))
        .order_by(Meeting.starts_at.desc()).limit(limit)).scalars().all()


def suggestions(body: Body) -> dict:
    """Next sequence number, suggested title and host (the member city that hosted least recently)."""
    number = (db.session.execute(sa.select(sa.func.max(Meeting.number)).where(Meeting.body_id == body.id)).scalar()
              or 0) + 1
    last = dict(db.session.execute(
        sa.select(Meeting.host_municipality_id, sa.func.max(Meeting.starts_at))
        .where(Meeting.body_id == body.id, Meeting.status != "cancelled", Meeting.starts_at.is_not(None),
               Meeting.host_municipality_id.is_not(None))
        .group_by(Meeting.host_municipality_id)).all())
    cities = body_cities(body.id)
    host = None
    if cities:
        # never hosted first (by name), then the one whose last turn is longest ago
        host = min(cities, key=lambda m: (m.id in last, last.get(m.id) or datetime.min.replace(tzinfo=timezone.utc),
                                          m.name))
    return {"number": number, "title": default_title(body, number), "host": host, "last_hosts": last_hosts(body.id),
            "last_hosted": last}


def default_title(body: Body, number: int | None) -> str:
    noun = {"plenum": _("Plenum"), "fachgruppe": _("Fachgruppentreffen")}.get(body.kind, body.name)
    if body.kind == "projektgruppe":
        noun = _("Treffen %(name)s", name=body.name)
    return f"{number}. {noun}" if number else noun


# --- times ---------------------------------------------------------------------------------------

def local_datetime(c: Checker, field: str, day: str, clock: str, *, label: str) -> datetime | None:
    """Berlin wall time -> aware datetime; a time skipped by the spring DST switch is an error."""
    try:
        d = date.fromisoformat((day or "").strip())
    except ValueError:
        c.add(field, _("Bitte geben Sie %(label)s als Datum an (TT.MM.JJJJ).", label=label))
        return None
    try:
        t = time.fromisoformat((clock or "").strip()[:5])
    except ValueError:
        c.add(field, _("Bitte geben Sie für %(label)s eine Uhrzeit an (HH:MM).", label=label))
        return None
    naive = datetime.combine(d, t)
    aware = naive.replace(tzinfo=BERLIN)
    if aware.astimezone(timezone.utc).astimezone(BERLIN).replace(tzinfo=None) != naive:
        c.add(field, _("Diese Uhrzeit gibt es wegen der Umstellung auf Sommerzeit nicht."))
        return None
    return aware


def parse_iso(c: Checker, field: str, value, *, label: str) -> datetime | None:
    """ISO 8601 from the API; without an offset it is Berlin wall time."""
    if value in (None, ""):
        return None
    try:
        dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        c.add(field, _("Bitte geben Sie %(label)s als Zeitpunkt nach ISO 8601 an (z. B. 2026-03-29T10:00).",
                       label=label))
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=BERLIN)
    return dt


def _times(c: Checker, data: dict, *, required: bool) -> tuple[datetime | None, datetime | None]:
    """Start and end from form fields (date, start_time, end_time) or the API (starts_at, ends_at)."""
    if "starts_at" in data or "ends_at" in data:
        start = parse_iso(c, "starts_at", data.get("starts_at"), label=_("den Beginn"))
        end = parse_iso(c, "ends_at", data.get("ends_at"), label=_("das Ende"))
        s_field, e_field = "starts_at", "ends_at"
    else:
        day = (data.get("date") or "").strip()
        if not day and not (data.get("start_time") or "").strip() and not required:
            return None, None
        start = local_datetime(c, "date", day, data.get("start_time"), label=_("den Tag"))
        end = local_datetime(c, "end_time", day, data.get("end_time"), label=_("das Ende")) if start else None
        s_field, e_field = "date", "end_time"
    if start is None and end is None and "starts_at" not in c.errors and "date" not in c.errors:
        if required:
            c.add(s_field, _("Bitte geben Sie den Beginn an."))
        return None, None
    if start and not end and e_field not in c.errors:
        c.add(e_field, _("Bitte geben Sie das Ende an."))
    if end and not start and s_field not in c.errors:
        c.add(s_field, _("Bitte geben Sie den Beginn an."))
    if start and end and end <= start:
        c.add(e_field, _("Das Ende muss nach dem Beginn liegen."))
    elif start and end and end - start > timedelta(days=3):
        c.add(e_field, _("Ein Treffen dauert höchstens drei Tage."))
    return start, end


# --- meetings -----------------------------------------------------------------------------------

def _check_meeting(c: Checker, body: Body, data: dict, current: Meeting | None = None) -> dict:
    out = {}
    raw_number = data.get("number")
    if raw_number in (None, ""):
        out["number"] = None
    else:
        try:
            out["number"] = int(raw_number)
            if not 1 <= out["number"] <= 10000:
                raise ValueError
        except (TypeError, ValueError):
            c.add("number", _("Die laufende Nummer muss eine ganze Zahl zwischen 1 und 10000 sein."))
        else:
            clash = db.session.execute(sa.select(Meeting.id).where(Meeting.body_id == body.id,
                                                                   Meeting.number == out["number"])).scalar()
            if clash is not None and (current is None or clash != current.id):
                c.add("number", _("Diese Nummer hat schon ein anderes Treffen dieses Gremiums."))
    out["title"] = c.text("title", data.get("title"), label=_("einen Titel"), max_len=200)
    host = data.get("host_id")
    out["host_id"] = None
    if host not in (None, ""):
        try:
            host = int(host)
        except (TypeError, ValueError):
            host = -1
        if host not in {m.id for m in body_cities(body.id)}:
            c.add("host_id", _("Gastgeberin muss eine Mitgliedskommune des Gremiums sein."))
        else:
            out["host_id"] = host
    out["address"] = c.text("address", data.get("address"), label=_("eine Adresse"), required=False, max_len=300)
    out["room"] = c.text("room", data.get("room"), label=_("einen Raum"), required=False, max_len=200)
    out["online_url"] = c.url("online_url", data.get("online_url"), label=_("Der Online-Link"))
    out["description"] = c.text("description", data.get("description"), label=_("Hinweise"), required=False,
                                max_len=MAX_TEXT)
    raw_cap = data.get("capacity")
    out["capacity"] = None
    if raw_cap not in (None, ""):
        try:
            out["capacity"] = int(raw_cap)
            if not 1 <= out["capacity"] <= 10000:
                raise ValueError
        except (TypeError, ValueError):
            c.add("capacity", _("Die Teilnehmerzahl muss eine ganze Zahl zwischen 1 und 10000 sein."))
            out["capacity"] = None
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
        db.session.rollback()
        raise ValidationFailed({"number": _("Diese Nummer hat schon ein anderes Treffen dieses Gremiums.")}, 409)
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
        raise ValidationFailed({"status": _("Ein abgesagtes Treffen kann nicht mehr geändert werden.")}, 409)
    _check_version(meeting, version)
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
    _flush_or_conflict()
    return meeting


def cancel_meeting(actor, meeting: Meeting, reason: str = "") -> Meeting:
    """Call a meeting off: METHOD:CANCEL to everyone invited."""
    _require_organiser(actor, meeting.body)
    if meeting.status == "cancelled":
        raise ValidationFailed({"status": _("Das Treffen ist bereits abgesagt.")}, 409)
    c = Checker()
    reason = c.text("reason", reason, label=_("eine Begründung"), required=False, max_len=1000)
    c.done()
    was_scheduled = meeting.status == "scheduled"
    meeting.status = "cancelled"
    meeting.sequence += 1
    audit.record(actor, "meeting.cancelled", obj=meeting, summary=f"Treffen {meeting.title} abgesagt")
    if was_scheduled:
        _invite(meeting, "cancel", reason=reason)
    _flush_or_conflict()
    return meeting


def _abs(endpoint, **kw) -> str:
    try:
        return url_for(endpoint, _external=True, **kw)
    except RuntimeError:
        return ""


def _path(endpoint, **kw) -> str:
    try:
        return url_for(endpoint, **kw)
    except RuntimeError:
        return ""


def ical_domain() -> str:
    return current_app.config.get("MEETINGS_ICAL_DOMAIN") or current_app.config.get("SERVER_NAME") or "staedtenetz"


def place(meeting: Meeting) -> str:
    parts = [p for p in (meeting.address, meeting.room) if p]
    if meeting.online_url:
        parts.append(_("online: %(url)s", url=meeting.online_url))
    return ", ".join(parts)


def calendar_entry(meeting: Meeting) -> CalendarEntry:
    """The meeting as an entry of the personal feed and of the invitation."""
    url = _abs("meetings.detail", meeting_id=meeting.id)
    desc = meeting.description
    if url:
        desc = (desc + "\n\n" if desc else "") + url
    return CalendarEntry(uid=f"meeting-{meeting.id}@{ical_domain()}", summary=meeting.title,
                         start=meeting.starts_at, end=meeting.ends_at, url=url, description=desc,
                         location=place(meeting), sequence=meeting.sequence,
                         status="CANCELLED" if meeting.status == "cancelled" else "CONFIRMED",
                         last_modified=meeting.updated_at)


def meeting_ics(meeting: Meeting, method: str | None = "PUBLISH", attendees=()) -> str:
    return to_ics([calendar_entry(meeting)], method=method,
                  organizer=current_app.config.get("MEETINGS_ORGANIZER_EMAIL"), attendees=attendees)


def _rsvp_people(meeting: Meeting, responses=("yes", "maybe")) -> list[User]:
    return db.session.execute(sa.select(User).join(Rsvp, Rsvp.user_id == User.id).where(
        Rsvp.meeting_id == meeting.id, Rsvp.response.in_(responses), User.active.is_(True))).scalars().all()


def _invite(meeting: Meeting, kind: str, reason: str = "") -> int:
    """Invitation, update or cancellation with the .ics attached to everyone invited (once per address)."""
    people, seen = [], set()
    for u in recipients(meeting.body) + _rsvp_people(meeting):
        if u.email not in seen:
            seen.add(u.email)
            people.append(u)
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    ics = meeting_ics(meeting, method, attendees=[(u.email, u.name) for u in people])
    subjects = {"invitation": _("Einladung: %(title)s"), "update": _("Geändert: %(title)s"),
                "cancel": _("Abgesagt: %(title)s")}
    for u in people:
        queue_mail(u.email, "meetings/notice", subject=subjects[kind] % {"title": meeting.title}, locale=u.language,
                   municipality_id=meeting.host_municipality_id, person=u, notice=kind, meeting=meeting,
                   when=meeting.starts_at, place=place(meeting), reason=reason,
                   link=_abs("meetings.detail", meeting_id=meeting.id),
                   attachments=[(f"treffen-{meeting.id}.ics", ics, f"text/calendar; method={method}")])
    return len(people)


def _scheduled(actor, meeting: Meeting) -> None:
    _invite(meeting, "invitation")
    targets = [("body", meeting.body_id)] + ([("topic", meeting.body.topic_id)] if meeting.body.topic_id else [])
    meeting_scheduled.send(meeting=meeting, targets=targets, title=meeting.title,
                           url=_path("meetings.detail", meeting_id=meeting.id), audience=f"body:{meeting.body_id}",
                           actor_id=getattr(actor, "id", None))


def upcoming_meetings(user, *, limit: int | None = 50, until: datetime | None = None) -> list[Meeting]:
    """Scheduled meetings of the user's bodies from now on (in one query)."""
    stmt = (sa.select(Meeting).where(member_body_clause(user, Meeting.body_id), Meeting.status == "scheduled",
                                     Meeting.ends_at >= utcnow()).order_by(Meeting.starts_at))
    if until is not None:
        stmt = stmt.where(Meeting.starts_at <= until)
    if limit:
        stmt = stmt.limit(limit)
    return db.session.execute(stmt).scalars().all()


def running_polls(user) -> list[Meeting]:
    return db.session.execute(sa.select(Meeting).where(member_body_clause(user, Meeting.body_id),
                                                       Meeting.status == "polling")
                              .order_by(Meeting.created_at.desc())).scalars().all()


def body_history(user, body: Body, q: str | None = None) -> list[Meeting]:
    """The body's meetings, newest first; q searches title, place, host, minutes and decisions (ILIKE)."""
    require(user, "meeting.view")
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
    out = defaultdict(list)
    if meeting_ids:
        for d in db.session.execute(sa.select(Decision).where(Decision.meeting_id.in_(meeting_ids))
                                    .order_by(Decision.id)).scalars():
            out[d.meeting_id].append(d)
    return out


# --- poll --------------------------------------------------------------------------------------------

def slots(meeting: Meeting) -> list[PollSlot]:
    return db.session.execute(sa.select(PollSlot).where(PollSlot.meeting_id == meeting.id)
                              .order_by(PollSlot.starts_at)).scalars().all()


def add_slot(actor, meeting: Meeting, data: dict) -> PollSlot:
    """Organiser: propose a date for the poll."""
    _require_organiser(actor, meeting.body)
    if meeting.status != "polling":
        raise ValidationFailed({"date": _("Die Terminumfrage ist beendet.")}, 409)
    c = Checker()
    start, end = _times(c, data, required=True)
    if start and start < utcnow() and "date" not in c.errors:
        c.add("starts_at" if "starts_at" in data else "date", _("Der Termin liegt in der Vergangenheit."))
    c.done()
    if db.session.execute(sa.select(PollSlot.id).where(PollSlot.meeting_id == meeting.id,
                                                      PollSlot.starts_at == start)).first():
        raise ValidationFailed({"starts_at" if "starts_at" in data else "date":
                                _("Diesen Termin gibt es in der Umfrage schon.")}, 409)
    slot = PollSlot(meeting_id=meeting.id, starts_at=start, ends_at=end)
    db.session.add(slot)
    audit.record(actor, "meeting.slot_added", obj=meeting, summary=f"Terminvorschlag für {meeting.title}")
    db.session.flush()
    return slot


def delete_slot(actor, meeting: Meeting, slot: PollSlot) -> None:
    _require_organiser(actor, meeting.body)
    if meeting.status != "polling":
        raise ValidationFailed({"slot": _("Die Terminumfrage ist beendet.")}, 409)
    db.session.delete(slot)
    audit.record(actor, "meeting.slot_deleted", obj=meeting, summary=f"Terminvorschlag für {meeting.title} entfernt")
    db.session.flush()


def get_slot_or_404(meeting: Meeting, slot_id) -> PollSlot:
    slot = db.session.get(PollSlot, slot_id) if _valid_id(slot_id) else None
    if slot is None or slot.meeting_id != meeting.id:
        abort(404)
    return slot


def cast_votes(actor, meeting: Meeting, answers: dict) -> int:
    """A member answers yes / if need be / no per slot; answering again replaces the earlier answer."""
    _require_member(actor, meeting.body, "meeting.vote")
    if meeting.status != "polling":
        raise ValidationFailed({"votes": _("Die Terminumfrage ist beendet.")}, 409)
    own = {s.id: s for s in slots(meeting)}
    c = Checker()
    clean = {}
    for raw_id, answer in (answers or {}).items():
        try:
            sid = int(raw_id)
        except (TypeError, ValueError):
            sid = None
        if sid not in own:
            c.add("votes", _("Bitte antworten Sie nur zu Terminen dieser Umfrage."))
            continue
        if answer not in POLL_ANSWERS:
            c.add(f"slot-{sid}", _("Bitte wählen Sie ja, wenn nötig oder nein."))
            continue
        clean[sid] = answer
    if not clean and not c.errors:
        c.add("votes", _("Bitte beantworten Sie mindestens einen Termin."))
    c.done()
    existing = {v.slot_id: v for v in db.session.execute(sa.select(PollVote).where(
        PollVote.slot_id.in_(list(clean)), PollVote.user_id == actor.id)).scalars()}
    for sid, answer in clean.items():
        if sid in existing:
            existing[sid].answer = answer
        else:
            try:
                with db.session.begin_nested():
                    db.session.add(PollVote(slot_id=sid, user_id=actor.id, answer=answer))
            except IntegrityError:
                db.session.execute(sa.update(PollVote).where(PollVote.slot_id == sid, PollVote.user_id == actor.id)
                                   .values(answer=answer))
    db.session.flush()
    return len(clean)


def poll_table(meeting: Meeting) -> dict:
    """Slots, voters (grouped by city), each voter's answers and the totals per slot (two queries)."""
    the_slots = slots(meeting)
    votes = db.session.execute(sa.select(PollVote, User).join(User, User.id == PollVote.user_id)
                               .where(PollVote.slot_id.in_([s.id for s in the_slots]))).all() if the_slots else []
    answers, voters = {}, {}
    totals = {s.id: {"yes": 0, "maybe": 0, "no": 0} for s in the_slots}
    for vote, user in votes:
        answers[(user.id, vote.slot_id)] = vote.answer
        voters[user.id] = user
        totals[vote.slot_id][vote.answer] += 1
    people = sorted(voters.values(), key=lambda u: ((u.municipality.name if u.municipality else ""), u.name))
    best = None
    if the_slots:
        best = max(the_slots, key=lambda s: (totals[s.id]["yes"] + totals[s.id]["maybe"], totals[s.id]["yes"],
                                             -s.starts_at.timestamp()))
        if totals[best.id]["yes"] + totals[best.id]["maybe"] == 0:
            best = None
    return {"slots": the_slots, "people": people, "answers": answers, "totals": totals, "best": best}


def pick_slot(actor, meeting: Meeting, slot: PollSlot) -> Meeting:
    """Organiser: the chosen slot becomes the date; invitations go out."""
    _require_organiser(actor, meeting.body)
    if meeting.status != "polling":
        raise ValidationFailed({"slot": _("Die Terminumfrage ist bereits beendet.")}, 409)
    meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
    meeting.status = "scheduled"
    audit.record(actor, "meeting.slot_picked", obj=meeting, summary=f"Termin für {meeting.title} festgelegt")
    _flush_or_conflict()
    _scheduled(actor, meeting)
    db.session.flush()
    return meeting


# --- agenda ---------------------------------------------------------------------------------------

def proposals_open(meeting: Meeting) -> bool:
    if meeting.status == "cancelled":
        return False
    if meeting.proposal_cutoff is not None:
        return utcnow() < meeting.proposal_cutoff
    return meeting.starts_at is None or utcnow() < meeting.starts_at


def _check_item(c: Checker, data: dict) -> dict:
    out = {"title": c.text("title", data.get("title"), label=_("einen Titel"), max_len=200),
           "presenter_name": c.text("presenter_name", data.get("presenter_name"), label=_("eine vortragende Person"),
                                    required=False, max_len=120)}
    raw = data.get("duration_minutes")
    try:
        out["duration"] = int(raw) if raw not in (None, "") else 15
        if not 1 <= out["duration"] <= 480:
            raise ValueError
    except (TypeError, ValueError):
        c.add("duration_minutes", _("Die Dauer muss zwischen 1 und 480 Minuten liegen."))
        out["duration"] = 15
    out["city_id"] = None
    raw = data.get("presenter_municipality_id")
    if raw not in (None, ""):
        try:
            out["city_id"] = int(raw)
        except (TypeError, ValueError):
            out["city_id"] = -1
        if not _valid_id(out["city_id"]) or db.session.get(Municipality, out["city_id"]) is None:
            c.add("presenter_municipality_id", _("Diese Kommune gibt es nicht."))
            out["city_id"] = None
    out["topic_id"] = None
    raw = data.get("topic_id")
    if raw not in (None, ""):
        try:
            out["topic_id"] = int(raw)
        except (TypeError, ValueError):
            out["topic_id"] = -1
        topic = db.session.get(Topic, out["topic_id"]) if _valid_id(out["topic_id"]) else None
        if topic is None or topic.status != "active":
            c.add("topic_id", _("Dieses Thema gibt es nicht."))
            out["topic_id"] = None
    path = (data.get("link_path") or "").strip()
    label = c.text("link_label", data.get("link_label"), label=_("eine Bezeichnung des Links"), required=False,
                   max_len=200)
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
        raise ValidationFailed({"title": _("Vorschläge für die Tagesordnung sind nicht mehr möglich: "
                                           "der Einsendeschluss ist vorbei.")}, 409)
    if meeting.status == "cancelled":
        raise ValidationFailed({"title": _("Das Treffen ist abgesagt.")}, 409)
    c = Checker()
    v = _check_item(c, data)
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
    return db.session.execute(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                              .order_by(AgendaItem.position, AgendaItem.id)).scalars().all()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one (not cancelled)."""
    stmt = sa.select(Meeting).where(Meeting.body_id == meeting.body_id, Meeting.id != meeting.id,
                                    Meeting.status != "cancelled", Meeting.starts_at.is_not(None))
    if meeting.starts_at is not None:
        stmt = stmt.where(Meeting.starts_at < meeting.starts_at)
    return db.session.execute(stmt.order_by(Meeting.starts_at.desc()).limit(1)).scalar()


def agenda(meeting: Meeting) -> dict:
    """Accepted items with their start times, proposals, and the open action items of the previous meeting."""
    items = agenda_items(meeting)
    accepted = [i for i in items if i.status == "accepted"]
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


# --- RSVPs ---------------------------------------------------------------------------------------------

def record_rsvp(actor, meeting: Meeting, response, note: str = "") -> Rsvp:
    """A person's yes / no / maybe with a note; one row per person (answering again replaces it)."""
    _require_member(actor, meeting.body, "meeting.rsvp")
    if meeting.status == "cancelled":
        raise ValidationFailed({"response": _("Das Treffen ist abgesagt.")}, 409)
    if is_over(meeting):
        raise ValidationFailed({"response": _("Das Treffen ist vorbei; Antworten sind nicht mehr möglich.")}, 409)
    c = Checker()
    c.choice("response", response, RSVP_RESPONSES, label=_("Ihre Antwort"))
    note = c.text("note", note, label=_("eine Anmerkung"), required=False, max_len=500)
    c.done()
    now = utcnow()
    row = db.session.execute(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == actor.id)).scalar()
    if row is None:
        try:
            with db.session.begin_nested():
                row = Rsvp(meeting_id=meeting.id, user_id=actor.id, response=response, note=note,
                           yes_since=now if response == "yes" else None)
                db.session.add(row)
        except IntegrityError:
            # the same person answered in parallel: update that row instead
            row = db.session.execute(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id,
                                                           Rsvp.user_id == actor.id)).scalar_one()
    if row.response != response or row.note != note:
        if response == "yes" and row.response != "yes":
            row.yes_since = now
        elif response != "yes":
            row.yes_since = None
        row.response, row.note = response, note
    audit.record(actor, "meeting.rsvp", obj=meeting, municipality_id=actor.municipality_id,
                 summary=f"Antwort {response} für {meeting.title}")
    db.session.flush()
    return row


def is_over(meeting: Meeting) -> bool:
    return meeting.ends_at is not None and meeting.ends_at < utcnow()


def attendees(meeting: Meeting) -> dict:
    """RSVPs grouped by city; with a capacity, "yes" answers beyond it are on the waiting list (in order)."""
    rows = db.session.execute(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id)
                              .order_by(Rsvp.yes_since.nulls_last(), Rsvp.id)).scalars().all()
    yes = [r for r in rows if r.response == "yes"]
    cap = meeting.capacity
    confirmed = yes if cap is None else yes[:cap]
    waiting = [] if cap is None else yes[cap:]
    waiting_ids = {r.id for r in waiting}
    groups = defaultdict(list)
    for r in rows:
        groups[r.user.municipality.name if r.user.municipality else _("Netzwerkkoordination")].append(r)
    return {"rows": rows, "groups": sorted(groups.items()), "waiting": waiting, "waiting_ids": waiting_ids,
            "counts": {"yes": len(confirmed), "waiting": len(waiting),
                       "maybe": sum(r.response == "maybe" for r in rows),
                       "no": sum(r.response == "no" for r in rows)}}


def own_rsvp(user, meeting: Meeting) -> Rsvp | None:
    return db.session.execute(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id,
                                                    Rsvp.user_id == user.id)).scalar()


# --- minutes, decisions, action items -------------------------------------------------------------------

def may_write_minutes(user, meeting: Meeting) -> bool:
    """The organiser or an account of the host city (lead) writes the minutes."""
    if may_organise(user, meeting.body):
        return True
    return (can(user, "meeting.organise") and meeting.host_municipality_id is not None
            and user.municipality_id == meeting.host_municipality_id and is_member(user, meeting.body))


def _require_minutes(user, meeting: Meeting) -> None:
    require(user, "meeting.organise")
    if not may_write_minutes(user, meeting):
        raise Forbidden()
    if meeting.status != "scheduled":
        raise ValidationFailed({"minutes": _("Protokolle gibt es nur für stattgefundene Treffen.")}, 409)


def save_minutes(actor, meeting: Meeting, text: str, *, publish: bool = False, version=None) -> Meeting:
    """Save the Markdown draft; publishing makes it visible to all members (they get an email)."""
    _require_minutes(actor, meeting)
    _check_version(meeting, version)
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
    _flush_or_conflict()
    if first:
        targets = [("body", meeting.body_id)] + ([("topic", meeting.body.topic_id)] if meeting.body.topic_id else [])
        minutes_published.send(meeting=meeting, targets=targets, title=meeting.title,
                               url=_path("meetings.detail", meeting_id=meeting.id),
                               audience=f"body:{meeting.body_id}", actor_id=actor.id)
    return meeting


def minutes_visible(user, meeting: Meeting) -> bool:
    return meeting.minutes_status == "published" or (meeting.minutes_status == "draft"
                                                     and may_write_minutes(user, meeting))


def add_decision(actor, meeting: Meeting, text: str) -> Decision:
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
    _require_minutes(actor, meeting)
    c = Checker()
    text = c.text("action_text", data.get("text"), label=_("die Aufgabe"), max_len=MAX_TEXT)
    try:
        city_id = int(data.get("municipality_id"))
    except (TypeError, ValueError):
        city_id = None
    if not _valid_id(city_id) or db.session.get(Municipality, city_id) is None:
        c.add("action_city", _("Bitte wählen Sie die verantwortliche Kommune."))
    due = None
    raw = (data.get("due_date") or "").strip()
    if raw:
        try:
            due = date.fromisoformat(raw)
        except ValueError:
            c.add("due_date", _("Bitte geben Sie das Fälligkeitsdatum als Datum an (TT.MM.JJJJ)."))
    c.done()
    item = ActionItem(meeting_id=meeting.id, text=text, municipality_id=city_id, due_date=due)
    db.session.add(item)
    audit.record(actor, "meeting.action_item", obj=meeting, summary=f"Aufgabe aus {meeting.title}")
    db.session.flush()
    return item


def get_action_or_404(user, item_id) -> ActionItem:
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


def meeting_records(meeting: Meeting) -> dict:
    return {
        "decisions": db.session.execute(sa.select(Decision).where(Decision.meeting_id == meeting.id)
                                        .order_by(Decision.id)).scalars().all(),
        "actions": db.session.execute(sa.select(ActionItem).where(ActionItem.meeting_id == meeting.id)
                                      .order_by(ActionItem.id)).scalars().all(),
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


# --- calendar feed ----------------------------------------------------------------------------------------

def feed_of(user) -> CalendarFeed | None:
    return db.session.execute(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id)).scalar()


def renew_feed(actor) -> CalendarFeed:
    """A new secret for the personal calendar subscription; the old address stops working at once."""
    require(actor, "meeting.calendar")
    feed = feed_of(actor)
    if feed is None:
        feed = CalendarFeed(user_id=actor.id, secret=secrets.token_urlsafe(32))
        db.session.add(feed)
    else:
        feed.secret = secrets.token_urlsafe(32)
        feed.created_at = utcnow()
    audit.record(actor, "calendar.renewed", municipality_id=actor.municipality_id,
                 summary="Kalender-Abo-Adresse erneuert")
    db.session.flush()
    return feed


def user_for_feed(secret: str) -> User | None:
    if not secret or len(secret) > 64:
        return None
    user = db.session.execute(sa.select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
                              .where(CalendarFeed.secret == secret)).scalar()
    if user is None or not user.active or not can(user, "meeting.calendar"):
        return None
    return user


def calendar_source(user) -> list[CalendarEntry]:
    """Every scheduled or cancelled meeting of the user's bodies from a year ago on (feed entries)."""
    since = utcnow() - timedelta(days=365)
    meetings = db.session.execute(sa.select(Meeting).where(
        member_body_clause(user, Meeting.body_id), Meeting.status.in_(("scheduled", "cancelled")),
        Meeting.starts_at.is_not(None), Meeting.starts_at >= since).order_by(Meeting.starts_at)).scalars().all()
    return [calendar_entry(m) for m in meetings]


def feed_ics(user) -> str:
    from network.core.hooks import calendar_entries
    name = _("%(network)s – Termine", network=current_app.config.get("NETWORK_NAME", "Städtenetz"))
    return to_ics(calendar_entries(user), name=name, method="PUBLISH")


# --- following (used by the interest domain) ---------------------------------------------------

def follow_body(user, body_id):
    """(name, url) of a body the user may see, for the interest domain's follow button."""
    body = db.session.get(Body, body_id)
    if body is None or not can(user, "meeting.view") or not is_member(user, body):
        return None
    return body.name, _path("meetings.body", body_id=body.id)
