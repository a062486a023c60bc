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

def visible_clause(user, owner=None):
    """The practices `user` may see: own city all; of other cities the published ones, "public" for anyone and
    "network" for the cities that share a network with the user's city (core.tenancy, issue #16); the coordination
    of this request's network everything of the cities of its network. `owner`: the expression compared with the
    user's city (default the column; the search passes one that keeps SQLite off the column's index)."""
    roles = roles_of(user)
    owner = Practice.municipality_id if owner is None else owner
    own = getattr(user, "municipality_id", None)
    published = Practice.status.in_(VISIBLE_STATUSES)
    if "anonymous" in roles:
        return sa.and_(published, Practice.visibility == "public")
    shared = Practice.visibility == "public"
    if own is not None:
        shared = sa.or_(shared, sa.and_(Practice.visibility == "network",
                                        shares_a_network(Practice.municipality_id, own)))
    clauses = [sa.and_(published, shared)]
    if own is not None:
        clauses.append(owner == own)
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
