"""Who belongs to a body and what they may see or organise; look-ups for forms; the follow provider."""

import sqlalchemy as sa
from flask import abort
from werkzeug.exceptions import Forbidden

from network.accounts.models import User
from network.core.permissions import can, require
from network.extensions import db
from network.meetings.models import Body, BodyCity, BodyPerson, Meeting
from network.meetings.services._common import _is_coordinator, _valid_id, local_url
from network.municipalities.models import Municipality
from network.topics.models import LeadClaim, Topic


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
    """403 unless the user organises this body."""
    require(user, "meeting.organise")
    if not may_organise(user, body):
        raise Forbidden()


require_organiser = _require_organiser


def _require_member(user, body: Body, permission: str = "meeting.view") -> None:
    """403 without the right, 404 for a body the user is not a member of."""
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
    """The body's member cities by name."""
    return db.session.execute(sa.select(Municipality).join(BodyCity, BodyCity.municipality_id == Municipality.id)
                              .where(BodyCity.body_id == body_id).order_by(Municipality.name)).scalars().all()


def body_persons(body_id) -> list[User]:
    """The body's member persons by name."""
    return db.session.execute(sa.select(User).join(BodyPerson, BodyPerson.user_id == User.id)
                              .where(BodyPerson.body_id == body_id).order_by(User.name)).scalars().all()


def member_cities():
    """Every member city of the network by name (choices in forms)."""
    return db.session.execute(sa.select(Municipality).where(Municipality.status == "member")
                              .order_by(Municipality.name)).scalars().all()


def all_people():
    """Active accounts that can be member persons (with their city)."""
    return db.session.execute(sa.select(User).where(User.active.is_(True)).order_by(User.name)).scalars().all()


def active_topics():
    """Active topics by name (choices in forms)."""
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


def follow_body(user, body_id):
    """(name, url) of a body the user may see, for the interest domain's follow button."""
    body = db.session.get(Body, body_id)
    if body is None or not can(user, "meeting.view") or not is_member(user, body):
        return None
    return body.name, local_url("meetings.body", body_id=body.id)
