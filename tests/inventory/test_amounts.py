"""Amounts (budget_eur) have one documented range, 0 – 10^12 €, in the service: form, API and CSV preview answer
bad values with a German message (422 / an invalid row), never a 500 (issue #15, finding 3)."""

import io
import json
import re

import pytest

from network.accounts.services import create_api_token
from network.extensions import db
from network.inventory import services
from network.inventory.models import Project
from tests.conftest import row_count

RANGE = "Die Kosten müssen zwischen 0 und 1.000.000.000.000 Euro liegen."
FORMAT = "Bitte geben Sie die Kosten als ganze Euro an, z. B. 25000 oder 25.000."

#: (id, value as typed into a form or CSV cell, expected message)
BAD_TEXT = [
    ("309-nines", "9" * 309, RANGE),
    ("400-digits", "1" * 400, RANGE),
    ("one-too-many", "1.000.000.000.001", RANGE),
    ("ten-trillion", "10000000000000", RANGE),
    ("negative", "-5", RANGE),
    ("negative-grouped", "-25.000", RANGE),
    ("exponent", "1e400", FORMAT),
    ("infinity", "Infinity", FORMAT),
    ("nan", "NaN", FORMAT),
    ("text", "viel", FORMAT),
]


@pytest.mark.parametrize("value,message", [(v, m) for _i, v, m in BAD_TEXT], ids=[i for i, _v, _m in BAD_TEXT])
def test_parser_refuses_bad_text(value, message):
    expected = services.AmountOutOfRange if message == RANGE else ValueError
    with pytest.raises(expected):
        services.parse_budget(value)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), 1e300, -1, 10**12 + 1, 10**400],
                         ids=["inf", "-inf", "nan", "1e300", "-1", "10^12+1", "10^400"])
def test_parser_refuses_bad_numbers(value):
    with pytest.raises(services.AmountOutOfRange):
        services.parse_budget(value)


@pytest.mark.parametrize("value,expected", [("0", 0), ("1.000.000.000.000", 10**12), (10**12, 10**12),
                                            ("12.500,50 €", 12500), (2.5, 2), ("", None)])
def test_parser_keeps_the_edges(value, expected):
    assert services.parse_budget(value) == expected


@pytest.mark.parametrize("value,message", [(v, m) for _i, v, m in BAD_TEXT], ids=[i for i, _v, _m in BAD_TEXT])
def test_form_answers_422_in_german(client, login_as, lead_a, fields, value, message):
    login_as(lead_a)
    resp = client.post("/vorhaben/ettlingen/neu", data={
        "title": "Teuer", "field_id": str(fields[0].id), "status": "idea", "visibility": "network",
        "budget_eur": value})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert row_count(Project) == 0


def _token_header(user):
    _t, plain = create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}", "Content-Type": "application/json"}


#: JSON bodies as sent on the wire (raw, so that 1e400 and Infinity reach the server as numbers)
BAD_JSON = [
    ("99-nines", "9" * 99, RANGE),  # longer integers are refused by the request guard (400), see below
    ("negative", "-1", RANGE),
    ("just-above", str(10**12 + 1), RANGE),
    ("float-huge", "1e300", FORMAT),  # not an integer (the document says integer)
    ("string-huge", json.dumps("9" * 400), FORMAT),  # text, not a JSON integer
    ("string-text", json.dumps("viel"), FORMAT),
    ("string-exponent", json.dumps("1e400"), FORMAT),
    ("bool", "true", FORMAT),
]


@pytest.mark.parametrize("raw,message", [(r, m) for _i, r, m in BAD_JSON], ids=[i for i, _r, _m in BAD_JSON])
def test_api_answers_422_in_german(client, lead_a, fields, raw, message):
    body = ('{"title": "Teuer", "field_id": %d, "status": "idea", "budget_eur": %s}' % (fields[0].id, raw))
    resp = client.post("/api/v1/municipalities/ettlingen/projects", headers=_token_header(lead_a), data=body)
    assert resp.status_code == 422, resp.get_data(as_text=True)[:300]
    assert resp.json["error"]["fields"]["budget_eur"] == message
    assert row_count(Project) == 0


def test_api_integer_too_long_to_read_is_a_bad_request(client, lead_a, fields):
    """309 digits are more than the request guard reads (JSON_MAX_INT_DIGITS): 400 in German, nothing stored."""
    body = ('{"title": "Teuer", "field_id": %d, "status": "idea", "budget_eur": %s}' % (fields[0].id, "9" * 309))
    resp = client.post("/api/v1/municipalities/ettlingen/projects", headers=_token_header(lead_a), data=body)
    assert resp.status_code == 400 and resp.json["error"]["code"] == "bad_request"
    assert "Zahl" in resp.json["error"]["message"]
    assert row_count(Project) == 0


@pytest.mark.parametrize("raw", ["1e400", "-1e400", "Infinity", "NaN"])
def test_api_non_finite_numbers_are_refused(client, lead_a, fields, raw):
    """Python's JSON reader turns these into inf/nan; the service refuses them (a stricter reader may answer
    400 before, issue #15 finding 2); never a 500, never stored."""
    body = ('{"title": "Teuer", "field_id": %d, "status": "idea", "budget_eur": %s}' % (fields[0].id, raw))
    resp = client.post("/api/v1/municipalities/ettlingen/projects", headers=_token_header(lead_a), data=body)
    assert resp.status_code in (400, 422), resp.get_data(as_text=True)[:300]
    if resp.status_code == 422:
        assert resp.json["error"]["fields"]["budget_eur"] == RANGE
    assert row_count(Project) == 0


def test_api_patch_checks_the_range_too(client, lead_a, city_a, fields):
    from tests.inventory.conftest import make_project
    p = make_project(city_a, fields[0], budget_eur=100)
    db.session.commit()
    resp = client.patch(f"/api/v1/projects/{p.id}", headers=_token_header(lead_a),
                        data='{"version": %d, "budget_eur": %s}' % (p.version, "9" * 99))
    assert resp.status_code == 422 and resp.json["error"]["fields"]["budget_eur"] == RANGE
    db.session.expire_all()
    assert db.session.get(Project, p.id).budget_eur == 100


@pytest.mark.parametrize("value,message", [(v, m) for _i, v, m in BAD_TEXT], ids=[i for i, _v, _m in BAD_TEXT])
def test_csv_preview_lists_the_row_as_invalid(client, login_as, lead_a, fields, value, message):
    login_as(lead_a)
    raw = ("Titel;Handlungsfeld;Status;Budget\n"
           "Gut;Digitale Bürgerdienste;Idee;25.000\n"
           f"Teuer;Digitale Bürgerdienste;Idee;{value}\n").encode()
    resp = client.post("/vorhaben/ettlingen/import", data={"file": (io.BytesIO(raw), "liste.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    token = re.search(r"/import/([\w-]+)$", resp.headers["Location"]).group(1)
    page = client.get(f"/vorhaben/ettlingen/import/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1 Zeile ist gültig." in html and "1 Zeile ist fehlerhaft." in html
    assert f"Budget (Euro): {message}" in html
    resp = client.post(f"/vorhaben/ettlingen/import/{token}", data={
        "action": "import", "map-title": "0", "map-field": "1", "map-status": "2", "map-budget_eur": "3"})
    assert resp.status_code == 302
    assert [p.budget_eur for p in db.session.query(Project).all()] == [25000]
