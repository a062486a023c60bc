"""Handing the lead over: both ways, declining, and the bad inputs."""

from network.extensions import db
from network.topics.models import LeadClaim
from tests.conftest import login, row_count
from tests.topics.conftest import claims_of, give_lead, history_of


def _offer(client, target_id, reason=""):
    return client.post("/n/readi/themen/e-akte/federfuehrung/uebergeben",
                       data={"handover-target": str(target_id), "handover-reason": reason})


def _lead_city(topic):
    (lead,) = claims_of(topic, kind="lead", status="confirmed")
    return lead.municipality_id


def test_handover_both_ways(app, topic, city_a, city_b, lead_a, lead_b):
    give_lead(topic, city_a)
    db.session.commit()
    ca, cb = app.test_client(), app.test_client()
    login(ca, lead_a)
    login(cb, lead_b)
    assert _offer(ca, city_b.id, "Umzug der Zuständigkeit").status_code == 302
    (offer,) = claims_of(topic, kind="handover")
    assert "Übergabe annehmen" in cb.get("/n/readi/themen/e-akte").get_data(as_text=True)
    resp = cb.post(f"/n/readi/themen/e-akte/uebergaben/{offer.id}/antwort", data={"answer-decision": "confirm"})
    assert resp.status_code == 302
    assert _lead_city(topic) == city_b.id
    # and back again
    (offer,) = claims_of(topic, kind="handover", status="pending") or [None]
    assert offer is None
    resp = cb.post("/n/readi/themen/e-akte/federfuehrung/uebergeben", data={"handover-target": str(city_a.id)})
    assert resp.status_code == 302
    (offer,) = claims_of(topic, kind="handover", status="pending")
    resp = ca.post(f"/n/readi/themen/e-akte/uebergaben/{offer.id}/antwort", data={"answer-decision": "confirm"})
    assert resp.status_code == 302
    assert _lead_city(topic) == city_a.id
    assert history_of(topic) == ["handover_offered", "handover_accepted", "handover_offered", "handover_accepted"]
    assert [c.status for c in claims_of(topic, kind="lead")] == ["ended", "ended", "confirmed"]
    page = ca.get("/n/readi/themen/e-akte").get_data(as_text=True)
    assert "Umzug der Zuständigkeit" in page and "Übergabe angenommen" in page


def test_handover_declined_keeps_lead(app, topic, city_a, city_b, lead_a, lead_b, outbox):
    give_lead(topic, city_a)
    db.session.commit()
    ca, cb = app.test_client(), app.test_client()
    login(ca, lead_a)
    login(cb, lead_b)
    _offer(ca, city_b.id)
    (offer,) = claims_of(topic, kind="handover")
    resp = cb.post(f"/n/readi/themen/e-akte/uebergaben/{offer.id}/antwort", data={"answer-decision": "decline"})
    assert resp.status_code == 422 and "Bitte begründen Sie die Ablehnung." in resp.get_data(as_text=True)
    resp = cb.post(f"/n/readi/themen/e-akte/uebergaben/{offer.id}/antwort",
                   data={"answer-decision": "decline", "answer-reason": "Keine Kapazität"})
    assert resp.status_code == 302
    assert _lead_city(topic) == city_a.id
    assert claims_of(topic, kind="handover")[0].status == "declined"
    resp = cb.post(f"/n/readi/themen/e-akte/uebergaben/{offer.id}/antwort", data={"answer-decision": "confirm"})
    assert resp.status_code == 409


def test_handover_to_self_is_refused(login_as, topic, city_a, lead_a):
    give_lead(topic, city_a)
    db.session.commit()
    resp = _offer(login_as(lead_a), city_a.id)
    assert resp.status_code == 422
    assert "Ihre Kommune hat die Federführung bereits" in resp.get_data(as_text=True)
    assert row_count(LeadClaim) == 1


