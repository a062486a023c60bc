"""Recording and editing calls, the radar (filters, order, countdown, query counts), interest, matching."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from network.extensions import db
from network.funding import services
from network.funding.signals import funding_call_published
from network.funding.models import FundingCall, FundingInterest, berlin_today
from tests.conftest import row_count
from tests.funding.conftest import make_call
from tests.topics.conftest import make_field, make_topic


def test_lead_records_a_call_through_the_form(client, login_as, lead_a, field, topic):
    events = []

    def listener(sender, **kw):
        events.append(dict(kw, call_id=kw["call"].id))
    funding_call_published.connect(listener)
    try:
        login_as(lead_a)
        resp = client.post("/foerderung/neu", data={
            "title": "Smart Region", "funder": "bund", "url": "https://example.org/aufruf", "rate": "65",
            "min_amount": "10.000", "max_amount": "1.500.000,50", "joint_allowed": "y",
            "deadlines-0-label": "Interessenbekundung", "deadlines-0-due_on": "15.01.2027",
            "deadlines-1-label": "Vollantrag", "deadlines-1-due_on": "2027-03-31",
            "field_ids": [str(field.id)], "topic_ids": [str(topic.id)], "checked_on": "01.11.2026"})
    finally:
        funding_call_published.disconnect(listener)
    assert resp.status_code == 302
    call = db.session.execute(sa.select(FundingCall)).scalar_one()
    assert [(d.label, d.due_on.isoformat()) for d in call.deadlines] == [
        ("Interessenbekundung", "2027-01-15"), ("Vollantrag", "2027-03-31")]
    assert str(call.max_amount) == "1500000.50" and call.joint_allowed and call.created_by_id == lead_a.id
    assert [e["call_id"] for e in events] == [call.id]
    assert events[0]["targets"] == [("topic", topic.id)] and events[0]["audience"] == "network"
    page = client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert "1.500.000,50\xa0€" in page and "Vollantrag" in page


def test_staff_may_not_record(client, login_as, staff_a):
    login_as(staff_a)
    assert client.get("/foerderung/neu").status_code == 403
    assert client.post("/foerderung/neu", data={"title": "X", "funder": "land"}).status_code == 403
    assert row_count(FundingCall) == 0


def test_edit_with_stale_version_answers_409_and_keeps_input(client, login_as, lead_a, lead_b, call):
    login_as(lead_a)
    form = client.get(f"/foerderung/{call.id}/bearbeiten").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form or 'value="1"' in form
    services.update_call(lead_b, call, {"source": "Newsletter"}, version=call.version)
    db.session.commit()
    resp = client.post(f"/foerderung/{call.id}/bearbeiten", data={
        "title": "Mein neuer Titel", "funder": "land", "version": "1",
        "deadlines-0-label": "Antrag", "deadlines-0-due_on": "31.12.2026"})
    assert resp.status_code == 409
    assert "Mein neuer Titel" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FundingCall, call.id).title == "Digitale Zukunft"


def test_edit_updates_checked_on_and_deadlines(client, login_as, coordinator, call):
    login_as(coordinator)
    resp = client.post(f"/foerderung/{call.id}/bearbeiten", data={
        "title": "Digitale Zukunft", "funder": "land", "version": str(call.version), "checked_on": "20.11.2026",
        "deadlines-0-label": "Antrag", "deadlines-0-due_on": "31.12.2026"})
    assert resp.status_code == 302
    db.session.expire_all()
    call = db.session.get(FundingCall, call.id)
    assert call.checked_on.isoformat() == "2026-11-20"
    assert [d.due_on.isoformat() for d in call.deadlines] == ["2026-12-31"]


def test_radar_orders_by_nearest_deadline_and_hides_closed(client, login_as, staff_a):
    today = berlin_today()
    make_call("Später", deadlines=[("Antrag", today + timedelta(days=90))])
    make_call("Bald", deadlines=[("Antrag", today + timedelta(days=2))])
    make_call("Vorbei", deadlines=[("Antrag", today - timedelta(days=1))])
    make_call("Heute", deadlines=[("Antrag", today)])
    make_call("Laufend", deadlines=[])
    make_call("Angekündigt", opens_on=today + timedelta(days=5), deadlines=[("Antrag", today + timedelta(days=30))])
    db.session.commit()
    login_as(staff_a)
    html = client.get("/foerderung/").get_data(as_text=True)
    order = [t for t in ("Heute", "Bald", "Angekündigt", "Später", "Laufend") if t in html]
    assert order == ["Heute", "Bald", "Angekündigt", "Später", "Laufend"]
    assert sorted(order, key=html.index) == order
    assert "Vorbei" not in html
    assert "heute bis 23:59 Uhr" in html and "noch 2 Tage" in html
    closed = client.get("/foerderung/?status=closed").get_data(as_text=True)
    assert "Vorbei" in closed and "Bald" not in closed
    announced = client.get("/foerderung/?status=announced").get_data(as_text=True)
    assert "Angekündigt" in announced and "Bald" not in announced


def test_radar_filters(client, login_as, staff_a):
    f1, f2 = make_field("Mobilität"), make_field("Verwaltung")
    t1 = make_topic(f1, "Parken")
    make_call("EU-Mobil", funder="eu", fields=[f1], topics=[t1])
    make_call("Land-Verwaltung", funder="land", fields=[f2])
    db.session.commit()
    login_as(staff_a)
    assert "Land-Verwaltung" not in client.get("/foerderung/?foerdergeber=eu").get_data(as_text=True)
    html = client.get("/foerderung/?handlungsfeld=verwaltung").get_data(as_text=True)
    assert "Land-Verwaltung" in html and "EU-Mobil" not in html
    html = client.get("/foerderung/?thema=parken").get_data(as_text=True)
    assert "EU-Mobil" in html and "Land-Verwaltung" not in html


def test_stale_calls_are_flagged(client, login_as, staff_a):
    make_call("Alt", checked_on=berlin_today() - timedelta(days=91))
    make_call("Frisch")
    db.session.commit()
    login_as(staff_a)
    html = client.get("/foerderung/").get_data(as_text=True)
    row_old = html.split("Alt</a>", 1)[1].split("</tr>", 1)[0]
    row_new = html.split("Frisch</a>", 1)[1].split("</tr>", 1)[0]
    assert "lange nicht geprüft" in row_old and "lange nicht geprüft" not in row_new


def _radar_queries(client, count_queries):
    with count_queries() as statements:
        resp = client.get("/foerderung/")
    assert resp.status_code == 200
    return len(statements)


def test_radar_query_count_is_the_same_for_10_and_1000_calls(client, login_as, lead_a, lead_b, count_queries):
    field = make_field("Digitales")
    topic = make_topic(field, "Portal")
    today = berlin_today()

    def add(n, start):
        for i in range(start, start + n):
            call = FundingCall(title=f"Aufruf {i:04d}", funder="land", fields=[field], topics=[topic])
            call.deadlines = []
            db.session.add(call)
            db.session.flush()
            from network.funding.models import FundingDeadline
            db.session.add(FundingDeadline(call_id=call.id, label="A", due_on=today + timedelta(days=1 + i % 300)))
            db.session.add(FundingInterest(call_id=call.id, municipality_id=lead_b.municipality_id))
        db.session.commit()
    add(10, 0)
    login_as(lead_a)
    few = _radar_queries(client, count_queries)
    add(990, 10)
    many = _radar_queries(client, count_queries)
    print(f"radar queries: 10 calls {few}, 1000 calls {many}")
    assert few == many, (few, many)
    assert many <= 10, many  # issue #17 (was 15)
    # the API radar, too
    from tests.funding.conftest import api_headers
    headers = api_headers(lead_a)
    with count_queries() as statements:
        assert len(client.get("/api/v1/funding-calls", headers=headers).get_json()) == 50
    api_many = len(statements)
    print(f"API radar queries (1000 calls, page of 50): {api_many}")
    assert api_many < 20


def test_interest_is_marked_and_shown_to_other_cities(client, login_as, lead_a, lead_b, staff_b, call):
    login_as(lead_a)
    resp = client.post(f"/foerderung/{call.id}/interesse", data={"interested": "1", "note": "für unser Portal"})
    assert resp.status_code == 302
    assert row_count(FundingInterest) == 1
    client.post("/abmelden")
    login_as(staff_b)
    html = client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert "Ettlingen" in html and "für unser Portal" in html
    assert "Wir prüfen eine Bewerbung" not in html  # staff may not mark
    assert client.post(f"/foerderung/{call.id}/interesse", data={"interested": "1"}).status_code == 403
    client.post("/abmelden")
    login_as(lead_a)
    client.post(f"/foerderung/{call.id}/interesse", data={"interested": "0"})
    assert row_count(FundingInterest) == 0


def test_interest_on_closed_call_is_refused(client, login_as, lead_a):
    call = make_call("Vorbei", deadlines=[("Antrag", berlin_today() - timedelta(days=1))])
    db.session.commit()
    login_as(lead_a)
    resp = client.post(f"/foerderung/{call.id}/interesse", data={"interested": "1"})
    assert resp.status_code == 422
    assert "Dieser Förderaufruf ist geschlossen." in resp.get_data(as_text=True)
    assert row_count(FundingInterest) == 0


@pytest.fixture
def fake_inventory(monkeypatch):
    """A stand-in for the inventory domain's matching; restored afterwards."""
    calls = []

    def provider(user, municipality_id, field_ids, topic_ids):
        calls.append((user.id, municipality_id, sorted(field_ids), sorted(topic_ids)))
        return [{"id": 7, "title": f"Vorhaben der Kommune {municipality_id}", "url": "/vorhaben/7",
                 "status": "idea", "status_label": "Idee"}]
    monkeypatch.setattr("network.inventory.services.matching_projects", provider)
    yield calls


