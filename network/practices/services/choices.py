"""What the practice form offers: topics, fields of action, the own city's projects."""

from __future__ import annotations

import sqlalchemy as sa

from network.extensions import db
from network.topics.models import FieldOfAction, Topic

# --- choices --------------------------------------------------------------------------------

def _network_ids(user):
    """SQL: the networks whose topics and fields of action the user's form offers: those the user's city takes
    part in (member or guest); for a user without a city, this request's network. Topics and fields of action are
    network-owned (issue #16): another network's names are no choice here."""
    from network.core.current import current_network_slug
    from network.networks.models import ACTIVE_STATUSES, Network, NetworkMembership
    city = getattr(user, "municipality_id", None)
    if city is not None:
        return sa.select(NetworkMembership.network_id).where(NetworkMembership.municipality_id == city,
                                                             NetworkMembership.status.in_(ACTIVE_STATUSES))
    return sa.select(Network.id).where(Network.slug == current_network_slug())


def topic_choices(user=None):
    """Active topics of the user's networks for the form, by name."""
    return db.session.execute(sa.select(Topic).where(Topic.status == "active", Topic.network_id.in_(
        _network_ids(user))).order_by(Topic.name)).scalars().all()


def field_choices(user=None):
    """Fields of action of the user's networks for the form, in their configured order."""
    return db.session.execute(sa.select(FieldOfAction).where(FieldOfAction.network_id.in_(_network_ids(user)))
                              .order_by(FieldOfAction.position, FieldOfAction.name)).scalars().all()


def project_choices(user) -> list[tuple[int, str]] | None:
    """The own city's projects from the inventory domain, or None when that domain is absent."""
    from network.inventory.services import city_projects
    if getattr(user, "municipality_id", None) is None:
        return None
    return list(city_projects(user, user.municipality_id))
