"""Reading a network for its public page, the installation's list and the header's switcher (bounded, few queries)."""

from dataclasses import dataclass, field

import sqlalchemy as sa
import sqlalchemy.orm
from flask import g

from network.core.current import current_network_slug, default_network_slug
from network.core.models import utcnow
from network.extensions import db
from network.municipalities.models import Municipality
from network.networks.access import loaded_networks
from network.networks.models import ACTIVE_STATUSES, Network, NetworkMembership

#: bounds of the public page ("a page shows what a person reads")
MEMBERS_SHOWN = 100
LEADS_SHOWN = 50
PRACTICES_SHOWN = 10
CITY_SEARCH_SHOWN = 10


def public_members(network: Network, *, limit: int = MEMBERS_SHOWN):
    """Members and guests by name, at most `limit` (the page says how many there are in all)."""
    return db.session.execute(
        sa.select(NetworkMembership).join(Municipality, Municipality.id == NetworkMembership.municipality_id)
        .where(NetworkMembership.network_id == network.id, NetworkMembership.status.in_(ACTIVE_STATUSES))
        .order_by(Municipality.name).limit(limit)).scalars().all()


def topic_leads(network: Network, *, limit: int = LEADS_SHOWN):
    """Active topics of the network that have a confirmed lead, with the leading cities (one grouped query).

    Returns rows (topic_name, topic_slug, cities) with cities as "A, B" (lead and co-leads, by name)."""
    from network.topics.models import LeadClaim, Topic
    cities = sa.func.aggregate_strings(Municipality.name, ", ")
    rows = db.session.execute(
        sa.select(Topic.name, Topic.slug, cities)
        .join(LeadClaim, LeadClaim.topic_id == Topic.id)
        .join(Municipality, Municipality.id == LeadClaim.municipality_id)
        .where(Topic.network_id == network.id, Topic.status == "active", LeadClaim.status == "confirmed",
               LeadClaim.kind.in_(("lead", "colead")))
        .group_by(Topic.id, Topic.name, Topic.slug).order_by(Topic.name).limit(limit)).all()
    # aggregate_strings keeps no order: name the cities alphabetically
    return [(name, slug, ", ".join(sorted(c.strip() for c in (names or "").split(", ") if c.strip())))
            for name, slug, names in rows]


def public_practices(network: Network, *, limit: int = PRACTICES_SHOWN):
    """The latest public practice reports of the network's member cities (id, title, published_at, city name,
    reuses: how many of this network's members and guests marked their reuse; no other network's cities count)."""
    from network.networks.services import active_member_clause
    from network.practices.models import Practice, PracticeReuse
    marker = sa.orm.aliased(Municipality)
    reuses = (sa.select(sa.func.count()).select_from(PracticeReuse)
              .join(marker, marker.id == PracticeReuse.municipality_id)
              .where(PracticeReuse.practice_id == Practice.id, marker.status == "member",
                     active_member_clause(network.id, PracticeReuse.municipality_id))
              .correlate(Practice).scalar_subquery())
    return db.session.execute(
        sa.select(Practice.id, Practice.title, Practice.published_at, Municipality.name.label("city"),
                  reuses.label("reuses"))
        .join(Municipality, Municipality.id == Practice.municipality_id)
        .where(Practice.status == "published", Practice.visibility == "public",
               active_member_clause(network.id, Practice.municipality_id))
        .order_by(Practice.published_at.desc(), Practice.id.desc()).limit(limit)).all()


def next_meeting(network: Network):
    """The date and kind of body (Plenum, Fachgruppe …) of the network's next scheduled meeting, or None.

    Meetings belong to their body's member cities: their titles, bodies' names and places are not public, so
    the public page shows only when the network meets next."""
    from network.meetings.models import BODY_KINDS, Body, Meeting
    row = db.session.execute(
        sa.select(Meeting.starts_at, Body.kind).join(Body, Body.id == Meeting.body_id)
        .where(Body.network_id == network.id, Meeting.status == "scheduled", Meeting.starts_at > utcnow())
        .order_by(Meeting.starts_at).limit(1)).first()
    return None if row is None else {"starts_at": row.starts_at, "kind": BODY_KINDS.get(row.kind, row.kind)}


def search_cities(network: Network, query: str, *, limit: int = CITY_SEARCH_SHOWN):
    """Cities of the installation not active in the network whose name contains `query` (for admitting)."""
    query = (query or "").strip()[:80]
    if not query:
        return []
    from network.networks.services import active_member_clause
    return db.session.execute(
        sa.select(Municipality)
        .where(Municipality.name.icontains(query, autoescape=True), ~active_member_clause(network.id))
        .order_by(Municipality.name).limit(limit)).scalars().all()


# --- the header -------------------------------------------------------------------------------------------------

@dataclass
class HeaderNetwork:
    """What the header shows: the current network's name and the networks the user may switch to."""
    slug: str
    name: str
    choices: list = field(default_factory=list)  # [(slug, name)] by name

    @property
    def can_switch(self) -> bool:
        """Several networks of one's own, or one that is not the network shown (e.g. a coordinator of another
        network than the installation's default)."""
        return len(self.choices) > 1 or any(slug != self.slug for slug, _name in self.choices)


