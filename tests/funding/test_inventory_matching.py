"""The radar's "passt zu Ihren Vorhaben" with the real inventory: the viewer's own open, unfunded projects only."""

from network.extensions import db
from tests.funding.conftest import make_call
from tests.inventory.conftest import make_project
from tests.topics.conftest import make_field


def _world(city_a, city_b, field, topic, staff_a):
    other_field = make_field("Nachhaltigkeit und Mobilität", position=20)
    call = make_call("Förderaufruf Verwaltung", fields=[field])
    make_project(city_a, field, title="Idee E-Akte Ettlingen", status="idea")
    make_project(city_a, other_field, title="Topic-Treffer Ettlingen", status="in_progress", topic_id=topic.id)
    make_project(city_a, field, title="Schon finanziert Ettlingen", status="idea", funding_source="Land BW")
    make_project(city_a, field, title="Fertig Ettlingen", status="done")
    make_project(city_a, other_field, title="Anderes Feld Ettlingen", status="idea")
    make_project(city_b, field, title="Idee Bühl", status="idea")
    make_project(city_b, field, title="Geheim Bühl", status="idea", visibility="city")
    call.topics = [topic]
    db.session.commit()
    return call


def test_call_page_lists_the_viewers_own_matching_projects(client, login_as, city_a, city_b, field, topic,
                                                           lead_a, staff_a):
    call = _world(city_a, city_b, field, topic, staff_a)
    login_as(lead_a)
    html = client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert "Idee E-Akte Ettlingen" in html
    assert "Topic-Treffer Ettlingen" in html  # shares the topic, not the field
    for absent in ("Schon finanziert Ettlingen", "Fertig Ettlingen", "Anderes Feld Ettlingen", "Idee Bühl",
                   "Geheim Bühl"):
        assert absent not in html, absent


def test_other_city_sees_only_its_own_projects_never_private_ones_of_others(client, login_as, city_a, city_b,
                                                                          field, topic, lead_b, staff_a):
    call = _world(city_a, city_b, field, topic, staff_a)
    login_as(lead_b)
    html = client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert "Idee Bühl" in html and "Geheim Bühl" in html  # Bühl's own city-only idea is Bühl's to see
    assert "Idee E-Akte Ettlingen" not in html


def test_coordinator_without_city_gets_no_matching_list(client, login_as, city_a, city_b, field, topic,
                                                        coordinator, staff_a):
    call = _world(city_a, city_b, field, topic, staff_a)
    login_as(coordinator)
    html = client.get(f"/foerderung/{call.id}").get_data(as_text=True)
    assert "Idee E-Akte Ettlingen" not in html and "Idee Bühl" not in html
