"""Who belongs to a body and what they may see or organise; look-ups for forms; the follow provider."""

import sqlalchemy as sa
from flask import abort
from werkzeug.exceptions import Forbidden

from network.accounts.models import User
from network.core.pagination import page_with_total
from network.core.permissions import can, require
from network.extensions import db
from network.meetings.models import Body, BodyCity, BodyPerson, Meeting
from network.meetings.services._common import _is_coordinator, _valid_id, coordinated_clause, local_url, this_network
from network.municipalities.models import Municipality
from network.networks.models import NetworkRole
from network.networks.services import active_member_clause
from network.topics.models import LeadClaim, Topic


def member_body_clause(user, column=None):
    """SQL: the body ids the user is a member of, in every network (a member city's account, a member person,
    or the coordination of the body's network)."""
    column = Body.id if column is None else column
    if not getattr(user, "is_authenticated", False):
        return sa.false()
    # one IN over the union, not an OR of three INs: PostgreSQL can then drive from the few body ids (an index on
    # the column) instead of filtering every meeting (11 of 14 ms of the dashboard's meetings at Germany scale)
    sources = [sa.select(BodyPerson.body_id).where(BodyPerson.user_id == user.id)]
    if user.municipality_id:
        sources.append(sa.select(BodyCity.body_id).where(BodyCity.municipality_id == user.municipality_id))
    if user.coordinated_networks:
        sources.append(sa.select(Body.id).where(coordinated_clause(user, Body.network_id)))
    return column.in_(sa.union(*sources) if len(sources) > 1 else sources[0])


def is_member(user, body: Body) -> bool:
    """True for the coordination of the body's network, accounts of member cities and member persons."""
    if _is_coordinator(user, body.network):
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
    if can(user, "meeting.organise_any") and _is_coordinator(user, body.network):
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
    return db.session.execute(sa.select(Body).where(Body.network_id == this_network().id,
                                                    member_body_clause(user)).order_by(
        sa.case({"plenum": 0, "fachgruppe": 1, "projektgruppe": 2}, value=Body.kind), Body.name)).scalars().all()


def organisable_bodies(user) -> list[Body]:
    """Bodies the user may schedule meetings for."""
    if not can(user, "meeting.organise"):
        return []
    network = this_network()
    if can(user, "meeting.organise_any") and _is_coordinator(user, network):
        return db.session.execute(sa.select(Body).where(Body.network_id == network.id)
                                  .order_by(Body.name)).scalars().all()
    led = sa.select(LeadClaim.topic_id).where(LeadClaim.kind == "lead", LeadClaim.status == "confirmed",
                                              LeadClaim.municipality_id == user.municipality_id)
    return db.session.execute(sa.select(Body).where(Body.network_id == network.id, Body.kind == "projektgruppe",
                                                    Body.topic_id.in_(led)).order_by(Body.name)).scalars().all()


def get_body_or_404(user, body_id) -> Body:
    """A body of this request's network the user is a member of, else 404."""
    require(user, "meeting.view")
    if not _valid_id(body_id):
        abort(404)
    network = this_network()
    # the membership is asked in the same statement (the coordination of the network reaches every body)
    stmt = sa.select(Body).where(Body.id == body_id, Body.network_id == network.id)
    if not _is_coordinator(user, network):
        stmt = stmt.where(member_body_clause(user))
    body = db.session.execute(stmt).scalar()
    if body is None:
        abort(404)
    return body


def get_meeting_or_404(user, meeting_id) -> Meeting:
    """A meeting of one of the user's bodies in this request's network, else 404."""
    require(user, "meeting.view")
    if not _valid_id(meeting_id):
        abort(404)
    network_bodies = sa.select(Body.id).where(Body.network_id == this_network().id)
    meeting = db.session.execute(sa.select(Meeting).where(Meeting.id == meeting_id,
                                                          Meeting.body_id.in_(network_bodies),
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


#: member cities and persons per page of the body page
BODY_MEMBERS_PAGE = 50


def _page_of(stmt, page: int, per_page: int) -> dict:
    """One page of `stmt` as the pager macro's `info`: {"rows", "page", "total", "per_page"} (one statement)."""
    rows, total = page_with_total(stmt, page, per_page)
    return {"rows": rows, "page": max(1, page), "total": total, "per_page": per_page}


def body_members(body_id, cities_page: int = 1, persons_page: int = 1, per_page: int = BODY_MEMBERS_PAGE) -> dict:
    """One page of the body's member cities and one of its persons (with their city), by name, with the totals
    (two statements whatever the size)."""
    cities = _page_of(sa.select(Municipality).join(BodyCity, BodyCity.municipality_id == Municipality.id)
                      .where(BodyCity.body_id == body_id).order_by(Municipality.name, Municipality.id),
                      cities_page, per_page)
    persons = _page_of(sa.select(User).join(BodyPerson, BodyPerson.user_id == User.id)
                       .where(BodyPerson.body_id == body_id).order_by(User.name, User.id), persons_page, per_page)
    return {"cities": cities, "persons": persons}


def people_clause(network):
    """SQL: active accounts that can be member persons of a body of the network (its cities' and coordinators)."""
    coordinators = sa.select(NetworkRole.user_id).where(NetworkRole.network_id == network.id)
    return sa.and_(User.active.is_(True), sa.or_(active_member_clause(network.id, User.municipality_id),
                                                 User.id.in_(coordinators)))


def active_topics(network=None):
    """Active topics of the network by name (choices in forms)."""
    network = network or this_network()
    return db.session.execute(sa.select(Topic).where(Topic.status == "active", Topic.network_id == network.id)
                              .order_by(Topic.name)).scalars().all()


def recipients(body: Body) -> list[User]:
    """Who gets invitations and minutes: the member persons, and for member cities without one, their leads."""
    persons = [u for u in body_persons(body.id) if u.active]
    covered = {u.municipality_id for u in persons}
    # cities that left the body's network get no more invitations (guests do)
    active = set(db.session.execute(sa.select(BodyCity.municipality_id).where(
        BodyCity.body_id == body.id, active_member_clause(body.network_id, BodyCity.municipality_id))).scalars())
    cities = [c.id for c in body_cities(body.id) if c.id not in covered and c.id in active]
    leads = db.session.execute(sa.select(User).where(User.municipality_id.in_(cities), User.role == "lead",
                                                     User.active.is_(True)).order_by(User.name)).scalars().all() \
        if cities else []
    return persons + leads


def follow_body(user, body_id):
    """(name, url) of a body the user may see, for the interest domain's follow button."""
    body = db.session.get(Body, body_id)
    if body is None or not can(user, "meeting.view") or not is_member(user, body):
        return None
    return body.name, local_url("meetings.body", body_id=body.id, network=body.network.slug)
