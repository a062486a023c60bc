"""Claiming, confirming, declining and withdrawing the lead; co-lead requests; history; emails."""

import sqlalchemy as sa

from network.core.models import AuditEvent, OutboxMessage
from network.extensions import db
from network.topics.models import LeadClaim, Participation
from tests.conftest import row_count
from tests.topics.conftest import claims_of, give_lead, history_of

#: mails about a topic name its network first in the subject
NET = "[re@di – regional.digital] "


def _mails_to(address):
    db.session.expire_all()
    return db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)).scalars().all()


def test_claim_then_coordinator_confirms(app, login_as, topic, lead_a, coordinator, staff_b):
    db.session.add(Participation(topic_id=topic.id, municipality_id=staff_b.municipality_id, status="participating",
                                 contact_id=staff_b.id))
    db.session.commit()
    c = login_as(lead_a)
    resp = c.post("/n/readi/themen/e-akte/federfuehrung", data={"claim-note": "Wir haben Erfahrung."})
    assert resp.status_code == 302
    (claim,) = claims_of(topic)
    assert (claim.kind, claim.status, claim.municipality_id) == ("lead", "pending", lead_a.municipality_id)
    assert [m.subject for m in _mails_to(coordinator.email)] == [NET + "Federführung beantragt: e-Akte"]
    page = c.get("/n/readi/themen/e-akte").get_data(as_text=True)
    assert "beantragt von Ettlingen – wartet auf Bestätigung" in page
    assert "Anfrage zurückziehen" in page

    c2 = app.test_client()
    from tests.conftest import login
    login(c2, coordinator)
    resp = c2.post(f"/n/readi/themen/e-akte/antraege/{claim.id}/entscheidung", data={f"d{claim.id}-decision": "confirm"})
    assert resp.status_code == 302
    assert claims_of(topic)[0].status == "confirmed"
    assert history_of(topic) == ["claimed", "confirmed"]
    assert [m.subject for m in _mails_to(staff_b.email)] == [NET + "Neue Federführung: e-Akte"]
    assert "Die Federführung für das Thema „e-Akte“ hat jetzt Ettlingen." in _mails_to(staff_b.email)[0].body_text
    page = c2.get("/n/readi/themen/e-akte").get_data(as_text=True)
    assert "Lea Leitung" in page and "Federführung bestätigt" in page
    actions = db.session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    assert "topic.lead_claimed" in actions and "topic.claim_confirmed" in actions


def test_staff_cannot_claim(login_as, topic, staff_a):
    resp = login_as(staff_a).post("/n/readi/themen/e-akte/federfuehrung", data={})
    assert resp.status_code == 403
    assert row_count(LeadClaim) == 0


def test_coordinator_without_city_cannot_claim(login_as, topic, coordinator):
    resp = login_as(coordinator).post("/n/readi/themen/e-akte/federfuehrung", data={})
    assert resp.status_code == 403
    assert "keine Mitgliedskommune" in resp.get_data(as_text=True)
    assert row_count(LeadClaim) == 0


def test_overlong_note_is_refused_and_kept(login_as, topic, lead_a):
    resp = login_as(lead_a).post("/n/readi/themen/e-akte/federfuehrung", data={"claim-note": "x" * 2001})
    assert resp.status_code == 422
    assert "Die Anmerkung darf höchstens 2000 Zeichen lang sein." in resp.get_data(as_text=True)
    assert row_count(LeadClaim) == 0


def test_double_claim_gets_409(login_as, topic, lead_a):
    c = login_as(lead_a)
    assert c.post("/n/readi/themen/e-akte/federfuehrung", data={}).status_code == 302
    resp = c.post("/n/readi/themen/e-akte/federfuehrung", data={})
    assert resp.status_code == 409
    assert "bereits eine offene Anfrage" in resp.get_data(as_text=True)
    assert len(claims_of(topic)) == 1


def test_second_city_on_pending_topic_gets_clear_message(login_as, topic, city_a, lead_b):
    give_lead(topic, city_a, status="pending")
    db.session.commit()
    resp = login_as(lead_b).post("/n/readi/themen/e-akte/federfuehrung", data={})
    assert resp.status_code == 409
    assert "Ettlingen hat die Federführung für dieses Thema bereits beantragt" in resp.get_data(as_text=True)
    assert len(claims_of(topic)) == 1


def test_lead_cannot_confirm_own_lead_claim(login_as, topic, city_a, lead_a):
    claim = give_lead(topic, city_a, status="pending")
    db.session.commit()
    resp = login_as(lead_a).post(f"/n/readi/themen/e-akte/antraege/{claim.id}/entscheidung",
                                 data={f"d{claim.id}-decision": "confirm"})
    assert resp.status_code == 403
    assert claims_of(topic)[0].status == "pending"


