"""Issue #16: a city that left a network keeps reading its history there (topics, claims, the matrix, the API) and
changes nothing (403 with a German message, nothing written); the pages offer it no action and say why. A city
that never took part in the network still meets 404."""

import pytest
import sqlalchemy as sa

from network.core.current import set_request_network
from network.core.models import AuditEvent
from network.extensions import db
from network.networks.services import leave
from network.topics.models import LeadClaim, LeadEvent, Participation
from tests import factories
from tests.topics.conftest import give_lead, make_field, make_topic

NOTE = "Ihre Kommune ist aus diesem Netzwerk ausgetreten – Sie sehen die Historie."
REFUSAL = "Ihre Kommune ist aus diesem Netzwerk ausgetreten"


@pytest.fixture
def left(app, nord, coordinator_nord, city_a, lead_a):
    """Ettlingen (re@di) led "Breitband" in network nord and took part in "Häfen"; then it left nord."""
    factories.join_network(city_a, nord)
    field = make_field("Infrastruktur", network_id=nord.id)
    led = make_topic(field, "Breitband")
    other = make_topic(field, "Häfen")
    give_lead(led, city_a)
    db.session.add(LeadEvent(topic_id=led.id, municipality_id=city_a.id, action="confirmed", reason="Plenum"))
    db.session.add(Participation(topic_id=other.id, municipality_id=city_a.id, status="participating"))
    db.session.commit()
    with app.test_request_context("/n/nord/"):
        set_request_network("nord")
        leave(coordinator_nord, nord, city_a, reason="Beschluss des Gemeinderats")
    db.session.commit()
    own = make_topic(make_field("Verwaltung"), "e-Akte")
    db.session.commit()
    return {"led": led, "other": other, "own": own}


def _counts():
    db.session.expire_all()
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (LeadClaim, LeadEvent, Participation, AuditEvent))


def test_left_city_reads_its_past_claim_as_history(sign_in, left, lead_a):
    c = sign_in(lead_a)
    page = c.get("/n/nord/themen/breitband")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert NOTE in html
    # its claim is history: confirmed once, ended by leaving, both with the city's name
    assert "Federführung durch Austritt beendet" in html and "Ettlingen" in html
    # no action is offered: no claim, handover, withdrawal or participation form
    for action in ("/federfuehrung\"", "/federfuehrung/abgeben", "/federfuehrung/uebergeben", "/teilnahme\"",
                   "follow-form"):
        assert action not in html, action
    for path in ("/n/nord/themen/", "/n/nord/themen/matrix", "/n/nord/themen/vorschlaege"):
        resp = c.get(path)
        assert resp.status_code == 200 and NOTE in resp.get_data(as_text=True), path
    assert "/n/nord/themen/vorschlagen" not in c.get("/n/nord/themen/vorschlaege").get_data(as_text=True)
    # its own network's pages carry no such note, and there its topic page offers the actions
    assert NOTE not in c.get("/n/readi/themen/").get_data(as_text=True)
    own = c.get(f"/n/readi/themen/{left['own'].slug}").get_data(as_text=True)
    assert NOTE not in own and "/federfuehrung\"" in own and "follow-form" in own


def test_left_city_writes_nothing(sign_in, left, lead_a):
    c = sign_in(lead_a)
    before = _counts()
    for method, path, data in (
            ("POST", "/n/nord/themen/breitband/federfuehrung", {"claim-note": "wieder da"}),
            ("POST", "/n/nord/themen/haefen/teilnahme", {"part-status": "interested"}),
            ("POST", "/n/nord/themen/haefen/teilnahme/beenden", {}),
            ("POST", "/n/nord/themen/vorschlagen", {"name": "Neu", "field_id": "1"}),
            ("GET", "/n/nord/themen/vorschlagen", None),
            ("GET", "/n/nord/themen/breitband/federfuehrung/abgeben", None)):
        resp = c.open(path, method=method, data=data)
        assert resp.status_code == 403, (method, path, resp.status_code)
        assert REFUSAL in resp.get_data(as_text=True), path
    assert _counts() == before


def test_left_city_through_the_api(client, left, lead_a):
    from network.accounts.services import create_api_token
    _t, plain = create_api_token(lead_a, "test")
    db.session.commit()
    h = {"Authorization": f"Bearer {plain}"}
    resp = client.get("/api/v1/networks/nord/topics/breitband", headers=h)
    assert resp.status_code == 200
    history = resp.get_json()["history"]
    assert {(e["action"], e["municipality"]["name"]) for e in history} >= {("confirmed", "Ettlingen"),
                                                                           ("lost_on_leave", "Ettlingen")}
    assert client.get("/api/v1/networks/nord/topics", headers=h).status_code == 200
    before = _counts()
    resp = client.post("/api/v1/networks/nord/topics/breitband/claims", json={"note": "wieder da"}, headers=h)
    assert resp.status_code == 403
    assert REFUSAL in resp.get_json()["error"]["message"]
    resp = client.put("/api/v1/networks/nord/topics/haefen/participation", json={"status": "interested"}, headers=h)
    assert resp.status_code == 403
    assert _counts() == before


def test_a_city_that_never_took_part_still_meets_404(sign_in, left, lead_b, client):
    c = sign_in(lead_b)
    for path in ("/n/nord/themen/", "/n/nord/themen/breitband", "/n/nord/themen/breitband/federfuehrung"):
        method = "POST" if path.endswith("federfuehrung") else "GET"
        assert c.open(path, method=method).status_code == 404, path
