"""Issue #15, findings 2 and 4: hostile JSON, oversized bodies and invalid UTF-8 answer 400/413, never 500."""

import json

import pytest
import sqlalchemy as sa

from network.accounts.services import create_api_token
from network.extensions import db
from network.inventory.models import Project
from network.practices.models import Practice
from tests.conftest import row_count
from tests.topics.conftest import make_field, make_topic

DEEP = ("[" * 1000 + "]" * 1000).encode()
DEEP_OBJECT = ('{"a":' * 1000 + "1" + "}" * 1000).encode()
HOSTILE = {
    "1000 Ebenen (Array)": (DEEP, "verschachtelt"),
    "1000 Ebenen (Objekt)": (DEEP_OBJECT, "verschachtelt"),
    "5000 Stellen": (b'{"budget_eur": ' + b"9" * 5000 + b"}", "Stellen"),
    "1e400": (b'{"budget_eur": 1e400}', "endlich"),
    "Infinity": (b'{"budget_eur": Infinity}', "endlich"),
    "-Infinity": (b'{"budget_eur": -Infinity}', "endlich"),
    "NaN": (b'{"budget_eur": NaN}', "endlich"),
    "kaputt": (b'{"title": ', "kein gültiges JSON"),
}


def _json_endpoints(app):
    """Every API route that takes a body, with sample path arguments."""
    out = []
    for rule in app.url_map.iter_rules():
        methods = rule.methods - {"GET", "HEAD", "OPTIONS"}
        if not rule.rule.startswith("/api/") or not methods:
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "ettlingen")
        out.extend((m, path) for m in sorted(methods))
    return out


def test_every_json_endpoint_refuses_hostile_bodies_with_the_german_envelope(app, client, staff_a):
    _t, plain = create_api_token(staff_a, "feindlich")
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}", "Content-Type": "application/json"}
    endpoints = _json_endpoints(app)
    assert ("POST", "/api/v1/interest") in endpoints and len(endpoints) >= 20
    for method, path in endpoints:
        for label, (body, word) in HOSTILE.items():
            resp = client.open(path, method=method, data=body, headers=headers)
            assert resp.status_code == 400, (method, path, label, resp.status_code)
            err = resp.get_json()["error"]
            assert err["code"] == "bad_request" and word in err["message"], (method, path, label, err)
    # the public registration needs no token and is refused the same way
    resp = client.post("/api/v1/interest", data=DEEP, content_type="application/json")
    assert resp.status_code == 400 and "verschachtelt" in resp.get_json()["error"]["message"]


def test_ordinary_json_still_works_and_big_but_sane_numbers_reach_validation(client, staff_a):
    _t, plain = create_api_token(staff_a, "normal")
    db.session.commit()
    h = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/me", headers=h).status_code == 200
    # a long but finite number passes the guard; the domain's own validation decides (never 500)
    resp = client.post("/api/v1/municipalities/ettlingen/projects", headers=h,
                       json={"title": "X", "budget_eur": 10 ** 25})
    assert resp.status_code in (400, 403, 404, 422) and "error" in resp.get_json()


