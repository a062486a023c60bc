"""A city's own topics (issue #21, 9/10): the city page and the dashboard show what the city leads, co-leads, takes
part in and has asked for, across its networks; visitors see nothing of it, other networks only when the city and
the reader take part in them; a city with nothing gets the next step; query counts do not grow with the topics."""

import pytest

from network.extensions import db
from network.topics.models import LeadClaim, Participation
from network.topics.services import CITY_TOPICS_LIMIT, city_topics
from tests import factories
from tests.topics.conftest import give_lead, make_field, make_topic


def _section(html: str) -> str:
    """The topics block of a page (empty when it is not there)."""
    start = html.find('id="h-city-topics"')
    if start < 0:
        return ""
    return html[start:html.find("</section>", start)]


@pytest.fixture
def world(field, city_a, city_b):
    """Ettlingen leads e-Akte, co-leads Intranet, takes part in e-Payment, is interested in Parken, has asked for the
    lead of Low-Code and is offered the lead of Breitband; Bühl leads Intranet and Breitband; a proposal of
    Ettlingen's and a declined topic are not shown."""
    akte = make_topic(field, "e-Akte")
    give_lead(akte, city_a)
    intranet = make_topic(field, "Intranet")
    give_lead(intranet, city_b)
    give_lead(intranet, city_a, kind="colead")
    payment = make_topic(field, "e-Payment")
    db.session.add(Participation(topic_id=payment.id, municipality_id=city_a.id, status="participating"))
    parken = make_topic(field, "Parken")
    db.session.add(Participation(topic_id=parken.id, municipality_id=city_a.id, status="interested"))
    lowcode = make_topic(field, "Low-Code")
    give_lead(lowcode, city_a, status="pending")
    breitband = make_topic(field, "Breitband")
    give_lead(breitband, city_b)
    db.session.add(LeadClaim(topic_id=breitband.id, municipality_id=city_a.id, kind="handover", status="pending",
                             from_municipality_id=city_b.id))
    old = make_topic(field, "Altes Thema")
    give_lead(old, city_a, status="withdrawn")
    proposal = make_topic(field, "Geheimer Vorschlag", status="proposed", proposed_by_municipality_id=city_a.id)
    give_lead(make_topic(field, "Fremdes Thema"), city_b)
    db.session.commit()
    return {"proposal": proposal}


def test_city_page_shows_the_groups_to_members(sign_in, world, lead_b):
    html = _section(sign_in(lead_b).get("/kommunen/ettlingen").get_data(as_text=True))
    assert "Themen dieser Kommune" in html
    lead_part = html.split("Co-Federführung</h3>")[0]
    assert "e-Akte" in lead_part and "federführend" in lead_part
    assert "Intranet" in html.split("Co-Federführung</h3>")[1].split("Teilnahme</h3>")[0]
    part = html.split("Teilnahme</h3>")[1].split("Offene Anträge</h3>")[0]
    assert "e-Payment" in part and "nimmt teil" in part and "Parken" in part and "interessiert" in part
    open_part = html.split("Offene Anträge</h3>")[1]
    assert "Low-Code" in open_part and "Federführung beantragt – wartet auf Bestätigung" in open_part
    assert "Breitband" in open_part and "Übergabe der Federführung angeboten von Bühl" in open_part
    # the links name the topic's network
    assert 'href="/n/readi/themen/e-akte"' in html
    # withdrawn claims, other cities' topics and proposals are not the city's topics
    for name in ("Altes Thema", "Fremdes Thema", "Geheimer Vorschlag"):
        assert name not in html


def test_visitors_see_no_topics_on_the_city_page(client, world):
    resp = client.get("/kommunen/ettlingen")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'id="h-city-topics"' not in html
    assert "e-Akte" not in html and "Low-Code" not in html


def test_dashboard_shows_the_own_city_topics_to_lead_and_staff(sign_in, world, lead_a, staff_a):
    for user in (lead_a, staff_a):
        html = _section(sign_in(user).get("/").get_data(as_text=True))
        assert "Themen Ihrer Kommune" in html
        assert "e-Akte" in html and "Intranet" in html and "e-Payment" in html and "Low-Code" in html
        assert "Geheimer Vorschlag" not in html and "Fremdes Thema" not in html


def test_other_city_dashboard_shows_its_own_topics_not_ettlingens(sign_in, world, lead_b):
    html = _section(sign_in(lead_b).get("/").get_data(as_text=True))
    assert "Intranet" in html and "Breitband" in html and "Fremdes Thema" in html
    assert "e-Akte" not in html and "Low-Code" not in html and "e-Payment" not in html


def test_coordinator_without_city_has_no_own_block_but_sees_the_city_page(sign_in, world, coordinator):
    c = sign_in(coordinator)
    assert _section(c.get("/").get_data(as_text=True)) == ""
    assert "e-Akte" in _section(c.get("/kommunen/ettlingen").get_data(as_text=True))


# --- several networks ------------------------------------------------------------------------------------------

@pytest.fixture
def net_b():
    network = factories.make_network("kraichgau", "Kraichgau digital")
    db.session.commit()
    return network


def _topic_in(network, name, city):
    topic = make_topic(make_field(f"Feld {name}", network_id=network.id), name, network_id=network.id)
    give_lead(topic, city)
    return topic


