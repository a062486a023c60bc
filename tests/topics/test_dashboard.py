"""The dashboard lists the topic decisions waiting for the user, and only those."""

from network.extensions import db
from network.topics.models import LeadClaim
from tests.topics.conftest import give_lead, make_topic


def _world(field, city_a, city_b):
    led_by_a = make_topic(field, "Intranet")
    give_lead(led_by_a, city_a)
    give_lead(led_by_a, city_b, kind="colead", status="pending")
    open_topic = make_topic(field, "e-Payment")
    give_lead(open_topic, city_b, status="pending")
    handed = make_topic(field, "Low-Code")
    give_lead(handed, city_b)
    db.session.add(LeadClaim(topic_id=handed.id, municipality_id=city_a.id, kind="handover", status="pending",
                             from_municipality_id=city_b.id))
    make_topic(field, "Vorschlag", status="proposed")
    db.session.commit()


def test_lead_sees_colead_request_and_handover_offer_of_own_city(client, login_as, field, city_a, city_b, lead_a):
    _world(field, city_a, city_b)
    login_as(lead_a)
    html = client.get("/").get_data(as_text=True)
    assert 'data-kind="topic.colead"' in html and 'data-kind="topic.handover"' in html
    assert "Bühl möchte bei „Intranet“ mitführen" in html
    assert "Bühl bietet Ihrer Kommune die Federführung für „Low-Code“ an." in html
    # the lead claim on e-Payment is the coordination's decision, proposals too
    assert "e-Payment" not in html and "Themenvorschlag" not in html


def test_coordinator_sees_claims_and_proposals_but_no_handovers(client, login_as, field, city_a, city_b, coordinator):
    _world(field, city_a, city_b)
    login_as(coordinator)
    html = client.get("/").get_data(as_text=True)
    assert "Bühl möchte die Federführung für „e-Payment“ übernehmen." in html
    assert "Bühl möchte bei „Intranet“ mitführen" in html
    assert "1 Themenvorschlag wartet auf Ihre Entscheidung." in html
    assert "Low-Code" not in html


def test_staff_and_other_lead_see_no_foreign_decisions(client, login_as, field, city_a, city_b, staff_a, lead_b):
    _world(field, city_a, city_b)
    login_as(staff_a)
    assert 'data-kind="topic.' not in client.get("/").get_data(as_text=True)
    client.post("/abmelden")
    login_as(lead_b)
    html = client.get("/").get_data(as_text=True)
    # Bühl's own requests are not decisions for Bühl
    assert 'data-kind="topic.' not in html


def test_dashboard_panel_query_count_does_not_grow_with_requests(client, login_as, field, city_a, city_b,
                                                                 coordinator, count_queries):
    _world(field, city_a, city_b)
    login_as(coordinator)
    with count_queries() as few:
        client.get("/")
    for n in range(8):
        give_lead(make_topic(field, f"Thema {n}"), city_b, status="pending")
    db.session.commit()
    with count_queries() as many:
        client.get("/")
    assert len(many) == len(few) and len(many) <= 10  # issue #17
