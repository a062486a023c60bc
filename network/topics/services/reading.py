"""Reading topics: fields of action, the topic list and page, proposals, choices and dashboard counts."""

import sqlalchemy as sa
from flask import abort

from network.accounts.models import User
from network.core.pagination import page_with_total
from network.core.permissions import can, require
from network.extensions import db
from network.municipalities.models import Municipality
from network.topics.models import OPEN_STATUSES, FieldOfAction, LeadClaim, LeadEvent, Participation, Topic
from network.topics.services._common import _full_member_clause, _member_clause, _network


def fields_of_action(network=None):
    """The fields of action of the network (default: this request's) in their configured order."""
    return db.session.execute(
        sa.select(FieldOfAction).where(FieldOfAction.network_id == _network(network).id)
        .order_by(FieldOfAction.position, FieldOfAction.name)
    ).scalars().all()


def get_field_or_404(field_id) -> FieldOfAction:
    """One field of action of this request's network or 404."""
    field = db.session.get(FieldOfAction, field_id)
    if field is None or field.network_id != _network().id:
        abort(404)
    return field


def _may_see(user, topic: Topic) -> bool:
    if topic.status == "active":
        return can(user, "topic.view")
    # proposals and declined proposals: the coordination and the proposing city only
    if can(user, "topic.manage"):
        return True
    return (can(user, "topic.view") and topic.proposed_by_municipality_id is not None
            and topic.proposed_by_municipality_id == getattr(user, "municipality_id", None))


def get_topic_or_404(user, slug: str) -> Topic:
    """A topic of this request's network the user may see, by slug; proposals of other cities and topics of other
    networks answer 404."""
    topic = db.session.execute(sa.select(Topic).where(Topic.network_id == _network().id, Topic.slug == slug)
                               ).scalar_one_or_none()
    if topic is None or not _may_see(user, topic):
        abort(404)
    return topic


def topic_page(user, slug: str, columns: dict | None = None) -> tuple[Topic, dict]:
    """The topic page's first statement (issue #17): the topic as get_topic_or_404 finds it, its open claims with
    their people (topic_overview's `claims`), the user's city's participation and the values of `columns` (labelled
    expressions correlated to Topic.id, see core.hooks.panel_columns). Returns (topic, {"claims", "participation",
    "values"})."""
    network_id = _network().id
    city_id = getattr(user, "municipality_id", None)
    columns = columns or {}
    entities = [Topic, LeadClaim] + ([Participation] if city_id else [])
    stmt = (sa.select(*entities, *columns.values()).select_from(Topic)
            .outerjoin(LeadClaim, sa.and_(LeadClaim.topic_id == Topic.id, LeadClaim.status.in_(OPEN_STATUSES),
                                          _member_clause(network_id, LeadClaim.municipality_id)))
            .where(Topic.network_id == network_id, Topic.slug == slug)
            .options(sa.orm.joinedload(LeadClaim.requested_by), sa.orm.joinedload(LeadClaim.from_municipality))
            .order_by(LeadClaim.created_at, LeadClaim.id))
    if city_id:
        stmt = stmt.outerjoin(Participation, sa.and_(Participation.topic_id == Topic.id,
                                                     Participation.municipality_id == city_id))
    rows = db.session.execute(stmt).all()
    if not rows or not _may_see(user, rows[0][0]):
        abort(404)
    first = rows[0]
    return first[0], {"claims": [r[1] for r in rows if r[1] is not None],
                      "participation": first[2] if city_id else None,
                      "values": {key: first[len(entities) + i] for i, key in enumerate(columns)}}


def list_topics(user, field_slug: str | None = None):
    """Active topics of this request's network (ordered by field of action) with their lead city:
    [(topic, lead_city|None)]."""
    require(user, "topic.view")
    network = _network()
    stmt = (sa.select(Topic).join(Topic.field).where(Topic.network_id == network.id, Topic.status == "active")
            .order_by(FieldOfAction.position, FieldOfAction.name, Topic.name))
    if field_slug:
        stmt = stmt.where(FieldOfAction.slug == field_slug)
    topics = db.session.execute(stmt).scalars().all()
    leads = _confirmed_claims(network.id, [t.id for t in topics], kinds=("lead",))
    lead_by_topic = {c.topic_id: c.municipality for c in leads}
    return [(t, lead_by_topic.get(t.id)) for t in topics]