def test_handover_to_unknown_city_is_refused(login_as, topic, city_a, lead_a):
    give_lead(topic, city_a)
    db.session.commit()
    for target in ("", "999999", "abc"):
        resp = _offer(login_as(lead_a), target)
        assert resp.status_code == 422
        assert "Bitte wählen Sie eine Mitgliedskommune" in resp.get_data(as_text=True)
    assert row_count(LeadClaim) == 1


def test_only_the_lead_city_hands_over(login_as, topic, city_a, city_b, lead_b, staff_a):
    give_lead(topic, city_a)
    db.session.commit()
    resp = _offer(login_as(lead_b), city_b.id)
    assert resp.status_code == 403
    assert "Nur die federführende Kommune" in resp.get_data(as_text=True)
    assert row_count(LeadClaim) == 1


def test_second_offer_while_one_is_open_is_409(login_as, topic, city_a, city_b, lead_a):
    from tests import factories
    city_c = factories.make_city("Rastatt")
    give_lead(topic, city_a)
    db.session.commit()
    c = login_as(lead_a)
    assert _offer(c, city_b.id).status_code == 302
    # the form is hidden while an offer is open; a direct POST is refused by the database
    resp = _offer(c, city_c.id)
    assert resp.status_code == 409
    assert "bereits eine Übergabe angeboten" in resp.get_data(as_text=True)
    assert len(claims_of(topic, kind="handover")) == 1


def test_accepting_an_offer_for_another_city_is_404(app, topic, city_a, city_b, lead_a, lead_b):
    from tests import factories
    city_c = factories.make_city("Gaggenau")
    give_lead(topic, city_a)
    db.session.commit()
    ca = app.test_client()
    login(ca, lead_a)
    _offer(ca, city_c.id)
    (offer,) = claims_of(topic, kind="handover")
    cb = app.test_client()
    login(cb, lead_b)
    resp = cb.post(f"/n/readi/themen/e-akte/uebergaben/{offer.id}/antwort", data={"answer-decision": "confirm"})
    assert resp.status_code == 404
    # the offering city cannot accept its own offer either
    resp = ca.post(f"/n/readi/themen/e-akte/uebergaben/{offer.id}/antwort", data={"answer-decision": "confirm"})
    assert resp.status_code == 404
    assert _lead_city(topic) == city_a.id and claims_of(topic, kind="handover")[0].status == "pending"


def test_withdrawing_the_lead_ends_an_open_offer(app, topic, city_a, city_b, lead_a):
    give_lead(topic, city_a)
    db.session.commit()
    c = app.test_client()
    login(c, lead_a)
    _offer(c, city_b.id)
    assert c.post("/n/readi/themen/e-akte/federfuehrung/abgeben", data={"confirm": "1"}).status_code == 302
    assert claims_of(topic, kind="handover")[0].status == "ended"
    assert history_of(topic) == ["handover_offered", "withdrawn", "handover_cancelled"]


def test_after_an_accepted_handover_the_page_offers_the_next_handover(app, topic, city_a, city_b, lead_a, lead_b):
    """Regression: the accepted offer stayed on the page (accept/decline again) and hid the new lead's form."""
    give_lead(topic, city_a)
    db.session.commit()
    ca, cb = app.test_client(), app.test_client()
    login(ca, lead_a)
    login(cb, lead_b)
    assert _offer(ca, city_b.id).status_code == 302
    (offer,) = claims_of(topic, kind="handover")
    assert cb.post(f"/n/readi/themen/e-akte/uebergaben/{offer.id}/antwort",
                   data={"answer-decision": "confirm"}).status_code == 302
    page = cb.get("/n/readi/themen/e-akte").get_data(as_text=True)
    assert "Übergabe annehmen" not in page and "Übergabe ablehnen" not in page
    assert "bietet" not in page.split("<main", 1)[-1].split("Verlauf", 1)[0]  # no open offer shown
    assert "Übergabe anbieten" in page  # the new lead may hand over again
    from network.topics.services import topic_overview
    assert topic_overview(topic)["handover"] is None  # the API's open_claims read the same overview