def header_network(user, fallback_name: str) -> HeaderNetwork:
    """No query for anonymous visitors (the name comes from the row the page loaded, or the configuration);
    at most one query for a logged-in user: the networks of their city and those they coordinate."""
    cached = g.get("header_network")
    if cached is not None:
        return cached
    slug = current_network_slug()
    row = g.get("network_row")
    name = row.name if row is not None and row.slug == slug else (fallback_name if slug == default_network_slug()
                                                                   else slug)
    choices = []
    loaded = loaded_networks(user) if not g.get("_database_unavailable") else None
    if loaded is not None:
        # the session's statement brought the user's networks: no statement here unless the network shown is none
        # of them and the page did not load it
        memberships, coordinated = loaded
        mine = {m.network.slug: m.network.name for m in memberships if m.status in ACTIVE_STATUSES}
        mine.update((n.slug, n.name) for n in coordinated)
        if slug in mine:
            name = mine[slug]
        elif mine and (row is None or row.slug != slug):
            name = db.session.scalar(sa.select(Network.name).where(Network.slug == slug)) or name
        choices = sorted(mine.items(), key=lambda c: c[1].casefold())
    elif getattr(user, "is_authenticated", False) and not g.get("_database_unavailable"):
        coordinated = sorted(user.coordinated_networks)
        city_id = user.municipality_id
        conditions = []
        if city_id:
            conditions.append(sa.exists().where(NetworkMembership.network_id == Network.id,
                                                NetworkMembership.municipality_id == city_id,
                                                NetworkMembership.status.in_(ACTIVE_STATUSES)))
        if coordinated:
            conditions.append(Network.slug.in_(coordinated))
        if conditions:
            mine = sa.or_(*conditions)
            rows = db.session.execute(sa.select(Network.slug, Network.name, mine.label("mine")).where(
                sa.or_(Network.slug == slug, mine))).all()
            for each_slug, each_name, _mine in rows:
                if each_slug == slug:
                    name = each_name
            choices = sorted(((s, n) for s, n, own in rows if own), key=lambda c: c[1].casefold())
    result = HeaderNetwork(slug=slug, name=name, choices=choices)
    g.header_network = result
    return result


# --- the public start page: a few items per network, three statements for all networks shown -------------------

#: networks with their overview on the start page; the rest are behind "Weitere Netzwerke"
START_NETWORKS = 10
START_LEADS = 5
START_PRACTICES = 3
START_MEETINGS = 3


def _ranked(base, stmt_columns, partition, order, where, joins, limit):
    """Rows of `stmt_columns` (from `base` and its `joins`) numbered within `partition` by `order`; the first
    `limit` per partition."""
    stmt = sa.select(*stmt_columns, sa.func.row_number().over(partition_by=partition, order_by=order).label("rn")
                     ).select_from(base)
    for target, on in joins:
        stmt = stmt.join(target, on)
    sub = stmt.where(*where).subquery()
    return db.session.execute(sa.select(sub).where(sub.c.rn <= limit).order_by(sub.c.network_id, sub.c.rn)).all()


def start_overview(network_ids: list[int]) -> dict[int, dict]:
    """Per network: who leads which topic (lead cities of active topics, by topic name), the latest public
    practices of its member cities, and the date and kind of its next meetings (meetings themselves are the members'
    business: see next_meeting). Three statements, however many networks and items there are."""
    from network.meetings.models import BODY_KINDS, Body, Meeting
    from network.practices.models import Practice
    from network.topics.models import LeadClaim, Topic
    out = {n: {"leads": [], "practices": [], "meetings": []} for n in network_ids}
    if not network_ids:
        return out
    for row in _ranked(Topic, (Topic.network_id.label("network_id"), Topic.name.label("topic"), Topic.slug.label("slug"),
                        Municipality.name.label("city")), Topic.network_id, (Topic.name, Topic.id),
                       (Topic.network_id.in_(network_ids), Topic.status == "active", LeadClaim.status == "confirmed",
                        LeadClaim.kind == "lead"),
                       ((LeadClaim, LeadClaim.topic_id == Topic.id),
                        (Municipality, Municipality.id == LeadClaim.municipality_id)), START_LEADS):
        out[row.network_id]["leads"].append(row)
    for row in _ranked(Practice, (NetworkMembership.network_id.label("network_id"), Practice.id.label("id"),
                        Practice.title.label("title"), Practice.published_at.label("published_at"),
                        Municipality.name.label("city")), NetworkMembership.network_id,
                       (Practice.published_at.desc(), Practice.id.desc()),
                       (NetworkMembership.network_id.in_(network_ids), NetworkMembership.status.in_(ACTIVE_STATUSES),
                        Practice.status == "published", Practice.visibility == "public"),
                       ((NetworkMembership, NetworkMembership.municipality_id == Practice.municipality_id),
                        (Municipality, Municipality.id == Practice.municipality_id)), START_PRACTICES):
        out[row.network_id]["practices"].append(row)
    for row in _ranked(Meeting, (Body.network_id.label("network_id"), Meeting.starts_at.label("starts_at"),
                        Body.kind.label("kind")), Body.network_id, (Meeting.starts_at, Meeting.id),
                       (Body.network_id.in_(network_ids), Meeting.status == "scheduled", Meeting.starts_at > utcnow()),
                       ((Body, Body.id == Meeting.body_id),), START_MEETINGS):
        out[row.network_id]["meetings"].append({"starts_at": row.starts_at, "kind": BODY_KINDS.get(row.kind, row.kind)})
    return out
