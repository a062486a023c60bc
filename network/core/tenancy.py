"""The one scoping helper: every read of city-owned rows goes through here."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from network.core.permissions import roles_of
from network.extensions import db


def acting_city(user=None):
    """The municipality the user acts for, taken from the login, never from the request."""
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return None
    return user.municipality


def _visible_clause(model, user):
    roles = roles_of(user)
    if "coordinator" in roles:
        return sa.true()
    own = getattr(user, "municipality_id", None)
    clauses = []
    if own is not None and "anonymous" not in roles:
        clauses.append(model.municipality_id == own)
    if hasattr(model, "visibility"):
        shared = ["public"] if "anonymous" in roles else ["public", "network"]
        vis = model.visibility.in_(shared)
        if hasattr(model, "is_draft"):
            vis = sa.and_(vis, model.is_draft.is_(False))
        clauses.append(vis)
    return sa.or_(*clauses) if clauses else sa.false()


def scope(model, user=None, *, own_only: bool = False):
    """A select() of the rows of `model` the user may see (own_only: only the acting city's)."""
    user = user if user is not None else current_user
    stmt = sa.select(model)
    if own_only and "coordinator" not in roles_of(user):
        return stmt.where(model.municipality_id == getattr(user, "municipality_id", None))
    return stmt.where(_visible_clause(model, user))


def get_or_404(model, ident, user=None, *, own_only: bool = False):
    """Load one row the user may see, or answer 404 (also for another city's private row)."""
    stmt = scope(model, user, own_only=own_only).where(model.id == ident)
    obj = db.session.execute(stmt).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj
