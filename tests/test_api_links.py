"""API: objects name their API address and their page; collections are paged with Link and X-Total-Count."""

from network.accounts.services import create_api_token
from network.extensions import db
from network.municipalities.models import Municipality
from tests.inventory.conftest import fields, make_project  # noqa: F401  (fixture)

BASE = "http://staedtenetz.test"


def _token(user):
    _t, plain = create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_objects_carry_url_and_html_url(client, lead_a, city_a, fields):  # noqa: F811
    project = make_project(city_a, fields[0], title="Verlinkt", visibility="network")
    db.session.commit()
    h = _token(lead_a)
    got = client.get(f"/api/v1/projects/{project.id}", headers=h).get_json()
    assert got["url"] == f"{BASE}/api/v1/projects/{project.id}"
    assert got["html_url"] == f"{BASE}/vorhaben/projekt/{project.id}"
    assert client.get(got["url"].removeprefix(BASE), headers=h).status_code == 200
    city = client.get("/api/v1/municipalities/ettlingen", headers=h).get_json()
    assert city["url"] == f"{BASE}/api/v1/municipalities/ettlingen" and city["html_url"] == f"{BASE}/kommunen/ettlingen"
    network = client.get("/api/v1/networks/readi", headers=h).get_json()
    assert network["url"] == f"{BASE}/api/v1/networks/readi" and network["html_url"] == f"{BASE}/n/readi/"


def test_meetings_carry_ics_url(client, coordinator):
    from network.meetings import services
    from network.meetings.models import Body
    from network.networks.models import Network
    readi = db.session.execute(db.select(Network).filter_by(slug="readi")).scalar_one()
    body = Body(kind="plenum", name="Plenum", network_id=readi.id)  # every body names its network (issue #16)
    db.session.add(body)
    db.session.flush()
    meeting = services.create_meeting(coordinator, body, {"title": "Plenum 2027", "address": "Rathaus",
                                                          "starts_at": "2027-03-01T10:00", "ends_at": "2027-03-01T12:00"})
    db.session.commit()
    got = client.get(f"/api/v1/networks/readi/meetings/{meeting.id}", headers=_token(coordinator)).get_json()
    assert got["url"] == f"{BASE}/api/v1/networks/readi/meetings/{meeting.id}"
    assert got["html_url"] == f"{BASE}/n/readi/treffen/{meeting.id}"
    assert got["ics_url"] == f"{BASE}/n/readi/meetings/{meeting.id}.ics"


def test_collections_are_paged_with_link_and_total(client, staff_a):
    for i in range(5):
        db.session.add(Municipality(slug=f"ort-{i}", name=f"Ort {i}", kind="gemeinde", status="member"))
    db.session.commit()
    h = _token(staff_a)
    first = client.get("/api/v1/municipalities?per_page=3", headers=h)
    assert first.status_code == 200 and len(first.get_json()) == 3
    assert first.headers["X-Total-Count"] == "6"
    link = first.headers["Link"]
    assert f'<{BASE}/api/v1/municipalities?page=2&per_page=3>; rel="next"' in link and 'rel="prev"' not in link
    second = client.get("/api/v1/municipalities?page=2&per_page=3", headers=h)
    assert len(second.get_json()) == 3 and 'rel="prev"' in second.headers["Link"]
    assert 'rel="next"' not in second.headers["Link"]
    assert {c["slug"] for c in first.get_json()}.isdisjoint({c["slug"] for c in second.get_json()})
    for bad in ("page=0", "per_page=201", "page=abc"):
        resp = client.get(f"/api/v1/municipalities?{bad}", headers=h)
        assert resp.status_code == 422 and "ganze Zahl" in next(iter(resp.get_json()["error"]["fields"].values()))


def test_deprecated_routes_announce_it(client, staff_a):
    """The single-network addresses (before issue #16) are deprecated: Deprecation and Sunset headers."""
    resp = client.get("/api/v1/topics", headers=_token(staff_a))
    assert resp.headers.get("Deprecation") and resp.headers.get("Sunset")
    assert 'rel="successor-version"' in resp.headers.get("Link", "")
    assert not client.get("/api/v1/networks/readi/topics", headers=_token(staff_a)).headers.get("Deprecation")



def test_a_deprecated_address_with_odd_characters_keeps_its_headers_intact(client, staff_a):
    resp = client.put("/api/v1/topics/a%0Ab/participation", json={"status": "interested"}, headers=_token(staff_a))
    assert resp.status_code == 404
    assert "%0A" in resp.headers["Link"] and "\n" not in resp.headers["Link"]
