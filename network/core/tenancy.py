"""The one scoping helper: every read of city-owned rows goes through here."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from network.core.current import current_network_slug
from network.core.permissions import roles_of
from network.extensions import db


def acting_city(user=None):
    """The municipality the user acts for, taken from the login, never from the request."""
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return None
    return user.municipality


# core imports no domain: the two tables of the networks domain that scoping needs, as lightweight table clauses
# (network/networks/models.py defines them; ACTIVE_STATUSES there is the same pair)
_membership = sa.table("network_membership", sa.column("network_id"), sa.column("municipality_id"),
                       sa.column("status"))
_network = sa.table("network", sa.column("id"), sa.column("slug"))
_ACTIVE = ("member", "guest")


def shares_a_network(owner_column, city_id):
    """SQL: the city in `owner_column` and the city `city_id` take part (member or guest) in a common network.

    This is what visibility "network" means since issue #16: the members of every network the owning city
    belongs to see it, and nobody else (a city in two networks writes once and is read in both)."""
    theirs, mine = _membership.alias("theirs"), _membership.alias("mine")
    return sa.exists().where(theirs.c.municipality_id == owner_column, theirs.c.status.in_(_ACTIVE),
                             mine.c.network_id == theirs.c.network_id, mine.c.municipality_id == city_id,
                             mine.c.status.in_(_ACTIVE))


def in_current_network(owner_column):
    """SQL: the city in `owner_column` is or was in the network this request is in (a coordinator's reach;
    a city that left stays in reach as history)."""
    return sa.exists().where(_membership.c.municipality_id == owner_column,
                             _membership.c.network_id == _network.c.id, _network.c.slug == current_network_slug())


def city_in_current_network(city_id) -> bool:
    """Whether the city is or was in this request's network: what its coordination may act on (one query)."""
    return bool(db.session.scalar(sa.select(in_current_network(sa.literal(city_id)))))


def network_audit_clause(user):
    """SQL over audit_event: what the coordination of the request's network reads in the audit log (issue #16):
    the events of that network, the events of its cities' own content (no network), and their own actions of no
    network and no city. Another network's events stay with that network's coordination."""
    from network.core.models import AuditEvent
    this = sa.select(_network.c.id).where(_network.c.slug == current_network_slug()).scalar_subquery()
    return sa.or_(
        AuditEvent.network_id == this,
        sa.and_(AuditEvent.network_id.is_(None), AuditEvent.municipality_id.is_not(None),
                in_current_network(AuditEvent.municipality_id)),
        sa.and_(AuditEvent.network_id.is_(None), AuditEvent.municipality_id.is_(None),
                AuditEvent.actor_id == getattr(user, "id", None)),
    )


def _visible_clause(model, user):
    roles = roles_of(user)
    if "coordinator" in roles:
        # the coordination sees everything of the cities of its network, drafts included, and what others share
        reach = in_current_network(model.municipality_id)
        if not hasattr(model, "visibility"):
            return reach
        return sa.or_(reach, model.visibility == "public")
    own = getattr(user, "municipality_id", None)
    clauses = []
    if own is not None and "anonymous" not in roles:
        clauses.append(model.municipality_id == own)
    if hasattr(model, "visibility"):
        if "anonymous" in roles or own is None:
            vis = model.visibility == "public"
        else:
            vis = sa.or_(model.visibility == "public",
                         sa.and_(model.visibility == "network", shares_a_network(model.municipality_id, own)))
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
