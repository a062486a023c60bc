"""The JSON API: reading, claiming, deciding, participation; German errors; OpenAPI."""

from network.accounts.services import create_api_token
from network.extensions import db
from network.topics.models import LeadClaim, Participation
from tests.conftest import row_count
from tests.topics.conftest import claims_of, give_lead


def _auth(user):
    _t, plain = create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_read_fields_and_topics(client, topic, city_a, city_b, staff_b):
    give_lead(topic, city_a)
    db.session.add(Participation(topic_id=topic.id, municipality_id=city_b.id, status="participating",
                                 contact_id=staff_b.id))
    db.session.commit()
    h = _auth(staff_b)
    assert client.get("/api/v1/fields-of-action", headers=h).get_json() == [
        {"slug": "digitale-buergerdienste", "name": "Digitale Bürgerdienste", "description": "", "position": 10}]
    (t,) = client.get("/api/v1/topics", headers=h).get_json()
    # city references are the shared core.apiauth.CityRef (id, slug, name)
    assert t["lead"] == {"id": city_a.id, "slug": "ettlingen", "name": "Ettlingen"}
    assert t["participants"] == [{"municipality": {"id": city_b.id, "slug": "buehl", "name": "Bühl"},
                                  "status": "participating",
                                  "contact": "Ben Bühl"}]
    assert client.get("/api/v1/topics?field=unbekannt", headers=h).get_json() == []
    detail = client.get("/api/v1/topics/e-akte", headers=h).get_json()
    assert detail["field"]["slug"] == "digitale-buergerdienste" and detail["open_claims"] == []
    resp = client.get("/api/v1/topics/nope", headers=h)
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_claim_and_decide(client, topic, lead_a, lead_b, staff_a, coordinator):
    resp = client.post("/api/v1/topics/e-akte/claims", json={}, headers=_auth(staff_a))
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "forbidden"
    resp = client.post("/api/v1/topics/e-akte/claims", json={"note": "Wir machen das."}, headers=_auth(lead_a))
    assert resp.status_code == 201
    body = resp.get_json()
    assert (body["kind"], body["status"], body["municipality"]["slug"]) == ("lead", "pending", "ettlingen")
    resp = client.post("/api/v1/topics/e-akte/claims", json={}, headers=_auth(lead_b))
    assert resp.status_code == 409
    assert "bereits beantragt" in resp.get_json()["error"]["message"]
    # a lead cannot decide; declining needs a reason; unknown decision is refused in German
    url = f"/api/v1/topics/e-akte/claims/{body['id']}/decision"
    assert client.post(url, json={"decision": "confirm"}, headers=_auth(lead_b)).status_code == 403
    h = _auth(coordinator)
    resp = client.post(url, json={"decision": "vielleicht"}, headers=h)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"]["decision"] == "Bitte wählen Sie einen dieser Werte: confirm, decline."
    resp = client.post(url, json={"decision": "decline"}, headers=h)
    assert resp.status_code == 422 and resp.get_json()["error"]["message"] == "Bitte begründen Sie die Ablehnung."
    assert claims_of(topic)[0].status == "pending"
    resp = client.post(url, json={"decision": "confirm"}, headers=h)
    assert resp.status_code == 200 and resp.get_json()["status"] == "confirmed"
    assert client.post(url, json={"decision": "confirm"}, headers=h).status_code == 409
    assert client.post("/api/v1/topics/e-akte/claims/99999/decision", json={"decision": "confirm"},
                       headers=h).status_code == 404
    detail = client.get("/api/v1/topics/e-akte", headers=h).get_json()
    assert [e["action"] for e in detail["history"]] == ["confirmed", "claimed"]


def test_claim_note_too_long(client, topic, lead_a):
    resp = client.post("/api/v1/topics/e-akte/claims", json={"note": "x" * 2001}, headers=_auth(lead_a))
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"]["note"] == "Bitte höchstens 2000 Zeichen."
    assert row_count(LeadClaim) == 0


def test_participation_put_and_delete(client, topic, lead_a, staff_a, staff_b):
    h = _auth(lead_a)
    resp = client.put("/api/v1/topics/e-akte/participation", json={"status": "interested", "contact_id": staff_a.id},
                      headers=h)
    assert resp.status_code == 200
    assert resp.get_json() == {"municipality": {"id": lead_a.municipality_id, "slug": "ettlingen", "name": "Ettlingen"},
                               "status": "interested",
                               "contact": "Sami Mitarbeit"}
    resp = client.put("/api/v1/topics/e-akte/participation", json={"status": "participating",
                                                                   "contact_id": staff_b.id}, headers=h)
    assert resp.status_code == 422 and "Ihrer Kommune" in resp.get_json()["error"]["message"]
    resp = client.put("/api/v1/topics/e-akte/participation", json={}, headers=h)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"]["status"] == "Diese Angabe fehlt."
    db.session.expire_all()
    assert db.session.query(Participation).one().status == "interested"
    assert client.put("/api/v1/topics/e-akte/participation", json={"status": "interested"},
                      headers=_auth(staff_a)).status_code == 403
    assert client.delete("/api/v1/topics/e-akte/participation", headers=h).status_code == 204
    assert row_count(Participation) == 0
    resp = client.delete("/api/v1/topics/e-akte/participation", headers=h)
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_openapi_documents_the_topic_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    for path in ("/api/v1/fields-of-action", "/api/v1/topics", "/api/v1/topics/{slug}",
                 "/api/v1/topics/{slug}/claims", "/api/v1/topics/{slug}/claims/{claim_id}/decision"):
        assert path in paths, path
    assert set(paths["/api/v1/topics/{slug}/participation"]) >= {"put", "delete"}
    assert {"Topic", "TopicDetail", "Claim", "ClaimIn", "DecisionIn", "ParticipationIn"} <= set(
        spec["components"]["schemas"])


def test_wrong_types_get_german_messages(client, topic, lead_a):
    resp = client.post("/api/v1/topics/e-akte/claims", json={"note": 5}, headers=_auth(lead_a))
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"]["note"] == "Bitte geben Sie hier einen Text an."
    assert row_count(LeadClaim) == 0
