"""API: bearer tokens, error envelope, /me, municipalities."""

from network.accounts.services import create_api_token
from network.extensions import db


def _token(user):
    _t, plain = create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["info"]["title"] == "Städtenetz API"
    for path in ("/api/v1/me", "/api/v1/municipalities", "/api/v1/municipalities/{slug}", "/api/v1/networks",
                 "/api/v1/networks/{slug}"):
        assert path in doc["paths"], path
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_missing_and_bad_token_answer_401_envelope(client, staff_a):
    for headers in ({}, {"Authorization": "Bearer falsch"}, {"Authorization": "Basic abc"}):
        resp = client.get("/api/v1/me", headers=headers)
        assert resp.status_code == 401
        assert resp.get_json()["error"]["code"] == "unauthorized"
        assert "API-Token" in resp.get_json()["error"]["message"]
        assert resp.headers["WWW-Authenticate"] == "Bearer"


def test_session_cookie_is_not_accepted_by_api(client, login_as, staff_a):
    login_as(staff_a)
    assert client.get("/api/v1/me").status_code == 401


def test_me_and_municipalities(client, staff_a, city_b):
    h = _token(staff_a)
    me = client.get("/api/v1/me", headers=h).get_json()
    assert me["email"] == staff_a.email and me["municipality"]["slug"] == "ettlingen" and me["role"] == "staff"
    assert "password_hash" not in me
    cities = client.get("/api/v1/municipalities", headers=h).get_json()
    assert [c["slug"] for c in cities] == ["buehl", "ettlingen"]
    one = client.get("/api/v1/municipalities/buehl", headers=h).get_json()
    assert one["name"] == "Bühl" and one["kind_label"] == "Große Kreisstadt"


def test_unknown_slug_404_envelope(client, staff_a):
    headers = _token(staff_a)
    for path in ("/api/v1/municipalities/gibt-es-nicht", "/api/v1/networks/gibt-es-nicht"):
        resp = client.get(path, headers=headers)
        assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found", path


def test_deactivated_users_token_stops_working(client, staff_a, lead_a):
    from network.accounts.services import set_active
    h = _token(staff_a)
    assert client.get("/api/v1/me", headers=h).status_code == 200
    set_active(lead_a, staff_a, False)
    db.session.commit()
    assert client.get("/api/v1/me", headers=h).status_code == 401


def test_ids_beyond_the_database_integer_answer_404_not_500(app, client, login_as, lead_a):
    """Schemathesis found it on PostgreSQL: /api/v1/projects/40731574715010 raised 'integer out of range'."""
    from network.accounts.services import create_api_token
    from network.extensions import db
    _t, plain = create_api_token(lead_a, "gross")
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    for path in ("/api/v1/projects/40731574715010", "/api/v1/practices/2147483648", "/api/v1/meetings/99999999999"):
        resp = app.test_client().get(path, headers=headers)
        assert resp.status_code == 404, path
        assert resp.get_json()["error"]["code"] == "not_found"
    login_as(lead_a)
    assert client.get("/vorhaben/projekt/2147483648").status_code == 404
    assert client.get("/vorhaben/projekt/2147483647").status_code == 404
