"""Inventory fixtures: fields of action, a topic, and a helper that records projects directly."""

import itertools

import pytest

from network.extensions import db
from network.inventory.models import Project
from tests.topics.conftest import make_field, make_topic

_n = itertools.count(1)


def make_project(city, field, **kw) -> Project:
    kw.setdefault("title", f"Vorhaben {next(_n)}")
    kw.setdefault("status", "idea")
    kw.setdefault("visibility", "network")
    p = Project(municipality_id=city.id, field_id=field.id, **kw)
    db.session.add(p)
    db.session.flush()
    return p


@pytest.fixture
def fields():
    out = [make_field("Digitale Bürgerdienste", position=10), make_field("Nachhaltigkeit und Mobilität", position=20)]
    db.session.commit()
    return out


@pytest.fixture
def topic(fields):
    t = make_topic(fields[0], "e-Akte")
    db.session.commit()
    return t


@pytest.fixture
def projects(city_a, city_b, fields, topic, staff_a):
    """City A: network, public, city-only and a staff draft; city B: network and city-only."""
    f1, f2 = fields
    out = {
        "a_network": make_project(city_a, f1, title="Digitale Akte Ettlingen", status="in_progress", topic_id=topic.id),
        "a_public": make_project(city_a, f2, title="Ladesäulen Ettlingen", status="done", visibility="public"),
        "a_city": make_project(city_a, f1, title="Geheimes Vorhaben Ettlingen", visibility="city",
                               topic_id=topic.id),
        "a_draft": make_project(city_a, f1, title="Entwurf Ettlingen", visibility="network", is_draft=True,
                                created_by_id=staff_a.id, topic_id=topic.id),
        "b_network": make_project(city_b, f1, title="Bürgerportal Bühl", status="idea", topic_id=topic.id),
        "b_city": make_project(city_b, f2, title="Internes Bühl", visibility="city", topic_id=topic.id),
    }
    db.session.commit()
    return out
