"""Fixtures for meetings: a Fachgruppe of cities A and B, a project group led by A, helpers."""

import re
from datetime import date, datetime, time, timedelta

import pytest

from network.extensions import db
from network.meetings import services
from network.meetings.ical import BERLIN
from tests import factories
from tests.topics.conftest import give_lead, make_field, make_topic


def berlin(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=BERLIN)


def future(days=14, hh=10):
    return datetime.combine(date.today() + timedelta(days=days), time(hh, 0)).replace(tzinfo=BERLIN)


def form_times(start: datetime, minutes=180) -> dict:
    end = start + timedelta(minutes=minutes)
    return {"date": start.date().isoformat(), "start_time": start.strftime("%H:%M"), "end_time": end.strftime("%H:%M")}


def new_feed_url(client) -> str:
    """Make or renew the calendar feed as the logged-in user; its address, read from the profile (shown once)."""
    assert client.post("/meine-treffen/kalender/erneuern").status_code == 302
    html = client.get("/profil").get_data(as_text=True)
    match = re.search(r'id="calendar-url" readonly value="http://[^/"]+(/calendar/[^"]+\.ics)"', html)
    assert match, html[html.find("h-calendar"):][:1500]
    return match.group(1)


@pytest.fixture
def city_c():
    c = factories.make_city("Rastatt", district="Landkreis Rastatt")
    db.session.commit()
    return c


@pytest.fixture
def fachgruppe(coordinator, city_a, city_b, lead_a, lead_b):
    body = services.create_body(coordinator, {"kind": "fachgruppe", "name": "Fachgruppe", "description": "",
                                              "city_ids": [city_a.id, city_b.id], "person_ids": [lead_a.id, lead_b.id]})
    db.session.commit()
    return body


@pytest.fixture
def body_b_only(coordinator, city_b, lead_b):
    """A body city A is not a member of."""
    body = services.create_body(coordinator, {"kind": "plenum", "name": "Nur Bühl", "city_ids": [city_b.id],
                                              "person_ids": []})
    db.session.commit()
    return body


@pytest.fixture
def project_group(coordinator, city_a, city_b):
    field = make_field("Verwaltung")
    topic = make_topic(field, "e-Akte")
    give_lead(topic, city_a)
    db.session.flush()
    body = services.create_body(coordinator, {"kind": "projektgruppe", "name": "Projektgruppe e-Akte",
                                              "topic_id": topic.id, "city_ids": [city_a.id, city_b.id],
                                              "person_ids": []})
    db.session.commit()
    return body


def meeting_data(start=None, **kw):
    data = {"title": "34. Fachgruppentreffen", "address": "Rathaus Ettlingen", "room": "Saal", "number": "34"}
    if start is not None:
        data.update(form_times(start))
    data.update(kw)
    return data


@pytest.fixture
def meeting(coordinator, fachgruppe, city_a):
    m = services.create_meeting(coordinator, fachgruppe, meeting_data(future(), host_id=str(city_a.id)))
    db.session.commit()
    return m


@pytest.fixture
def poll_meeting(coordinator, fachgruppe):
    m = services.create_meeting(coordinator, fachgruppe, meeting_data(None, number="35", title="35. Fachgruppe"))
    for d in (20, 21, 22):
        services.add_slot(coordinator, m, form_times(future(d)))
    db.session.commit()
    return m


@pytest.fixture
def as_user(sign_in):
    """tests/conftest.py's sign_in under the name the meetings tests use."""
    return sign_in
