"""Topic fixtures: a field of action and an unclaimed topic; helpers to give a city the lead."""

import pytest
import sqlalchemy as sa

from network.extensions import db
from network.topics.models import FieldOfAction, LeadClaim, LeadEvent, Topic

_n = iter(range(1, 10_000))


def make_field(name=None, position=10, **kw) -> FieldOfAction:
    """A field of action (of the default network re@di unless network_id is given)."""
    name = name or f"Handlungsfeld {next(_n)}"
    from network.municipalities.models import make_slug
    if "network_id" not in kw:  # every row names its network (no column default since issue #16)
        from tests.factories import make_network
        kw["network_id"] = make_network().id
    field = FieldOfAction(slug=make_slug(name), name=name, position=position, **kw)
    db.session.add(field)
    db.session.flush()
    return field


def make_topic(field, name=None, **kw) -> Topic:
    """A topic in the field's network."""
    name = name or f"Thema {next(_n)}"
    from network.municipalities.models import make_slug
    kw.setdefault("network_id", field.network_id)
    topic = Topic(slug=make_slug(name), name=name, field_id=field.id, status=kw.pop("status", "active"), **kw)
    db.session.add(topic)
    db.session.flush()
    return topic


def give_lead(topic, city, kind="lead", status="confirmed") -> LeadClaim:
    claim = LeadClaim(topic_id=topic.id, municipality_id=city.id, kind=kind, status=status)
    db.session.add(claim)
    db.session.flush()
    return claim


def claims_of(topic, **where):
    db.session.expire_all()
    stmt = sa.select(LeadClaim).where(LeadClaim.topic_id == topic.id).order_by(LeadClaim.id)
    for k, v in where.items():
        stmt = stmt.where(getattr(LeadClaim, k) == v)
    return db.session.execute(stmt).scalars().all()


def history_of(topic):
    db.session.expire_all()
    return [e.action for e in db.session.execute(
        sa.select(LeadEvent).where(LeadEvent.topic_id == topic.id).order_by(LeadEvent.id)).scalars()]


@pytest.fixture
def field():
    f = make_field("Digitale Bürgerdienste")
    db.session.commit()
    return f


@pytest.fixture
def topic(field):
    t = make_topic(field, "e-Akte", description="Elektronische Akte")
    db.session.commit()
    return t
