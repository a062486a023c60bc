"""API: bodies, meetings (list, create, get, patch), RSVP, poll (slots, votes, pick), agenda; errors in the envelope."""

import pytest

from network.accounts.services import create_api_token
from network.extensions import db
from network.meetings import services
from tests.meetings.conftest import future, meeting_data


@pytest.fixture
def api(app):
    def _for(user):
        _t, plain = create_api_token(user, "test")
        db.session.commit()
        c = app.test_client()
        headers = {"Authorization": f"Bearer {plain}"}

        class C:
            def get(self, url):
                return c.get(url, headers=headers)

            def post(self, url, json=None):
                return c.post(url, json=json, headers=headers)

            def patch(self, url, json=None):
                return c.patch(url, json=json, headers=headers)
        return C()
    return _for


def test_bodies_and_meetings_only_for_members(api, lead_a, fachgruppe, body_b_only, meeting, coordinator):
    other = services.create_meeting(coordinator, body_b_only, meeting_data(future(), number="1", title="B intern"))
    db.session.commit()
    a = api(lead_a)
    assert [b["name"] for b in a.get("/api/v1/bodies").get_json()] == ["Fachgruppe"]
    titles = [m["title"] for m in a.get("/api/v1/meetings").get_json()]
    assert titles == ["34. Fachgruppentreffen"]
    resp = a.get(f"/api/v1/meetings/{other.id}")
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"
    got = a.get(f"/api/v1/meetings/{meeting.id}").get_json()
    assert got["host"]["slug"] == "ettlingen" and got["rsvp_counts"]["yes"] == 0 and got["my_rsvp"] is None


def test_create_patch_and_errors(api, coordinator, lead_a, fachgruppe, city_b):
    c = api(coordinator)
    resp = c.post("/api/v1/meetings", json={"body_id": fachgruppe.id, "title": "API-Treffen", "address": "Bühl",
                                           "starts_at": "2027-03-28T10:00", "ends_at": "2027-03-28T12:00",
                                           "host_id": city_b.id, "number": 5})
    assert resp.status_code == 201, resp.get_json()
    m = resp.get_json()
    assert m["starts_at"].startswith("2027-03-28T08:00") and m["status"] == "scheduled"
    resp = c.post("/api/v1/meetings", json={"body_id": fachgruppe.id, "title": "", "address": ""})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"]["title"] == "Bitte geben Sie einen Titel an."
    resp = c.post("/api/v1/meetings", json={"body_id": fachgruppe.id, "title": "T", "address": "",
                                           "starts_at": "morgen", "ends_at": "2027-01-01T10:00"})
    assert resp.status_code == 422
    fields = resp.get_json()["error"]["fields"]
    assert "ISO 8601" in fields["starts_at"]
    resp = c.post("/api/v1/meetings", json={"body_id": fachgruppe.id, "title": "T", "address": "",
                                           "starts_at": "2027-01-01T09:00", "ends_at": "2027-01-01T10:00"})
    assert "Adresse oder einen Online-Link" in resp.get_json()["error"]["fields"]["address"]
    assert c.post("/api/v1/meetings", json={"title": "x"}).status_code == 422
    # a staff member may not create
    assert api(lead_a).post("/api/v1/meetings", json={"body_id": fachgruppe.id, "title": "x",
                                                      "address": "y"}).status_code == 403
    # patch: only sent fields change; SEQUENCE rises when the time changes; a stale version is 409
    resp = c.patch(f"/api/v1/meetings/{m['id']}", json={"starts_at": "2027-03-28T11:00", "version": m["version"]})
    assert resp.status_code == 200 and resp.get_json()["sequence"] == 1 and resp.get_json()["title"] == "API-Treffen"
    resp = c.patch(f"/api/v1/meetings/{m['id']}", json={"title": "alt", "version": m["version"]})
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "conflict"


def test_rsvp_api(api, lead_a, meeting):
    a = api(lead_a)
    resp = a.post(f"/api/v1/meetings/{meeting.id}/rsvp", json={"response": "maybe", "note": "vielleicht später"})
    assert resp.status_code == 200 and resp.get_json() == {"response": "maybe", "note": "vielleicht später",
                                                           "waiting_list": False}
    resp = a.post(f"/api/v1/meetings/{meeting.id}/rsvp", json={"response": "ja"})
    assert resp.status_code == 422 and "response" in resp.get_json()["error"]["fields"]
    assert a.get(f"/api/v1/meetings/{meeting.id}").get_json()["my_rsvp"] == "maybe"


def test_poll_api_flow(api, coordinator, lead_a, lead_b, fachgruppe):
    c = api(coordinator)
    m = c.post("/api/v1/meetings", json={"body_id": fachgruppe.id, "title": "Umfrage", "address": "x"}).get_json()
    assert m["status"] == "polling"
    resp = c.post(f"/api/v1/meetings/{m['id']}/poll", json={"slots": [
        {"starts_at": future(20).isoformat(), "ends_at": future(20, 12).isoformat()},
        {"starts_at": future(21).isoformat(), "ends_at": future(21, 12).isoformat()}]})
    assert resp.status_code == 200
    slots = resp.get_json()["slots"]
    assert len(slots) == 2
    assert api(lead_a).post(f"/api/v1/meetings/{m['id']}/poll", json={"slots": [
        {"starts_at": future(22).isoformat(), "ends_at": future(22, 12).isoformat()}]}).status_code == 403
    a, b = api(lead_a), api(lead_b)
    assert a.post(f"/api/v1/meetings/{m['id']}/poll/votes",
                  json={"votes": [{"slot_id": slots[0]["id"], "answer": "yes"},
                                  {"slot_id": slots[1]["id"], "answer": "no"}]}).status_code == 200
    got = b.post(f"/api/v1/meetings/{m['id']}/poll/votes", json={"votes": {str(slots[0]["id"]): "maybe"}}).get_json()
    assert got["slots"][0]["totals"] == {"yes": 1, "maybe": 1, "no": 0} and got["slots"][0]["my_answer"] == "maybe"
    assert got["best_slot_id"] == slots[0]["id"]
    resp = b.post(f"/api/v1/meetings/{m['id']}/poll/votes", json={"votes": {"999999": "yes"}})
    assert resp.status_code == 422
    resp = c.post(f"/api/v1/meetings/{m['id']}/poll", json={"pick_slot_id": slots[0]["id"]})
    assert resp.status_code == 200 and resp.get_json()["status"] == "scheduled"
    assert c.post(f"/api/v1/meetings/{m['id']}/poll", json={"pick_slot_id": slots[1]["id"]}).status_code == 409


def test_agenda_api(api, coordinator, lead_b, meeting):
    b = api(lead_b)
    resp = b.post(f"/api/v1/meetings/{meeting.id}/agenda", json={"title": "Open Data", "duration_minutes": 20,
                                                                 "link_path": "/vorhaben/7", "link_label": "Portal"})
    assert resp.status_code == 201 and resp.get_json()["proposed"][0]["title"] == "Open Data"
    resp = b.post(f"/api/v1/meetings/{meeting.id}/agenda", json={"title": "x", "link_path": "javascript:alert(1)"})
    assert resp.status_code == 422 and "link_path" in resp.get_json()["error"]["fields"]
    c = api(coordinator)
    got = c.post(f"/api/v1/meetings/{meeting.id}/agenda", json={"title": "Begrüßung", "duration_minutes": 5}).get_json()
    assert got["items"][0]["title"] == "Begrüßung" and got["items"][0]["starts_at"]
    assert b.get(f"/api/v1/meetings/{meeting.id}/agenda").status_code == 200