def topic_summaries(user, field_slug: str | None = None, *, topics=None) -> list[dict]:
    """Topics with lead, co-leads and participants for the API, in three queries."""
    require(user, "topic.view")
    if topics is None:
        topics = [t for t, _lead in list_topics(user, field_slug)]
    ids = [t.id for t in topics]
    network_id = topics[0].network_id if topics else None
    claims = _confirmed_claims(network_id, ids)
    parts = db.session.execute(
        sa.select(Participation).join(Municipality, Municipality.id == Participation.municipality_id)
        .where(Participation.topic_id.in_(ids), _member_clause(network_id)).order_by(Municipality.name)
    ).scalars().all() if ids else []
    out = []
    for t in topics:
        mine = [c for c in claims if c.topic_id == t.id]
        out.append({
            "slug": t.slug, "name": t.name, "description": t.description, "status": t.status,
            "is_example": t.is_example, "field": t.field,
            "lead": next((c.municipality for c in mine if c.kind == "lead"), None),
            "coleads": sorted((c.municipality for c in mine if c.kind == "colead"), key=lambda m: m.name),
            "participants": [p for p in parts if p.topic_id == t.id],
        })
    return out


def proposals(user):
    """Topics proposed in this request's network and not yet decided (coordination), or the city's own proposals."""
    require(user, "topic.propose")
    stmt = (sa.select(Topic).where(Topic.network_id == _network().id, Topic.status.in_(("proposed", "declined")))
            .order_by(Topic.created_at.desc()))
    if not can(user, "topic.manage"):
        stmt = stmt.where(Topic.proposed_by_municipality_id == user.municipality_id)
    return db.session.execute(stmt).scalars().all()


def _confirmed_claims(network_id, topic_ids, kinds=("lead", "colead")):
    """Confirmed claims of the topics (all of one network) held by cities that still take part in it."""
    if not topic_ids:
        return []
    return db.session.execute(
        sa.select(LeadClaim)
        .where(LeadClaim.topic_id.in_(topic_ids), LeadClaim.kind.in_(kinds), LeadClaim.status == "confirmed",
               _member_clause(network_id, LeadClaim.municipality_id))
    ).scalars().all()


#: rows per section of the topic page (participants, history); "alle anzeigen" pages through the rest
TOPIC_SECTION_SIZE = 20


def topic_overview(topic: Topic, participants_page: int = 1, history_page: int = 1,
                   per_page: int | None = None, claims: list | None = None) -> dict:
    """What the topic page shows: lead, co-leads, open requests, and the participants and the history with their
    totals (three queries; two when the page passes the `claims` topic_page() read). The page passes per_page
    (TOPIC_SECTION_SIZE) and reads one page of each; the API (per_page None) reads them whole."""
    claims = claims if claims is not None else db.session.execute(
        sa.select(LeadClaim)
        .where(LeadClaim.topic_id == topic.id, LeadClaim.status.in_(OPEN_STATUSES),
               _member_clause(topic.network_id, LeadClaim.municipality_id))
        # joined (many-to-one): the same single statement whether or not there are claims
        .options(sa.orm.joinedload(LeadClaim.requested_by), sa.orm.joinedload(LeadClaim.from_municipality))
        .order_by(LeadClaim.created_at, LeadClaim.id)
    ).scalars().all()
    participations, participants_total = page_with_total(
        sa.select(Participation).join(Municipality, Municipality.id == Participation.municipality_id)
        .where(Participation.topic_id == topic.id, _member_clause(topic.network_id))
        .order_by(Municipality.name, Participation.id), participants_page, per_page)
    history, history_total = page_with_total(
        sa.select(LeadEvent).where(LeadEvent.topic_id == topic.id)
        .order_by(LeadEvent.created_at.desc(), LeadEvent.id.desc()), history_page, per_page)
    lead = next((c for c in claims if c.kind == "lead" and c.status == "confirmed"), None)
    return {
        "lead": lead,
        "pending_lead": next((c for c in claims if c.kind == "lead" and c.status == "pending"), None),
        "coleads": [c for c in claims if c.kind == "colead" and c.status == "confirmed"],
        "pending_coleads": [c for c in claims if c.kind == "colead" and c.status == "pending"],
        # an accepted offer stays "confirmed" in the history; only a pending one is still to be answered
        "handover": next((c for c in claims if c.kind == "handover" and c.status == "pending"), None),
        "participations": participations,
        "participants": {"page": max(1, participants_page), "total": participants_total, "per_page": per_page},
        "history": history,
        "history_pages": {"page": max(1, history_page), "total": history_total, "per_page": per_page},
    }


