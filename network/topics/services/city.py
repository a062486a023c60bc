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
    """SQL: the ids of the networks the city takes part in (member or guest) whose topics the user may read: those
    the user's own city takes part in, and those the user coordinates (the first MAX_NETWORKS by name); None when
    the user reads none."""
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
        return None
    return sa.select(Network.id).where(takes_part(city.id), sa.or_(*readers)).order_by(Network.name).limit(MAX_NETWORKS)


def city_topics(user, city, limit: int = CITY_TOPICS_LIMIT) -> dict | None:
    """The city's active topics, grouped as leads, co-leads, participations and open claims (pending lead/co-lead
    requests and handover offers to the city), in the networks the city takes part in and the user may read;
    None for users who may not read topics (visitors). At most `limit` per group (``more[group]`` says whether
    there are more). One statement, however many topics there are (issue #17): the networks, the claims and the
    participations, each numbered within its group, as one UNION ALL."""
    from network.networks.models import Network
    if city is None or not getattr(user, "is_authenticated", False) or not can(user, "topic.view"):
        return None
    out = {"city": city, "networks": [], "more": {}, "limit": limit}
    for group in GROUPS:
        out[group] = []
        out["more"][group] = False
    visible = _visible_networks(user, city)
    if visible is None:
        out["empty"] = True
        return out
    in_scope = sa.and_(Topic.network_id.in_(visible), Topic.status == "active")
    group = sa.case((LeadClaim.status == "pending", "open"), (LeadClaim.kind == "lead", "leads"), else_="coleads")
    networks = sa.select(sa.literal("networks").label("grp"), Network.id.label("id"), Network.name.label("name"),
                         sa.func.row_number().over(order_by=(Network.name, Network.id)).label("rn")) \
        .where(Network.id.in_(visible))
    claims = (sa.select(group.label("grp"), LeadClaim.id.label("id"), Topic.name.label("name"),
                        sa.func.row_number().over(partition_by=group, order_by=(Topic.name, LeadClaim.id)).label("rn"))
              .join(Topic, Topic.id == LeadClaim.topic_id)
              .where(LeadClaim.municipality_id == city.id, in_scope,
                     sa.or_(LeadClaim.status == "pending",
                            sa.and_(LeadClaim.kind.in_(("lead", "colead")), LeadClaim.status == "confirmed"))))
    parts = (sa.select(sa.literal("participations").label("grp"), Participation.id.label("id"),
                       Topic.name.label("name"),
                       sa.func.row_number().over(order_by=(Topic.name, Participation.id)).label("rn"))
             .join(Topic, Topic.id == Participation.topic_id)
             .where(Participation.municipality_id == city.id, in_scope))
    ranked = sa.union_all(networks, claims, parts).subquery()
    rows = db.session.execute(
        sa.select(ranked.c.grp, Network, LeadClaim, Participation).select_from(ranked)
        .outerjoin(Network, sa.and_(ranked.c.grp == "networks", Network.id == ranked.c.id))
        .outerjoin(LeadClaim, sa.and_(ranked.c.grp.in_(("open", "leads", "coleads")), LeadClaim.id == ranked.c.id))
        .outerjoin(Participation, sa.and_(ranked.c.grp == "participations", Participation.id == ranked.c.id))
        .where(sa.or_(ranked.c.grp == "networks", ranked.c.rn <= limit + 1))  # the networks: MAX_NETWORKS
        .options(joinedload(LeadClaim.topic), joinedload(LeadClaim.from_municipality),
                 joinedload(Participation.topic))
        .order_by(ranked.c.grp, ranked.c.name, ranked.c.id)).all()
    for grp, network, claim, participation in rows:
        out[grp].append(network if grp == "networks" else claim if claim is not None else participation)
    if not out["networks"]:
        out["empty"] = True
        return out
    for group in GROUPS:
        if len(out[group]) > limit:
            out[group] = out[group][:limit]
            out["more"][group] = True
    out["empty"] = not any(out[group] for group in GROUPS)
    return out
