"""Giving up a lead asks first (issue #21, item 6): GET and a POST without confirm=1 show what ends, change nothing."""

from network.core.models import AuditEvent, OutboxMessage
from network.extensions import db
from tests.conftest import row_count
from tests.topics.conftest import claims_of, give_lead, history_of


def test_withdraw_shows_the_confirmation_and_changes_nothing_until_confirmed(login_as, topic, city_a, lead_a):
    give_lead(topic, city_a)
    db.session.commit()
    c = login_as(lead_a)
    audits, mails = row_count(AuditEvent), row_count(OutboxMessage)
    for resp in (c.get("/n/readi/themen/e-akte/federfuehrung/abgeben"),
                 c.post("/n/readi/themen/e-akte/federfuehrung/abgeben", data={"withdraw-reason": "Keine Zeit"})):
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200
        assert "Federführung abgeben?" in html and "gibt die Federführung für „e-Akte“ ab" in html
        assert "ohne federführende Kommune" in html
        assert 'name="confirm" value="1"' in html
    assert 'name="withdraw-reason" value="Keine Zeit"' in html  # the reason travels on to the confirmation
    db.session.expire_all()
    assert claims_of(topic)[0].status == "confirmed" and history_of(topic) == []
    assert row_count(AuditEvent) == audits and row_count(OutboxMessage) == mails
    resp = c.post("/n/readi/themen/e-akte/federfuehrung/abgeben", data={"withdraw-reason": "Keine Zeit", "confirm": "1"})
    assert resp.status_code == 302
    assert claims_of(topic)[0].status == "withdrawn"


def test_withdraw_confirmation_without_a_claim_says_so(login_as, topic, lead_a):
    html = login_as(lead_a).get("/n/readi/themen/e-akte/federfuehrung/abgeben").get_data(as_text=True)
    assert "weder eine Federführung noch eine offene Anfrage" in html


def test_withdraw_confirmation_needs_csrf_on_post(app, login_as, topic, city_a, lead_a):
    give_lead(topic, city_a)
    db.session.commit()
    c = login_as(lead_a)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        resp = c.post("/n/readi/themen/e-akte/federfuehrung/abgeben", data={})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert resp.status_code == 400
