"""Every amount field (amounts, rate, shares) of the forms and the API has a documented range and answers hostile
numbers with a German message beside the field (422), never a 500 (issue #15, finding 3).

Before the fix, 309 nines, 1e400 and 400 digits crashed `Decimal.quantize` (InvalidOperation -> 500)."""

import pytest

from network.extensions import db
from network.funding.models import Application, FundingCall
from tests.funding.conftest import api_headers

TOO_BIG = "%s ist zu groß."
NO_NUMBER = "%s muss eine Zahl sein, z. B. 1.234,56."
NEGATIVE = "%s darf nicht negativ sein."
RATE_RANGE = "Der Fördersatz muss zwischen 0 und 100 Prozent liegen."

#: (what is sent: form text or JSON literal, which message) — the hostile values of the issue
FORM_VALUES = [("9" * 309, TOO_BIG), ("1e400", TOO_BIG), ("Infinity", NO_NUMBER), ("NaN", NO_NUMBER),
               ("-1", NEGATIVE), ("9" * 400, TOO_BIG), ("1.000.000.000.000", TOO_BIG)]
JSON_VALUES = [("9" * 309, TOO_BIG), ("1e400", NO_NUMBER), ("Infinity", NO_NUMBER), ("NaN", NO_NUMBER),
               ("-1", NEGATIVE), ("9" * 400, TOO_BIG), ('"1e400"', TOO_BIG), ('"%s"' % ("9" * 400), TOO_BIG),
               ("-1e400", "-" + NO_NUMBER)]

LABELS = {"rate": "Der Fördersatz", "min_amount": "Der Mindestbetrag", "max_amount": "Der Höchstbetrag",
          "requested_amount": "Der beantragte Betrag", "granted_amount": "Der bewilligte Betrag",
          "share_amount": "Der Eigenanteil"}


def _message(field, template):
    """The expected German message; the rate answers every value below 0 or above 100 with its range."""
    negative = template.startswith("-")
    if field == "rate" and (template in (TOO_BIG, NEGATIVE) or negative):
        return RATE_RANGE
    return template.lstrip("-") % LABELS[field]


def _form_target(name, call, app_):
    """(url, other form fields) of each form with amount fields."""
    call_fields = {"title": "Programm", "funder": "land"}
    return {
        "new_call": ("/foerderung/neu", call_fields),
        "edit_call": (f"/foerderung/{call.id}/bearbeiten", {**call_fields, "version": str(call.version)}),
        "new_application": (f"/foerderung/{call.id}/antrag", {"title": "Antrag"}),
        "status": (f"/foerderung/antraege/{app_.id}/status",
                   {"status": "granted", "version": str(app_.version)}),
        "share": (f"/foerderung/antraege/{app_.id}/anteil", {}),
    }[name]


FORM_FIELDS = [("new_call", "rate"), ("new_call", "min_amount"), ("new_call", "max_amount"),
               ("edit_call", "rate"), ("edit_call", "min_amount"), ("edit_call", "max_amount"),
               ("new_application", "requested_amount"), ("status", "requested_amount"),
               ("status", "granted_amount"), ("share", "share_amount")]


@pytest.mark.parametrize("form, key", FORM_FIELDS, ids=[f"{f}-{x}" for f, x in FORM_FIELDS])
def test_form_amount_fields_answer_hostile_numbers_in_german(client, login_as, lead_a, call, joint, form, key):
    login_as(lead_a)
    before = (db.session.get(FundingCall, call.id).version, db.session.get(Application, joint.id).version)
    for raw, template in FORM_VALUES:
        url, other = _form_target(form, call, joint)
        resp = client.post(url, data={**other, key: raw})
        assert resp.status_code == 422, (raw[:20], resp.status_code)
        html = resp.get_data(as_text=True)
        assert _message(key, template) in html, raw[:20]
    db.session.expire_all()
    assert (db.session.get(FundingCall, call.id).version, db.session.get(Application, joint.id).version) == before


def _api_target(name, call, app_):
    """(method, url, other JSON members as text) of each API write with amount fields."""
    return {
        "create_call": ("post", "/api/v1/funding-calls", '"title": "Programm", "funder": "land"'),
        "patch_call": ("patch", f"/api/v1/funding-calls/{call.id}", f'"version": {call.version}'),
        "create_application": ("post", "/api/v1/applications", f'"call_id": {call.id}'),
        "patch_application": ("patch", f"/api/v1/applications/{app_.id}", '"status": "granted"'),
    }[name]


API_FIELDS = [("create_call", "rate"), ("create_call", "min_amount"), ("create_call", "max_amount"),
              ("patch_call", "rate"), ("patch_call", "min_amount"), ("patch_call", "max_amount"),
              ("create_application", "requested_amount"), ("patch_application", "requested_amount"),
              ("patch_application", "granted_amount"), ("patch_application", "share_amount")]


@pytest.mark.parametrize("target, key", API_FIELDS, ids=[f"{t}-{x}" for t, x in API_FIELDS])
def test_api_amount_fields_answer_hostile_numbers_in_german(client, lead_a, call, joint, target, key):
    headers = {**api_headers(lead_a), "Content-Type": "application/json"}
    before = (db.session.get(FundingCall, call.id).version, db.session.get(Application, joint.id).version)
    for literal, template in JSON_VALUES:
        method, url, other = _api_target(target, call, joint)
        resp = getattr(client, method)(url, data="{%s, \"%s\": %s}" % (other, key, literal), headers=headers)
        body = resp.get_json()
        assert resp.status_code in (400, 422), (literal[:20], resp.status_code)
        if resp.status_code == 422:  # 400: the JSON itself was refused (non-standard literal), with the envelope
            assert body["error"]["fields"][key] == _message(key, template), literal[:20]
        else:
            assert body["error"]["message"]
    db.session.expire_all()
    assert (db.session.get(FundingCall, call.id).version, db.session.get(Application, joint.id).version) == before
