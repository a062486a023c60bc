"""Reading contact profiles. The one rule (visible_clause): a profile shows only to members of a network its owner
chose, while the owner's account is active and the owner's city still takes part in that network; the network's
coordination counts as its member. No chosen network: nobody sees it (opt-in). Anonymous visitors never do."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import contains_eager, selectinload

from network.accounts.models import User
from network.contacts.models import (
    ContactNetwork,
    ContactProfile,
    ContactSubject,
    TopicContact,
)
from network.extensions import db
from network.municipalities.models import Municipality
from network.networks.models import ACTIVE_STATUSES, Network, NetworkMembership

#: profiles per page of the directory (what a person reads, whatever the size of the installation)
PAGE_SIZE = 20
#: contact persons a panel shows per city
PANEL_LIMIT = 3


def _viewer_networks(user):
    """SQL: ids of the networks the viewer takes part in (through the city) or coordinates."""
    city_id = getattr(user, "municipality_id", None)
    member = sa.select(NetworkMembership.network_id).where(NetworkMembership.municipality_id == city_id,
                                                           NetworkMembership.status.in_(ACTIVE_STATUSES))
    slugs = sorted(getattr(user, "coordinated_networks", ()) or ())
    if slugs:
        return member.union(sa.select(Network.id).where(Network.slug.in_(slugs)))
    return member


def visible_clause(user):
    """SQL over contact_profile: the profiles the user may see (see the module docstring)."""
    if not getattr(user, "is_authenticated", False):
        return sa.false()
    owner_city = sa.select(NetworkMembership.network_id).where(
        NetworkMembership.municipality_id == ContactProfile.municipality_id,
        NetworkMembership.status.in_(ACTIVE_STATUSES))
    shared = sa.exists().where(ContactNetwork.profile_id == ContactProfile.id,
                               ContactNetwork.network_id.in_(_viewer_networks(user)),
                               ContactNetwork.network_id.in_(owner_city))
    # the outer query may join user itself (the directory orders by name): correlate the profile only
    active = sa.exists().where(User.id == ContactProfile.user_id, User.active.is_(True)).correlate_except(User)
    return sa.and_(shared, active)


def own_profile(user) -> ContactProfile | None:
    """The user's own profile (published or not), with its subjects and networks."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.execute(sa.select(ContactProfile).where(ContactProfile.user_id == user.id).options(
        selectinload(ContactProfile.subjects), selectinload(ContactProfile.networks))).scalar_one_or_none()


def profile_or_404(user, profile_id) -> ContactProfile:
    """A profile the user may see (the owner always sees their own), else 404."""
    stmt = sa.select(ContactProfile).where(ContactProfile.id == profile_id).options(
        selectinload(ContactProfile.subjects))
    if getattr(user, "is_authenticated", False):
        stmt = stmt.where(sa.or_(ContactProfile.user_id == user.id, visible_clause(user)))
    else:
        stmt = stmt.where(sa.false())
    row = db.session.execute(stmt).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


@dataclass
class DirectoryFilters:
    """The directory's search: name or subject (q), city, function; page."""

    q: str = ""
    city: str = ""
    function: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> DirectoryFilters:
        try:
            page = max(1, min(int(args.get("seite", 1)), 100_000))
        except ValueError:
            page = 1
        return cls(q=args.get("q", "").strip()[:100], city=args.get("kommune", "").strip()[:100],
                   function=args.get("funktion", "").strip()[:100], page=page)

    def args(self) -> dict:
        return {k: v for k, v in (("q", self.q), ("kommune", self.city), ("funktion", self.function)) if v}


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower() + "%"


