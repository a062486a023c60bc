"""Who sees which practice: the visibility clause every list and look-up starts from."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from network.core.permissions import can, roles_of
from network.extensions import db
from network.practices.models import Practice
from network.practices.services._common import VISIBLE_STATUSES, id_or_404

# --- visibility ---------------------------------------------------------------------------

def visible_clause(user):
    """The practices `user` may see: own city all, others published network/public ones, anonymous public."""
    roles = roles_of(user)
    if "coordinator" in roles:
        return sa.true()
    shared = sa.and_(Practice.status.in_(VISIBLE_STATUSES),
                     Practice.visibility.in_(("public",) if "anonymous" in roles else ("public", "network")))
    own = getattr(user, "municipality_id", None)
    if own is not None and "anonymous" not in roles:
        return sa.or_(Practice.municipality_id == own, shared)
    return shared


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
