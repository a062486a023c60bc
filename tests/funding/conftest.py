"""Funding fixtures: a field of action and topic, calls with deadlines, a joint application."""

from datetime import date, timedelta

import pytest

from network.extensions import db
from network.funding import services
from network.funding.models import FundingCall, FundingDeadline, berlin_today
from tests.topics.conftest import make_field, make_topic


def make_call(title="Digitale Zukunft", *, deadlines=None, opens_on=None, funder="land", joint=True, fields=(),
              topics=(), checked_on="today", **kw) -> FundingCall:
    """A call straight in the database (services are tested on their own)."""
    today = berlin_today()
    call = FundingCall(title=title, funder=funder, joint_allowed=joint, opens_on=opens_on,
                       checked_on=today if checked_on == "today" else checked_on, **kw)
    for label, due in (deadlines if deadlines is not None else [("Antrag", today + timedelta(days=40))]):
        call.deadlines.append(FundingDeadline(label=label, due_on=due))
    call.fields = list(fields)
    call.topics = list(topics)
    db.session.add(call)
    db.session.flush()
    return call


@pytest.fixture
def field():
    f = make_field("Digitale Bürgerdienste")
    db.session.commit()
    return f


@pytest.fixture
def topic(field):
    t = make_topic(field, "e-Akte")
    db.session.commit()
    return t


@pytest.fixture
def call(field, topic):
    c = make_call(fields=[field], topics=[topic])
    db.session.commit()
    return c


@pytest.fixture
def joint(call, lead_a, lead_b):
    """City A leads an application on `call`; city B is invited and has accepted."""
    app_ = services.create_application(lead_a, call, {"title": "Gemeinsames Bürgerportal",
                                                       "requested_amount": "100.000"})
    services.invite_partner(lead_a, app_, lead_b.municipality_id)
    services.answer_invitation(lead_b, app_, "accept")
    db.session.commit()
    return app_


def api_headers(user):
    from network.accounts.services import create_api_token
    _t, plain = create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


__all__ = ["make_call", "api_headers", "date"]
