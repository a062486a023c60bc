"""Practice fixtures: a topic to file practices under and a helper that writes (and publishes) one."""

import pytest

from network.extensions import db
from network.practices import services
from tests.topics.conftest import make_field, make_topic


def write(author, title="Digitale Parkraumbewirtschaftung", *, publish_as=None, visibility="network",
          topics=(), field=None, summary="", **sections):
    """A practice of the author's city through the services; published when publish_as (a lead) is given."""
    data = {"title": title, "summary": summary, "visibility": visibility, "sections": sections,
            "topic_ids": [t.id for t in topics], "field_id": field.id if field else None, "tags": ""}
    practice = services.create_practice(author, data)
    if publish_as is not None:
        services.publish_practice(publish_as, practice)
    db.session.commit()
    return practice


@pytest.fixture
def field():
    f = make_field("Digitale Verwaltung")
    db.session.commit()
    return f


@pytest.fixture
def topic(field):
    t = make_topic(field, "Parkraummanagement")
    db.session.commit()
    return t
