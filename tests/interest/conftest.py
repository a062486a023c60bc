"""Interest fixtures: no minimum fill time (tests set it where they check it), topics, helpers."""

import re

import pytest
import sqlalchemy as sa

from network.core.models import OutboxMessage
from network.extensions import db
from tests.topics.conftest import make_field, make_topic


@pytest.fixture(autouse=True)
def _no_min_fill_time(app):
    before = app.config["INTEREST_MIN_FILL_SECONDS"]
    app.config["INTEREST_MIN_FILL_SECONDS"] = 0
    yield
    app.config["INTEREST_MIN_FILL_SECONDS"] = before


@pytest.fixture
def topics():
    field = make_field("Digitale Bürgerdienste")
    t1 = make_topic(field, "e-Akte")
    t2 = make_topic(field, "Open-Data-Portal")
    db.session.commit()
    return t1, t2


def form_data(**over):
    from network.interest.services import form_started_token
    data = {"name": "Erika Muster", "email": "erika@example.org", "kind": "citizen", "organisation": "",
            "municipality": "ettlingen", "topics": [], "message": "Ich helfe beim Open-Data-Portal.",
            "consent": "y", "website": "", "started": form_started_token()}
    data.update(over)
    return data


def mails_to(address):
    db.session.expire_all()
    return db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)
                              .order_by(OutboxMessage.id)).scalars().all()


def link_in(msg, part):
    m = re.search(r"https?://\S*" + re.escape(part) + r"\S*", msg.body_text)
    assert m, msg.body_text
    return m.group(0).replace("http://staedtenetz.test", "")
