"""What the practice form offers: topics, fields of action, the own city's projects."""

from __future__ import annotations

import sqlalchemy as sa

from network.extensions import db
from network.networks.models import ACTIVE_STATUSES, Network, NetworkMembership
from network.topics.models import FieldOfAction, Topic

# --- choices --------------------------------------------------------------------------------

def _city_networks(city_id):
    """select() of the ids of the networks the city takes part in (member or guest)."""
    return sa.select(NetworkMembership.network_id).where(NetworkMembership.municipality_id == city_id,
                                                         NetworkMembership.status.in_(ACTIVE_STATUSES))


def topic_choices(city_id=None, keep=()):
    """Active topics of the networks the city takes part in (`keep`: ids that stay choosable), by name."""
    where = Topic.network_id.in_(_city_networks(city_id))
    if keep:
        where = sa.or_(where, Topic.id.in_(list(keep)))
    return db.session.execute(sa.select(Topic).where(where, Topic.status == "active")
                              .order_by(Topic.name, Topic.id)).scalars().all()


def field_groups(city_id=None, keep_id=None) -> list[tuple[str, list[FieldOfAction]]]:
    """(network name, its fields of action in their order) for every network the city takes part in, by name;
    `keep_id`: a practice's present field stays choosable after its city left that network. One query."""
    where = FieldOfAction.network_id.in_(_city_networks(city_id))
    if keep_id:
        where = sa.or_(where, FieldOfAction.id == keep_id)
    groups: dict[int, tuple[str, list]] = {}
    for fld, name in db.session.execute(
            sa.select(FieldOfAction, Network.name).join(Network, Network.id == FieldOfAction.network_id).where(where)
            .order_by(Network.name, Network.id, FieldOfAction.position, FieldOfAction.name)).all():
        groups.setdefault(fld.network_id, (name, []))[1].append(fld)
    return list(groups.values())


def field_choices(city_id=None, keep_id=None) -> list[FieldOfAction]:
    """The fields of action of the networks the city takes part in (see field_groups), flat."""
    return [f for _name, items in field_groups(city_id, keep_id) for f in items]


def project_choices(user) -> list[tuple[int, str]] | None:
    """The own city's projects from the inventory domain, or None when that domain is absent."""
    from network.inventory.services import city_projects
    if getattr(user, "municipality_id", None) is None:
        return None
    return list(city_projects(user, user.municipality_id))
