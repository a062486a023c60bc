"""Who sees which practice: the visibility clause every list and look-up starts from."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from network.core.permissions import can, roles_of
from network.core.tenancy import in_current_network, shares_a_network
from network.extensions import db
from network.practices.models import Practice
from network.practices.services._common import VISIBLE_STATUSES, id_or_404

# --- visibility ---------------------------------------------------------------------------

def visible_clause(user):
    """The practices `user` may see: the own city's all; others' published ones with visibility "public", and with
    visibility "network" if the user's city shares a network (member or guest) with the practice's city (issue #16:
    a city in two networks is read in both, a city of neither network reads none); the coordination besides every
    practice of the cities of its network (core/tenancy's reach); anonymous visitors public ones only."""
    roles = roles_of(user)
    published = Practice.status.in_(VISIBLE_STATUSES)
    if "anonymous" in roles:
        return sa.and_(published, Practice.visibility == "public")
    own = getattr(user, "municipality_id", None)
    readable = [Practice.visibility == "public"]
    if own is not None:
        readable.append(sa.and_(Practice.visibility == "network", shares_a_network(Practice.municipality_id, own)))
    clauses = [sa.and_(published, sa.or_(*readable))]
    if own is not None:
        clauses.append(Practice.municipality_id == own)
    if "coordinator" in roles:
        clauses.append(in_current_network(Practice.municipality_id))
    return sa.or_(*clauses)


def get_practice_or_404(user, practice_id) -> Practice:
    """A practice the user may see, or 404 (also for another city's draft)."""
    id_or_404(practice_id)
    practice = db.session.execute(
        sa.select(Practice).where(Practice.id == practice_id, visible_clause(user))
    ).scalar_one_or_none()
    if practice is None:
        abort(404)
    return practice


def is_own(user, practice: Practice) -> bool:
    """Whether the user works for the practice's city (not the anonymous visitor)."""
    return getattr(user, "municipality_id", None) == practice.municipality_id and "anonymous" not in roles_of(user)


def may_edit(user, practice: Practice) -> bool:
    """Whether the user may edit the practice (staff and leads of its city)."""
    return can(user, "practice.write", practice)
