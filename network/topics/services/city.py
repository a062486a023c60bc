"""A city's own topics across its networks: what it leads, co-leads, takes part in, and its open claims."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from network.core.permissions import can
from network.extensions import db
from network.topics.models import LeadClaim, Participation, Topic

#: at most this many topics per group; the page links to the topic lists for the rest
CITY_TOPICS_LIMIT = 20
#: a city takes part in a handful of networks; this only bounds the page
MAX_NETWORKS = 50

GROUPS = ("leads", "coleads", "participations", "open")


def _visible_networks(user, city):
    """The networks the city takes part in (member or guest) whose topics the user may read: those the user's own
    city takes part in, and those the user coordinates. One query."""
    from network.networks.models import ACTIVE_STATUSES, Network, NetworkMembership

    def takes_part(city_id):
        return sa.exists().where(NetworkMembership.network_id == Network.id,
                                 NetworkMembership.municipality_id == city_id,
                                 NetworkMembership.status.in_(ACTIVE_STATUSES))

    readers = []
    own = getattr(user, "municipality_id", None)
    if own is not None:
        readers.append(takes_part(own))
    coordinated = sorted(getattr(user, "coordinated_networks", None) or ())
    if coordinated:
        readers.append(Network.slug.in_(coordinated))
    if not readers:
        return []
    return db.session.execute(
        sa.select(Network).where(takes_part(city.id), sa.or_(*readers)).order_by(Network.name).limit(MAX_NETWORKS)
    ).scalars().all()


def city_topics(user, city, limit: int = CITY_TOPICS_LIMIT) -> dict | None:
    """The city's active topics, grouped as leads, co-leads, participations and open claims (pending lead/co-lead
    requests and handover offers to the city), in the networks the city takes part in and the user may read;
    None for users who may not read topics (visitors). At most `limit` per group (``more[group]`` says whether
    there are more); three queries, however many topics there are."""
    if city is None or not getattr(user, "is_authenticated", False) or not can(user, "topic.view"):
        return None
    networks = _visible_networks(user, city)
    out = {"city": city, "networks": networks, "more": {}, "limit": limit}
    for group in GROUPS:
        out[group] = []
        out["more"][group] = False
    if not networks:
        out["empty"] = True
        return out
    network_ids = [n.id for n in networks]
    in_scope = sa.and_(Topic.network_id.in_(network_ids), Topic.status == "active")

    # the three groups of claims in one statement: each row numbered within its group, at most limit + 1 each
    group = sa.case((LeadClaim.status == "pending", "open"), (LeadClaim.kind == "lead", "leads"), else_="coleads")
    ranked = (sa.select(LeadClaim.id.label("id"), group.label("grp"),
                        sa.func.row_number().over(partition_by=group, order_by=(Topic.name, LeadClaim.id)).label("rn"))
              .join(Topic, Topic.id == LeadClaim.topic_id)
              .where(LeadClaim.municipality_id == city.id, in_scope,
                     sa.or_(LeadClaim.status == "pending",
                            sa.and_(LeadClaim.kind.in_(("lead", "colead")), LeadClaim.status == "confirmed")))
              .subquery())
    rows = db.session.execute(
        sa.select(LeadClaim, ranked.c.grp).join(ranked, ranked.c.id == LeadClaim.id).join(Topic, Topic.id == LeadClaim.topic_id)
        .where(ranked.c.rn <= limit + 1)
        .options(joinedload(LeadClaim.topic), joinedload(LeadClaim.from_municipality))
        .order_by(Topic.name, LeadClaim.id)).all()
    for claim, grp in rows:
        out[grp].append(claim)
    out["participations"] = db.session.execute(
        sa.select(Participation).join(Topic, Topic.id == Participation.topic_id)
        .where(Participation.municipality_id == city.id, in_scope)
        .options(joinedload(Participation.topic))
        .order_by(Topic.name, Participation.id).limit(limit + 1)
    ).scalars().all()
    for group in GROUPS:
        if len(out[group]) > limit:
            out[group] = out[group][:limit]
            out["more"][group] = True
    out["empty"] = not any(out[group] for group in GROUPS)
    return out