def test_matching_asks_only_for_the_viewers_city(client, login_as, staff_a, coordinator, call, field, topic,
                                                 fake_inventory):
    login_as(staff_a)
    html = client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert "Passt zu Ihren Vorhaben" in html
    assert f"Vorhaben der Kommune {staff_a.municipality_id}" in html
    assert fake_inventory == [(staff_a.id, staff_a.municipality_id, [field.id], [topic.id])]
    client.post("/abmelden")
    login_as(coordinator)  # no city: nothing to match, the provider is not asked
    html = client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert "Passt zu Ihren Vorhaben" not in html
    assert len(fake_inventory) == 1


def test_matching_shows_nothing_without_matching_projects(client, login_as, staff_a, call):
    login_as(staff_a)
    html = client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert "Keine Vorhaben Ihrer Kommune" in html


def test_mark_checked_today_clears_the_stale_flag(client, login_as, lead_b, staff_a):
    call = make_call("Alt", checked_on=berlin_today() - timedelta(days=200))
    db.session.commit()
    login_as(staff_a)
    assert client.post(f"/foerderung/{call.id}/geprueft").status_code == 403
    client.post("/abmelden")
    login_as(lead_b)
    assert "lange nicht geprüft" in client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert client.post(f"/foerderung/{call.id}/geprueft").status_code == 302
    db.session.expire_all()
    assert db.session.get(FundingCall, call.id).checked_on == berlin_today()
    assert "lange nicht geprüft" not in client.get(f"/foerderung/{call.id}").get_data(as_text=True)
