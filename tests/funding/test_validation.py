"""Amounts, rate and dates: each violation is a German message beside its field; nothing is written."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.funding import services
from network.funding.models import FundingCall
from tests.conftest import row_count


@pytest.mark.parametrize("raw, expected", [
    ("1.234,56", Decimal("1234.56")),
    ("1234,56", Decimal("1234.56")),
    ("1234.56", Decimal("1234.56")),     # a plain decimal point (API clients)
    ("1.234", Decimal("1234")),          # German thousands separator
    ("1.234.567,8", Decimal("1234567.80")),
    ("100.000 €", Decimal("100000")),
    ("0", Decimal("0")),
    (1500, Decimal("1500")),
    (12.5, Decimal("12.50")),
    ("", None),
    (None, None),
])
def test_amount_parses_german_input(raw, expected):
    c = Checker()
    assert services.parse_amount(c, "x", raw, label="Der Betrag") == expected
    assert not c.errors


@pytest.mark.parametrize("raw, message", [
    ("-1", "Der Betrag darf nicht negativ sein."),
    ("-1.234,56", "Der Betrag darf nicht negativ sein."),
    (-5, "Der Betrag darf nicht negativ sein."),
    ("12,345", "Der Betrag hat höchstens zwei Nachkommastellen."),
    ("abc", "Der Betrag muss eine Zahl sein, z. B. 1.234,56."),
    ("1,2,3", "Der Betrag muss eine Zahl sein, z. B. 1.234,56."),
    ("NaN", "Der Betrag muss eine Zahl sein, z. B. 1.234,56."),
    ("Infinity", "Der Betrag muss eine Zahl sein, z. B. 1.234,56."),
    (True, "Der Betrag muss eine Zahl sein, z. B. 1.234,56."),
    ("1.000.000.000.000", "Der Betrag ist zu groß."),
])
def test_amount_violations(raw, message):
    c = Checker()
    assert services.parse_amount(c, "x", raw, label="Der Betrag") is None
    assert c.errors == {"x": message}


@pytest.mark.parametrize("raw, ok", [("0", True), ("100", True), ("62,5", True), ("100,01", False), ("101", False),
                                     ("-1", False), ("abc", False)])
def test_rate_between_0_and_100(raw, ok):
    c = Checker()
    services.parse_rate(c, "rate", raw)
    assert (not c.errors) is ok
    if not ok and raw != "abc":
        assert c.errors["rate"] == "Der Fördersatz muss zwischen 0 und 100 Prozent liegen."


BASE = {"title": "Programm", "funder": "land"}


#: field -> (input, expected German message) — the validation table of the issue
TABLE = [
    ({"min_amount": "-10"}, "min_amount", "Der Mindestbetrag darf nicht negativ sein."),
    ({"max_amount": "-0,01"}, "max_amount", "Der Höchstbetrag darf nicht negativ sein."),
    ({"max_amount": "zehn"}, "max_amount", "Der Höchstbetrag muss eine Zahl sein, z. B. 1.234,56."),
    ({"min_amount": "200.000", "max_amount": "100.000"}, "min_amount",
     "Der Mindestbetrag darf nicht größer als der Höchstbetrag sein."),
    ({"rate": "150"}, "rate", "Der Fördersatz muss zwischen 0 und 100 Prozent liegen."),
    ({"rate": "-5"}, "rate", "Der Fördersatz muss zwischen 0 und 100 Prozent liegen."),
    ({"opens_on": "01.06.2026", "deadlines": [{"label": "Antrag", "due_on": "31.05.2026"}]}, "deadline_date_0",
     "Die Frist muss nach dem Öffnungsdatum liegen."),
    ({"opens_on": "01.06.2026", "deadlines": [{"label": "Antrag", "due_on": "01.06.2026"}]}, "deadline_date_0",
     "Die Frist muss nach dem Öffnungsdatum liegen."),
    ({"deadlines": [{"label": "Antrag", "due_on": "31.02.2026"}]}, "deadline_date_0",
     "Das Datum der Frist muss ein Datum sein (TT.MM.JJJJ)."),
    ({"deadlines": [{"label": "Antrag", "due_on": ""}]}, "deadline_date_0", "Das Datum der Frist fehlt."),
    ({"opens_on": "morgen"}, "opens_on", "Das Öffnungsdatum muss ein Datum sein (TT.MM.JJJJ)."),
    ({"checked_on": "01.01.2099"}, "checked_on", "Das Prüfdatum darf nicht in der Zukunft liegen."),
    ({"title": ""}, "title", "Bitte geben Sie den Namen des Programms an."),
    ({"funder": "mond"}, "funder", "Bitte wählen Sie einen gültigen Wert für Fördergeber."),
    ({"url": "javascript:alert(1)"}, "url", "Der Link muss eine Webadresse sein, die mit http:// oder https:// beginnt."),
    ({"field_ids": [999999]}, "field_ids", "Bitte wählen Sie nur vorhandene Handlungsfelder."),
]


@pytest.mark.parametrize("data, field, message", TABLE, ids=[f"{t[1]}-{i}" for i, t in enumerate(TABLE)])
def test_call_validation_table(coordinator, data, field, message):
    with pytest.raises(ValidationFailed) as exc:
        services.create_call(coordinator, {**BASE, **data})
    assert exc.value.status == 422
    assert exc.value.errors[field] == message
    db.session.rollback()
    assert row_count(FundingCall) == 0


def test_form_shows_each_message_beside_its_field_and_keeps_input(client, login_as, lead_a):
    login_as(lead_a)
    resp = client.post("/foerderung/neu", data={
        "title": "Programm", "funder": "land", "rate": "150", "min_amount": "-5", "max_amount": "1.000,123",
        "opens_on": "01.06.2026", "deadlines-0-label": "Antrag", "deadlines-0-due_on": "01.05.2026"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    for field_id, message in [
            ("rate", "Der Fördersatz muss zwischen 0 und 100 Prozent liegen."),
            ("min_amount", "Der Mindestbetrag darf nicht negativ sein."),
            ("max_amount", "Der Höchstbetrag hat höchstens zwei Nachkommastellen."),
            ("deadlines-0-due_on", "Die Frist muss nach dem Öffnungsdatum liegen.")]:
        assert f'id="{field_id}-error"' in html, field_id
        after = html.split(f'id="{field_id}-error"', 1)[1][:400]
        assert message in after
    assert 'value="1.000,123"' in html  # the input stays
    assert row_count(FundingCall) == 0


def test_api_answers_422_with_fields(client, lead_a):
    from tests.funding.conftest import api_headers
    resp = client.post("/api/v1/funding-calls", json={**BASE, "rate": 101, "max_amount": -3},
                       headers=api_headers(lead_a))
    assert resp.status_code == 422
    body = resp.get_json()["error"]
    assert body["code"] == "invalid"
    assert body["fields"]["rate"] == "Der Fördersatz muss zwischen 0 und 100 Prozent liegen."
    assert body["fields"]["max_amount"] == "Der Höchstbetrag darf nicht negativ sein."
    assert db.session.scalar(sa.select(sa.func.count(FundingCall.id))) == 0


def test_application_amounts(call, lead_a):
    with pytest.raises(ValidationFailed) as exc:
        services.create_application(lead_a, call, {"title": "A", "requested_amount": "-1"})
    assert exc.value.errors == {"requested_amount": "Der beantragte Betrag darf nicht negativ sein."}
    db.session.rollback()
    app_ = services.create_application(lead_a, call, {"title": "A", "requested_amount": "1.234,56"})
    assert app_.requested_amount == Decimal("1234.56")
    with pytest.raises(ValidationFailed) as exc:
        services.update_application(lead_a, app_, {"granted_amount": "1.000"})
    assert exc.value.errors == {"granted_amount": "Einen bewilligten Betrag gibt es nur beim Status „bewilligt“."}


def test_german_display(client, login_as, lead_a, call):
    call.max_amount = Decimal("1234567.5")
    call.rate = Decimal("62.5")
    db.session.commit()
    login_as(lead_a)
    html = client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert "1.234.567,50\xa0€" in html
    assert "62,5 %" in html