def city_users(city_id: int):
    """Active accounts of a city (choices for a contact person)."""
    return db.session.execute(
        sa.select(User).where(User.municipality_id == city_id, User.active.is_(True)).order_by(User.name)
    ).scalars().all()


#: above this many member cities the handover offers a search instead of one select of them all
HANDOVER_SELECT_LIMIT = 100


def member_cities_except(city_id, network=None, query: str | None = None, limit: int | None = None):
    """Member cities of the network (default: this request's; guests do not lead) other than `city_id`
    (choices for a handover), optionally only those whose name contains `query`, at most `limit`."""
    stmt = (sa.select(Municipality).where(_full_member_clause(_network(network).id), Municipality.id != city_id)
            .order_by(Municipality.name))
    if query:
        stmt = stmt.where(Municipality.name.icontains(query, autoescape=True))
    if limit:
        stmt = stmt.limit(limit)
    return db.session.execute(stmt).scalars().all()


def page_choices(city_id, *, users: bool, handover: bool, query: str | None = None) -> dict:
    """The topic page's choices in one statement (issue #17): the city's active accounts (contact person, as
    city_users) and the cities a lead may hand over to (as handover_choices), as (id, name) rows by name."""
    parts = []
    limit = 50 if query else HANDOVER_SELECT_LIMIT + 1
    if users:
        parts.append(sa.select(sa.literal("user").label("kind"), User.id.label("id"), User.name.label("name"),
                               sa.func.row_number().over(order_by=User.name).label("pos"))
                     .where(User.municipality_id == city_id, User.active.is_(True)))
    if handover:
        cities = (sa.select(sa.literal("city").label("kind"), Municipality.id.label("id"),
                            Municipality.name.label("name"),
                            sa.func.row_number().over(order_by=Municipality.name).label("pos"))
                  .where(_full_member_clause(_network().id), Municipality.id != city_id))
        if query:
            cities = cities.where(Municipality.name.icontains(query, autoescape=True))
        parts.append(cities)
    rows = []
    if parts:
        both = (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
        rows = db.session.execute(sa.select(both).where(sa.or_(both.c.kind == "user", both.c.pos <= limit))
                                  .order_by(both.c.kind.desc(), both.c.pos)).all()
    out = {"users": [r for r in rows if r.kind == "user"]}
    if handover:
        cities = [r for r in rows if r.kind == "city"]
        large = not query and len(cities) > HANDOVER_SELECT_LIMIT
        out["handover"] = {"cities": [] if large else cities, "search": bool(query) or large, "query": query or "",
                           "truncated": bool(query) and len(cities) == 50}
    return out


def handover_choices(city_id, query: str | None = None) -> dict:
    """The cities a lead may hand over to, bounded: all of them when the network has at most
    HANDOVER_SELECT_LIMIT other members, else a search (`query`) and at most 50 matches. One query."""
    cities = member_cities_except(city_id, query=query, limit=(50 if query else HANDOVER_SELECT_LIMIT + 1))
    large = not query and len(cities) > HANDOVER_SELECT_LIMIT
    return {"cities": [] if large else cities, "search": bool(query) or large, "query": query or "",
            "truncated": bool(query) and len(cities) == 50}


def pending_decisions(user) -> dict:
    """Counts for the dashboard of this request's network: claims and proposals awaiting the user's decision."""
    out = {"claims": 0, "proposals": 0, "handovers": 0}
    network_id = _network().id
    in_network = LeadClaim.topic_id.in_(sa.select(Topic.id).where(Topic.network_id == network_id))
    if can(user, "topic.decide_claim"):
        out["claims"] = db.session.scalar(
            sa.select(sa.func.count(LeadClaim.id)).where(LeadClaim.kind.in_(("lead", "colead")),
                                                         LeadClaim.status == "pending", in_network))
        out["proposals"] = db.session.scalar(sa.select(sa.func.count(Topic.id)).where(
            Topic.network_id == network_id, Topic.status == "proposed"))
    if getattr(user, "municipality_id", None) and can(user, "topic.claim"):
        out["handovers"] = db.session.scalar(
            sa.select(sa.func.count(LeadClaim.id)).where(LeadClaim.kind == "handover", LeadClaim.status == "pending",
                                                         LeadClaim.municipality_id == user.municipality_id,
                                                         in_network))
    return out
