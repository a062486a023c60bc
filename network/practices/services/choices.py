"""What the practice form offers: topics, fields of action, the own city's projects."""

from __future__ import annotations

import sqlalchemy as sa

from network.extensions import db
from network.topics.models import FieldOfAction, Topic

# --- choices --------------------------------------------------------------------------------

def topic_choices():
    """Active topics for the form, by name."""
    return db.session.execute(sa.select(Topic).where(Topic.status == "active").order_by(Topic.name)).scalars().all()


def field_choices():
    """Fields of action for the form, in their configured order."""
    return db.session.execute(
        sa.select(FieldOfAction).order_by(FieldOfAction.position, FieldOfAction.name)).scalars().all()


def project_choices(user) -> list[tuple[int, str]] | None:
    """The own city's projects from the inventory domain, or None when that domain is absent."""
    from network.inventory.services import city_projects
    if getattr(user, "municipality_id", None) is None:
        return None
    return list(city_projects(user, user.municipality_id))