def directory(user, filters: DirectoryFilters) -> dict:
    """One page of the profiles the user may see, by name; three statements however many profiles exist (the
    page with its users and cities, the page's subjects)."""
    stmt = (sa.select(ContactProfile).join(ContactProfile.user).join(ContactProfile.municipality)
            .where(visible_clause(user))
            .options(contains_eager(ContactProfile.user), contains_eager(ContactProfile.municipality),
                     selectinload(ContactProfile.subjects)))
    if filters.q:
        pattern = _like(filters.q)
        stmt = stmt.where(sa.or_(sa.func.lower(User.name).like(pattern, escape="\\"),
                                 sa.exists().where(ContactSubject.profile_id == ContactProfile.id,
                                                   sa.func.lower(ContactSubject.label).like(pattern, escape="\\"))))
    if filters.city:
        pattern = _like(filters.city)
        stmt = stmt.where(sa.or_(sa.func.lower(Municipality.name).like(pattern, escape="\\"),
                                 Municipality.slug == filters.city.lower()))
    if filters.function:
        stmt = stmt.where(sa.func.lower(ContactProfile.function).like(_like(filters.function), escape="\\"))
    rows = db.session.execute(stmt.order_by(User.name, ContactProfile.id).limit(PAGE_SIZE + 1)
                              .offset((filters.page - 1) * PAGE_SIZE)).unique().scalars().all()
    return {"profiles": rows[:PAGE_SIZE], "has_next": len(rows) > PAGE_SIZE, "page": filters.page}


def contacts_for(user, city_ids, *, topic_id=None, field_ids=(), city_field_id=None, themenfeld=None,
                 limit: int = PANEL_LIMIT) -> dict[int, list[ContactProfile]]:
    """Per city, the visible contact persons to ask about a subject: those the city marked for the topic first,
    then those naming the subject, then the city's other published profiles; at most `limit` per city. One
    statement for any number of cities (a window numbers the rows per city)."""
    city_ids = [c for c in city_ids if c]
    if not city_ids or not getattr(user, "is_authenticated", False):
        return {}
    matches = []
    if topic_id:
        matches.append(sa.and_(ContactSubject.kind == "topic", ContactSubject.ref_id == topic_id))
    if field_ids:
        matches.append(sa.and_(ContactSubject.kind == "field", ContactSubject.ref_id.in_(list(field_ids))))
    if city_field_id:
        matches.append(sa.and_(ContactSubject.kind == "city_field", ContactSubject.ref_id == city_field_id))
    if themenfeld:
        matches.append(sa.and_(ContactSubject.kind == "ozg", ContactSubject.label == themenfeld))
    score = sa.literal(0)
    if topic_id:
        score = score + sa.case((sa.exists().where(TopicContact.profile_id == ContactProfile.id,
                                                   TopicContact.topic_id == topic_id), 2), else_=0)
    if matches:
        score = score + sa.case((sa.exists().where(ContactSubject.profile_id == ContactProfile.id,
                                                   sa.or_(*matches)), 1), else_=0)
    ranked = (sa.select(ContactProfile.id.label("pid"), sa.func.row_number().over(
        partition_by=ContactProfile.municipality_id,
        order_by=(score.desc(), User.name, ContactProfile.id)).label("n"))
        .join(User, User.id == ContactProfile.user_id)
        .where(ContactProfile.municipality_id.in_(city_ids), visible_clause(user)).subquery())
    rows = db.session.execute(sa.select(ContactProfile).join(ranked, ranked.c.pid == ContactProfile.id)
                              .where(ranked.c.n <= limit).order_by(ContactProfile.municipality_id, ranked.c.n)
                              ).unique().scalars().all()
    out: dict[int, list] = defaultdict(list)
    for row in rows:
        out[row.municipality_id].append(row)
    return dict(out)


def topic_lead_cities(topic_id: int) -> list[int]:
    """The cities that lead (or co-lead) the topic, the lead first."""
    from network.topics.models import LeadClaim
    return db.session.execute(sa.select(LeadClaim.municipality_id).where(
        LeadClaim.topic_id == topic_id, LeadClaim.kind.in_(("lead", "colead")), LeadClaim.status == "confirmed")
        .order_by(sa.case((LeadClaim.kind == "lead", 0), else_=1))).scalars().all()


def city_names(city_ids) -> dict[int, str]:
    if not city_ids:
        return {}
    return dict(db.session.execute(sa.select(Municipality.id, Municipality.name)
                                   .where(Municipality.id.in_(list(city_ids)))).all())


def topic_or_404(user, topic_id):
    """An active topic of a network the user's city takes part in, else 404."""
    from network.topics.models import Topic
    row = db.session.execute(sa.select(Topic).where(
        Topic.id == topic_id, Topic.status == "active",
        sa.exists().where(NetworkMembership.network_id == Topic.network_id,
                          NetworkMembership.municipality_id == getattr(user, "municipality_id", None),
                          NetworkMembership.status.in_(ACTIVE_STATUSES)))).scalar_one_or_none()
    if row is None:
        abort(404)
    return row
