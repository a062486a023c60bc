"""API /api/v1/networks: paged list, one network with members; settings only for its coordination and the
platform administration; unknown slug 404 envelope; bad page 422 envelope."""

from network.accounts.services import create_api_token
from network.extensions import db
from tests import factories


def _h(user):
    from flask import current_app
    from network.core.current import set_request_network
    with current_app.test_request_context():
        # a coordinator without a city holds its rights inside its network (core/current)
        set_request_network(next(iter(sorted(user.coordinated_networks)), "readi"))
        _t, plain = create_api_token(user, "test")
        db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_list_networks_paged(client, lead_a, nord):
    for i in range(51):
        factories.make_network(f"x-{i:02d}", f"X {i:02d}")
    db.session.commit()
    h = _h(lead_a)
    first = client.get("/api/v1/networks", headers=h).get_json()
    assert first["total"] == 53 and first["pages"] == 2 and len(first["networks"]) == 50
    second = client.get("/api/v1/networks?page=2", headers=h).get_json()
    assert len(second["networks"]) == 3
    readi = next(n for n in first["networks"] + second["networks"] if n["slug"] == "readi")
    assert readi["member_count"] == 1 and set(readi) >= {"name", "region", "is_open", "is_example"}
    bad = client.get("/api/v1/networks?page=0", headers=h)
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid"


def test_network_detail_members_and_settings(client, nord, coordinator_nord, coordinator, lead_a, admin, city_b):
    factories.join_network(city_b, nord, status="guest")
    gone = factories.make_city("Rastatt", networks=[])
    factories.join_network(gone, nord, status="left")
    db.session.commit()
    as_lead = client.get("/api/v1/networks/nord", headers=_h(lead_a)).get_json()
    assert [(m["municipality"]["slug"], m["status"]) for m in as_lead["members"]] == [
        ("buehl", "guest"), ("rastatt", "left")]
    assert as_lead["member_count"] == 1 and as_lead["settings"] is None
    assert client.get("/api/v1/networks/nord", headers=_h(coordinator)).get_json()["settings"] is None
    own = client.get("/api/v1/networks/nord", headers=_h(coordinator_nord)).get_json()
    assert own["settings"]["reminder_days"] == "7,1"
    assert client.get("/api/v1/networks/nord", headers=_h(admin)).get_json()["settings"] is not None
    missing = client.get("/api/v1/networks/gibt-es-nicht", headers=_h(lead_a))
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/networks/nord").status_code == 401


def test_openapi_documents_networks(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/networks" in paths and "/api/v1/networks/{slug}" in paths