def test_colead_request_decided_by_current_lead(app, login_as, topic, city_a, lead_a, lead_b, staff_b):
    give_lead(topic, city_a)
    db.session.commit()
    c = login_as(lead_b)
    assert c.post("/n/readi/themen/e-akte/federfuehrung", data={}).status_code == 302
    colead = claims_of(topic, kind="colead")[0]
    assert colead.status == "pending" and colead.municipality_id == lead_b.municipality_id
    assert [m.subject for m in _mails_to(lead_a.email)] == [NET + "Co-Federführung beantragt: e-Akte"]
    # lead_b cannot decide its own request; staff neither
    assert c.post(f"/n/readi/themen/e-akte/antraege/{colead.id}/entscheidung",
                  data={f"d{colead.id}-decision": "confirm"}).status_code == 403
    from tests.conftest import login
    ca = app.test_client()
    login(ca, lead_a)
    resp = ca.post(f"/n/readi/themen/e-akte/antraege/{colead.id}/entscheidung", data={f"d{colead.id}-decision": "decline"})
    assert resp.status_code == 422
    assert "Bitte begründen Sie die Ablehnung." in resp.get_data(as_text=True)
    assert claims_of(topic, kind="colead")[0].status == "pending"
    resp = ca.post(f"/n/readi/themen/e-akte/antraege/{colead.id}/entscheidung", data={f"d{colead.id}-decision": "confirm"})
    assert resp.status_code == 302
    assert claims_of(topic, kind="colead")[0].status == "confirmed"
    resp = ca.post(f"/n/readi/themen/e-akte/antraege/{colead.id}/entscheidung", data={f"d{colead.id}-decision": "confirm"})
    assert resp.status_code == 409
    assert "bereits entschieden" in resp.get_data(as_text=True)
    assert history_of(topic) == ["colead_requested", "colead_confirmed"]


def test_decision_on_claim_of_other_topic_is_404(login_as, topic, field, city_b, coordinator):
    from tests.topics.conftest import make_topic
    other = make_topic(field, "Intranet")
    claim = give_lead(other, city_b, status="pending")
    db.session.commit()
    resp = login_as(coordinator).post(f"/n/readi/themen/e-akte/antraege/{claim.id}/entscheidung",
                                      data={f"d{claim.id}-decision": "confirm"})
    assert resp.status_code == 404
    assert claims_of(other)[0].status == "pending"


def test_withdraw_leaves_topic_without_lead(login_as, topic, city_a, lead_a, staff_b):
    give_lead(topic, city_a)
    db.session.add(Participation(topic_id=topic.id, municipality_id=staff_b.municipality_id, status="interested",
                                 contact_id=staff_b.id))
    db.session.commit()
    c = login_as(lead_a)
    resp = c.post("/n/readi/themen/e-akte/federfuehrung/abgeben", data={"confirm": "1", "withdraw-reason": "Keine Kapazität"})
    assert resp.status_code == 302
    assert claims_of(topic)[0].status == "withdrawn"
    assert history_of(topic) == ["withdrawn"]
    assert [m.subject for m in _mails_to(staff_b.email)] == [NET + "Federführung abgegeben: e-Akte"]
    assert "ohne Federführung" in c.get("/n/readi/themen/e-akte").get_data(as_text=True)
    resp = c.post("/n/readi/themen/e-akte/federfuehrung/abgeben", data={"confirm": "1"})
    assert resp.status_code == 409
    assert "weder eine Federführung noch eine offene Anfrage" in resp.get_data(as_text=True)


def test_auto_confirm_setting(app, login_as, topic, lead_a):
    app.config["TOPICS_AUTO_CONFIRM_CLAIMS"] = True
    try:
        assert login_as(lead_a).post("/n/readi/themen/e-akte/federfuehrung", data={}).status_code == 302
    finally:
        app.config["TOPICS_AUTO_CONFIRM_CLAIMS"] = False
    assert claims_of(topic)[0].status == "confirmed"
    assert history_of(topic) == ["claimed", "confirmed"]


def test_unknown_topic_404(login_as, lead_a):
    assert login_as(lead_a).post("/n/readi/themen/gibt-es-nicht/federfuehrung", data={}).status_code == 404


def test_city_leaving_loses_its_leads(login_as, topic, city_a, city_b, lead_b, coordinator):
    from network.municipalities.services import set_membership
    give_lead(topic, city_a)
    db.session.commit()
    set_membership(coordinator, city_a, member=False, reason="Austritt zum Jahresende")  # sends city_left
    db.session.commit()
    claim = claims_of(topic)[0]
    assert claim.status == "ended" and "ausgetreten" in claim.reason
    assert history_of(topic) == ["lost_on_leave"]
    c = login_as(lead_b)
    page = c.get("/n/readi/themen/matrix").get_data(as_text=True)
    assert "Ettlingen" not in page
    # the topic is free again: Bühl can claim it
    assert c.post("/n/readi/themen/e-akte/federfuehrung", data={}).status_code == 302
    assert claims_of(topic, status="pending")[0].municipality_id == city_b.id
