"""The funding API: calls (list, filters, create, patch with version, interest) and applications."""

from network.extensions import db
from network.funding.models import Application, ApplicationMember
from tests.funding.conftest import api_headers, make_call
from tests.topics.conftest import make_field, make_topic


def test_list_filters_and_shape(client, staff_a, lead_b, call, field, topic):
    other_field = make_field("Mobilität")
    make_call("Andere", fields=[other_field], funder="eu")
    from network.funding.models import FundingInterest
    db.session.add(FundingInterest(call_id=call.id, municipality_id=lead_b.municipality_id, note="prüfen"))
    db.session.commit()
    h = api_headers(staff_a)
    rows = client.get("/api/v1/funding-calls", headers=h).get_json()
    assert [r["title"] for r in rows] == ["Digitale Zukunft", "Andere"] or len(rows) == 2
    first = next(r for r in rows if r["id"] == call.id)
    assert first["status"] == "open" and first["interested"][0]["municipality"]["slug"] == "buehl"
    assert [r["title"] for r in client.get(f"/api/v1/funding-calls?field={field.slug}", headers=h).get_json()] == \
        ["Digitale Zukunft"]
    assert [r["title"] for r in client.get(f"/api/v1/funding-calls?topic={topic.id}", headers=h).get_json()] == \
        ["Digitale Zukunft"]
    assert client.get("/api/v1/funding-calls?status=closed", headers=h).get_json() == []
    assert client.get(f"/api/v1/funding-calls/{call.id}", headers=h).get_json()["deadlines"][0]["label"] == "Antrag"
    assert client.get("/api/v1/funding-calls/99999", headers=h).status_code == 404


def test_create_and_patch_with_version(client, lead_a, field):
    h = api_headers(lead_a)
    resp = client.post("/api/v1/funding-calls", headers=h, json={
        "title": "API-Aufruf", "funder": "bund", "rate": "62,5", "max_amount": 150000, "field_ids": [field.id],
        "deadlines": [{"label": "Antrag", "due_on": "2027-02-28"}]})
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["rate"] == "62.50" and body["max_amount"] == "150000.00" and body["version"] == 1
    resp = client.patch(f"/api/v1/funding-calls/{body['id']}", headers=h,
                        json={"checked_on": "2026-11-01", "version": 1})
    assert resp.status_code == 200 and resp.get_json()["checked_on"] == "2026-11-01"
    assert resp.get_json()["title"] == "API-Aufruf"  # untouched fields stay
    stale = client.patch(f"/api/v1/funding-calls/{body['id']}", headers=h, json={"title": "X", "version": 1})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"


def test_staff_cannot_create_calls(client, staff_a):
    resp = client.post("/api/v1/funding-calls", headers=api_headers(staff_a), json={"title": "X", "funder": "eu"})
    assert resp.status_code == 403


def test_interest_put(client, lead_a, call):
    h = api_headers(lead_a)
    resp = client.put(f"/api/v1/funding-calls/{call.id}/interest", headers=h, json={"interested": True, "note": "ja"})
    assert resp.status_code == 200 and resp.get_json()["interested"] is True
    resp = client.put(f"/api/v1/funding-calls/{call.id}/interest", headers=h, json={"interested": False})
    assert resp.get_json()["interested"] is False


def test_applications_flow_and_isolation(client, lead_a, lead_b, staff_b, call):
    ha, hb = api_headers(lead_a), api_headers(lead_b)
    resp = client.post("/api/v1/applications", headers=ha, json={"call_id": call.id, "title": "Verbund",
                                                                 "requested_amount": "50.000"})
    assert resp.status_code == 201, resp.get_json()
    app_id = resp.get_json()["id"]
    assert client.get(f"/api/v1/applications/{app_id}", headers=hb).status_code == 404
    assert client.get("/api/v1/applications", headers=hb).get_json() == []
    resp = client.post(f"/api/v1/applications/{app_id}/partners", headers=ha, json={"municipality": "buehl"})
    assert resp.status_code == 201 and resp.get_json()["status"] == "invited"
    assert client.post(f"/api/v1/applications/{app_id}/partners", headers=ha,
                       json={"municipality": "buehl"}).status_code == 409
    assert client.patch(f"/api/v1/applications/{app_id}", headers=hb, json={"invitation": "accept"}).status_code == 200
    # the partner may not change the status, but its share
    resp = client.patch(f"/api/v1/applications/{app_id}", headers=hb, json={"status": "submitted"})
    assert resp.status_code == 403
    resp = client.patch(f"/api/v1/applications/{app_id}", headers=hb, json={"share_amount": "5.000"})
    assert resp.status_code == 200
    shares = {m["municipality"]["slug"]: m["share_amount"] for m in resp.get_json()["members"]}
    assert shares == {"ettlingen": None, "buehl": "5000.00"}
    resp = client.patch(f"/api/v1/applications/{app_id}", headers=ha, json={"status": "submitted"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "submitted"
    assert [e["action"] for e in resp.get_json()["timeline"]][0] == "status"
    assert client.patch(f"/api/v1/applications/{app_id}", headers=ha,
                        json={"status": "fertig"}).status_code == 422
    db.session.expire_all()
    assert db.session.get(Application, app_id).status == "submitted"
    assert db.session.query(ApplicationMember).count() == 2


def test_create_application_needs_a_call(client, lead_a):
    resp = client.post("/api/v1/applications", headers=api_headers(lead_a), json={"title": "x"})
    assert resp.status_code == 422 and "call_id" in resp.get_json()["error"]["fields"]