def test_topics_of_every_network_the_city_takes_part_in(sign_in, field, net_b, city_a, lead_a):
    factories.join_network(city_a, net_b)
    _topic_in(factories.make_network(), "e-Akte", city_a)
    _topic_in(net_b, "Breitband", city_a)
    db.session.commit()
    html = _section(sign_in(lead_a).get("/").get_data(as_text=True))
    assert 'href="/n/readi/themen/e-akte"' in html and 'href="/n/kraichgau/themen/breitband"' in html
    # with several networks each topic names its network
    assert "(Kraichgau digital)" in html


def test_a_network_the_city_left_is_not_shown(sign_in, field, net_b, city_a, lead_a):
    factories.join_network(city_a, net_b, status="left")
    _topic_in(net_b, "Breitband", city_a)
    _topic_in(factories.make_network(), "e-Akte", city_a)
    db.session.commit()
    html = _section(sign_in(lead_a).get("/kommunen/ettlingen").get_data(as_text=True))
    assert "e-Akte" in html and "Breitband" not in html


def test_another_network_only_when_the_reader_takes_part_in_it(sign_in, field, net_b, city_a, city_b, lead_b,
                                                               lead_a):
    factories.join_network(city_a, net_b)
    _topic_in(factories.make_network(), "e-Akte", city_a)
    _topic_in(net_b, "Breitband", city_a)
    db.session.commit()
    # Bühl is not in Kraichgau: its readers see Ettlingen's re@di topics only
    html = _section(sign_in(lead_b).get("/kommunen/ettlingen").get_data(as_text=True))
    assert "e-Akte" in html and "Breitband" not in html
    factories.join_network(city_b, net_b, status="guest")
    db.session.commit()
    html = _section(sign_in(lead_b).get("/kommunen/ettlingen").get_data(as_text=True))
    assert "Breitband" in html


def test_city_in_no_network_of_the_reader_has_no_block(sign_in, net_b, lead_b):
    other = factories.make_city("Nirgendwo", networks=[net_b])
    _topic_in(net_b, "Breitband", other)
    db.session.commit()
    html = sign_in(lead_b).get("/kommunen/nirgendwo").get_data(as_text=True)
    assert 'id="h-city-topics"' not in html and "Breitband" not in html


# --- empty state -----------------------------------------------------------------------------------------------

def test_empty_dashboard_offers_the_topic_list(sign_in, field, city_a, lead_a, staff_a):
    html = _section(sign_in(lead_a).get("/").get_data(as_text=True))
    assert "Ihre Kommune hat noch keine Federführung und nimmt an keinem Thema teil." in html
    assert 'href="/n/readi/themen/"' in html
    assert "Federführung übernehmen oder teilnehmen" in html
    staff = _section(sign_in(staff_a).get("/").get_data(as_text=True))
    assert 'href="/n/readi/themen/"' in staff
    assert "Federführung und Teilnahme beantragt die Leitung Ihrer Kommune." in staff


def test_empty_city_page_says_so_to_others(sign_in, field, city_a, lead_b):
    html = _section(sign_in(lead_b).get("/kommunen/ettlingen").get_data(as_text=True))
    assert "Ettlingen hat derzeit keine Federführung und nimmt an keinem Thema teil." in html
    assert "übernehmen" not in html


def test_empty_state_in_english(sign_in, field, lead_a):
    c = sign_in(lead_a)
    c.post("/sprache", data={"lang": "en"})
    html = _section(c.get("/").get_data(as_text=True))
    assert "Your city does not lead any topic and takes part in none yet." in html


# --- bounded, constant queries ---------------------------------------------------------------------------------

def _many(field, city, n, start=0):
    for i in range(start, start + n):
        give_lead(make_topic(field, f"Geführt {i:02d}"), city)
        db.session.add(Participation(topic_id=make_topic(field, f"Dabei {i:02d}").id, municipality_id=city.id,
                                     status="participating"))
        give_lead(make_topic(field, f"Beantragt {i:02d}"), city, status="pending")
    db.session.commit()


@pytest.mark.parametrize("path", ["/", "/kommunen/ettlingen"])
def test_query_count_does_not_grow_with_topics(sign_in, field, city_a, lead_a, count_queries, path):
    c = sign_in(lead_a)
    _many(field, city_a, 2)
    c.get(path)
    with count_queries() as few:
        assert c.get(path).status_code == 200
    _many(field, city_a, 10, start=2)
    with count_queries() as many:
        html = c.get(path).get_data(as_text=True)
    assert "Geführt 11" in html
    assert len(many) == len(few)


def test_each_group_is_bounded_with_a_link_to_the_list(sign_in, field, city_a, lead_a):
    _many(field, city_a, CITY_TOPICS_LIMIT + 1)
    html = _section(sign_in(lead_a).get("/").get_data(as_text=True))
    assert html.count("Geführt ") == CITY_TOPICS_LIMIT
    assert f"Geführt {CITY_TOPICS_LIMIT:02d}" not in html
    assert html.count("Hier stehen die ersten 20. Alle Themen:") == 3
    assert 'href="/n/readi/themen/">Themen in re@di – regional.digital</a>' in html


def test_service_returns_none_for_visitors(world, city_a):
    from flask_login import AnonymousUserMixin
    assert city_topics(AnonymousUserMixin(), city_a) is None
