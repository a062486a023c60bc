"""The choices of the public form: member cities and active topics."""

import sqlalchemy as sa

from network.extensions import db
from network.municipalities.models import Municipality
from network.topics.models import Topic


def member_city_choices():
    """Member cities by name: [(slug, name)]."""
    return db.session.execute(sa.select(Municipality.slug, Municipality.name)
                              .where(Municipality.status == "member").order_by(Municipality.name)).all()


def topic_choices():
    """Active topics by name: [(id, name)]."""
    return db.session.execute(sa.select(Topic.id, Topic.name).where(Topic.status == "active")
                              .order_by(Topic.name)).all()


def topic_filter_choices():
    """Active topics by name for the list's filter: [(slug, name)]."""
    return db.session.execute(sa.select(Topic.slug, Topic.name).where(Topic.status == "active")
                              .order_by(Topic.name)).all()