def test_request_get_json_uses_the_strict_parser(app):
    from network.core.requestguard import HostileJSON
    with app.test_request_context("/x", method="POST", data=b'{"a": NaN}', content_type="application/json"):
        from flask import request
        from werkzeug.exceptions import BadRequest
        with pytest.raises(BadRequest):
            request.get_json()
    with pytest.raises(HostileJSON):
        app.json.loads(DEEP)
    assert app.json.loads('{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}


def test_body_over_the_global_limit_answers_413_before_reading(app, client, staff_a):
    _t, plain = create_api_token(staff_a, "gross")
    db.session.commit()
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b'{"title": "' + b"x" * (limit + 10) + b'"}'
    resp = client.post("/api/v1/practices", data=body, content_type="application/json",
                       headers={"Authorization": f"Bearer {plain}"})
    assert resp.status_code == 413 and resp.get_json()["error"]["code"] == "too_large"
    assert "zu groß" in resp.get_json()["error"]["message"]
    # an HTML form as well (German page)
    resp = client.post("/anmelden", data={"email": "x" * (limit + 10), "password": "y"})
    assert resp.status_code == 413 and "Die Anfrage ist zu groß" in resp.get_data(as_text=True)


def test_uploads_keep_their_own_larger_limit(app):
    """Multipart bodies may be MAX_UPLOAD_BYTES (+ form overhead) large; others only MAX_CONTENT_LENGTH."""
    from network.core.requestguard import _guard
    from werkzeug.exceptions import RequestEntityTooLarge
    big = app.config["MAX_CONTENT_LENGTH"] * 3
    assert app.config["MAX_UPLOAD_BYTES"] > big
    env = {"CONTENT_LENGTH": str(big)}
    with app.test_request_context("/praxis/1/datei", method="POST", environ_base=env,
                                  content_type="multipart/form-data; boundary=xyz", data=b""):
        from flask import request
        request.environ["CONTENT_LENGTH"] = str(big)
        _guard_no_body = request.content_length == big
        assert _guard_no_body
        # the limit is raised for the upload; reading the (declared) body is left to the form parser
        limit = app.config["MAX_UPLOAD_BYTES"] + app.config["UPLOAD_OVERHEAD_BYTES"]
        request.environ["CONTENT_LENGTH"] = str(limit + 1)
        with pytest.raises(RequestEntityTooLarge):
            _guard()
        assert request.max_content_length == limit
    with app.test_request_context("/anmelden", method="POST", content_type="application/x-www-form-urlencoded"):
        from flask import request
        request.environ["CONTENT_LENGTH"] = str(big)
        with pytest.raises(RequestEntityTooLarge):
            _guard()


@pytest.fixture
def field_and_topic():
    f = make_field("Digitale Bürgerdienste", position=10)
    t = make_topic(f, "e-Akte")
    db.session.commit()
    return f, t


def _project_form(field_id, title: bytes) -> bytes:
    return (b"title=" + title + b"&field_id=" + str(field_id).encode() +
            b"&status=idea&priority=high&visibility=network&budget_eur=25.000&summary=x")


def test_invalid_utf8_in_the_project_form_is_refused_and_nothing_stored(client, login_as, staff_a, field_and_topic):
    field, _topic = field_and_topic
    login_as(staff_a)
    for title in (b"%FF%FE", b"\xff\xfe", b"ok%C3"):
        resp = client.post("/vorhaben/ettlingen/neu", data=_project_form(field.id, title),
                           content_type="application/x-www-form-urlencoded")
        assert resp.status_code == 400, title
        assert "kein gültiges UTF-8" in resp.get_data(as_text=True)
    assert row_count(Project) == 0
    # the same form with valid UTF-8 is stored (the guard is not what kept the table empty)
    resp = client.post("/vorhaben/ettlingen/neu", data=_project_form(field.id, "Bürgerbüro".encode()),
                       content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 302 and row_count(Project) == 1


def test_invalid_utf8_in_a_multipart_form_and_in_query_strings(client, login_as, staff_a, field_and_topic):
    _field, topic = field_and_topic
    login_as(staff_a)
    boundary = "grenze"
    fields = {"title": b"Termine \xc3\x28", "summary": b"Online buchen", "visibility": b"network",
              "field_id": b"", "tags": b"", "version": b"", "solution": b"x", "action": b"save",
              "topic_ids": str(topic.id).encode()}
    body = b"".join(b"--grenze\r\nContent-Disposition: form-data; name=\"" + k.encode() + b"\"\r\n\r\n" + v + b"\r\n"
                    for k, v in fields.items()) + b"--grenze--\r\n"
    resp = client.post("/praxis/neu", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 400 and "kein gültiges UTF-8" in resp.get_data(as_text=True)
    assert row_count(Practice) == 0
    resp = client.get("/vorhaben/ettlingen/?jahr=%FF")
    assert resp.status_code == 400 and "kein gültiges UTF-8" in resp.get_data(as_text=True)
    resp = client.get("/api/v1/municipalities?q=%C3", headers={"Authorization": "Bearer x"})
    assert resp.status_code == 400 and "UTF-8" in resp.get_json()["error"]["message"]
    # valid multipart still goes through to the view
    body = body.replace(b"Termine \xc3\x28", "Termine Bürgerbüro".encode())
    resp = client.post("/praxis/neu", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 302 and row_count(Practice) == 1
