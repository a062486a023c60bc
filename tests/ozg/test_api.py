"""OZG API: the catalogue (filter, search, pages), a city's status (read as far as visible, PUT with version)."""

from network.accounts.services import create_api_token
from network.extensions import db
from network.ozg.models import OzgStatus
from tests.conftest import row_count
from tests.ozg.conftest import make_status


def _h(user, scope="read-write"):
    _t, plain = create_api_token(user, "test", scope=scope)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_services_filter_search_and_pages(client, staff_b, catalogue):
    h = _h(staff_b)
    every = client.get("/api/v1/ozg/services", headers=h).json
    assert every["total"] == 5 and every["pages"] == 1 and every["services"][0]["themenfeld"] == "Engagement & Hobby"
    by_field = client.get("/api/v1/ozg/services?themenfeld=mobilitaet-reisen", headers=h).json
    assert {s["ozg_id"] for s in by_field["services"]} == {10173, 10446}
    assert client.get("/api/v1/ozg/services?themenfeld=Mobilität %26 Reisen", headers=h).json["total"] == 2
    found = client.get("/api/v1/ozg/services?q=park betriebe", headers=h).json
    assert [s["ozg_id"] for s in found["services"]] == [10446]
    assert client.get("/api/v1/ozg/services?q=10160", headers=h).json["services"][0]["name"] == "Hundehaltung"
    assert client.get("/api/v1/ozg/services?page=2", headers=h).json["services"] == []
    bad = client.get("/api/v1/ozg/services?page=0", headers=h)
    assert bad.status_code == 422
    assert client.get("/api/v1/ozg/services").status_code == 401


def test_read_status_follows_visibility(client, lead_a, lead_b, city_a, catalogue):
    make_status(city_a, catalogue[10173], status="online", url="https://e.example/", visibility="city",
                solution="Intern")
    db.session.commit()
    own = client.get("/api/v1/municipalities/ettlingen/ozg/10173", headers=_h(lead_a)).json
    assert own["status"] == "online" and own["solution"] == "Intern" and own["version"] == 1
    other = client.get("/api/v1/municipalities/ettlingen/ozg/10173", headers=_h(lead_b)).json
    assert other["status"] == "open" and other["solution"] == "" and other["version"] == 0
    assert client.get("/api/v1/municipalities/ettlingen/ozg/99999", headers=_h(lead_b)).status_code == 404
    assert client.get("/api/v1/municipalities/nirgendwo/ozg/10173", headers=_h(lead_b)).status_code == 404


def test_put_status(client, staff_a, lead_a, lead_b, coordinator, catalogue):
    url = "/api/v1/municipalities/ettlingen/ozg/10173"
    body = {"status": "online", "maturity": 3, "url": "https://www.ettlingen.de/parken", "is_efa": True,
            "provider": "Baden-Württemberg", "go_live": "2024-04-01", "version": 0,
            "municipality_id": 999, "is_example": True}
    resp = client.put(url, headers=_h(staff_a), json=body)
    assert resp.status_code == 200, resp.json
    assert resp.json["version"] == 1 and resp.json["go_live"] == "2024-04-01" and resp.json["is_example"] is False
    assert resp.json["municipality"]["slug"] == "ettlingen"
    # fields left out keep their value
    resp = client.put(url, headers=_h(lead_a), json={"status": "online", "solution": "Parkportal", "version": 1})
    assert resp.status_code == 200 and resp.json["url"] == "https://www.ettlingen.de/parken"
    stale = client.put(url, headers=_h(lead_a), json={"status": "planned", "version": 1})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "conflict"
    bad = client.put(url, headers=_h(lead_a), json={"status": "online", "url": "", "go_live": None, "version": 2})
    assert bad.status_code == 422 and "Link" in bad.json["error"]["fields"]["url"]
    assert client.put(url, headers=_h(lead_a), json={"status": "planned", "maturity": 9, "version": 2}) \
        .status_code == 422
    assert client.put(url, headers=_h(lead_a), json={"status": "planned"}).json["error"]["fields"]["version"]
    assert client.put(url, headers=_h(lead_b), json={"status": "planned", "version": 2}).status_code == 404
    assert client.put(url, headers=_h(coordinator), json={"status": "planned", "version": 2}).status_code == 403
    assert client.put(url, headers=_h(lead_a, "read"), json={"status": "planned", "version": 2}).status_code == 403
    db.session.expire_all()
    row = db.session.get(OzgStatus, 1)
    assert (row.status, row.solution, row.version) == ("online", "Parkportal", 2) and row_count(OzgStatus) == 1
