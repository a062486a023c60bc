"""The city's view of its confirmed registrations: list, one registration, contacted, dashboard counts."""

from datetime import timedelta

import sqlalchemy as sa
from flask import abort

from network.core import audit
from network.core.models import utcnow
from network.core.permissions import can, require
from network.extensions import db
from network.interest.models import InterestRegistration, registration_topic
from network.interest.services._common import NETWORK, PAGE_SIZE, city_by_slug
from network.topics.models import Topic


def _scope_for(user, city_slug: str | None):
    """(where clause, city or None, label) of the registrations the user asked for and may see."""
    require(user, "interest.view")
    if city_slug == NETWORK:
        require(user, "interest.view_all")
        return InterestRegistration.municipality_id.is_(None), None
    if city_slug:
        city = city_by_slug(city_slug[:80])
        if city is None:
            abort(404)
        require(user, "interest.view", city)
        return InterestRegistration.municipality_id == city.id, city
    if can(user, "interest.view_all"):
        return sa.true(), None
    city = user.municipality
    if city is None:
        abort(404)
    return InterestRegistration.municipality_id == city.id, city


def list_registrations(user, *, city_slug=None, topic_slug=None, page: int = 1, limit: int | None = PAGE_SIZE):
    """Confirmed registrations the user may see, newest first: (rows, has_next, city)."""
    where, city = _scope_for(user, city_slug)
    stmt = sa.select(InterestRegistration).where(where, InterestRegistration.confirmed_at.is_not(None))
    if topic_slug:
        stmt = stmt.where(InterestRegistration.id.in_(
            sa.select(registration_topic.c.registration_id).join(Topic, Topic.id == registration_topic.c.topic_id)
            .where(Topic.slug == topic_slug[:80])))
    stmt = stmt.order_by(InterestRegistration.confirmed_at.desc(), InterestRegistration.id.desc())
    if limit is None:
        return db.session.execute(stmt).scalars().all(), False, city
    rows = db.session.execute(stmt.limit(limit + 1).offset((max(page, 1) - 1) * limit)).scalars().all()
    return rows[:limit], len(rows) > limit, city


def get_registration_or_404(user, registration_id) -> InterestRegistration:
    """A confirmed registration the user may see; another city's (or the network's, for a lead) is 404."""
    require(user, "interest.view")
    reg = db.session.get(InterestRegistration, registration_id)
    if reg is None or reg.confirmed_at is None:
        abort(404)
    if reg.municipality_id is None and not can(user, "interest.view_all"):
        abort(404)
    require(user, "interest.view", reg)
    return reg


def set_contacted(actor, reg: InterestRegistration, contacted: bool) -> InterestRegistration:
    """Mark a registration as contacted (or not yet)."""
    require(actor, "interest.manage", reg)
    if reg.municipality_id is None:
        require(actor, "interest.view_all")
    reg.contacted_at = utcnow() if contacted else None
    reg.contacted_by_id = actor.id if contacted else None
    audit.record(actor, "interest.contacted" if contacted else "interest.uncontacted", obj=reg,
                 municipality_id=reg.municipality_id,
                 summary=f"Interessensbekundung #{reg.id} als {'kontaktiert' if contacted else 'offen'} markiert")
    db.session.flush()
    return reg


def new_registrations_stmt(user, days: int = 30):
    """The one-row select of (recent: confirmed in the last `days`, open: not yet contacted) for the dashboard."""
    where, _city = _scope_for(user, None)
    since = utcnow() - timedelta(days=days)
    return (sa.select(
        sa.func.count(sa.case((InterestRegistration.confirmed_at >= since, InterestRegistration.id))).label("recent"),
        sa.func.count(sa.case((InterestRegistration.contacted_at.is_(None), InterestRegistration.id))).label("open"))
        .where(where, InterestRegistration.confirmed_at.is_not(None)))


def new_registrations_count(user, days: int = 30) -> tuple[int, int]:
    """(confirmed in the last `days`, not yet contacted) for the dashboard; one statement."""
    recent, open_ = db.session.execute(new_registrations_stmt(user, days)).one()
    return recent or 0, open_ or 0
