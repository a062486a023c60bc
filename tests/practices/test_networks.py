"""Practices and networks (issue #16): visibility "network" means sharing a network; the list and the search have a
filter "Netzwerk" (default: this request's network, or all the user's networks)."""

import re

import pytest

from network.extensions import db
from tests import factories
from tests.practices.conftest import write


def _titles(html):
    found = re.findall(r'<h2 class="kern-heading-small" id="hit-\d+"><a class="kern-link" href="[^"]+">(.*?)</a>', html)
    return {re.sub(r"</?mark>", "", t) for t in found}


@pytest.fixture
def two_networks(city_a, city_b, lead_a, lead_b, nord):
    """re@di: Ettlingen and Bühl; nord: Ettlingen and Nordstadt. One published network practice each."""
    north = factories.make_city("Nordstadt", network=nord)
    factories.join_network(city_a, nord)
    north_lead = factories.make_user(north, "lead", email="lead@nordstadt.test")
    db.session.commit()
    write(lead_a, "Parken in Ettlingen", publish_as=lead_a)
    write(lead_b, "Parken in Bühl", publish_as=lead_b)
    write(north_lead, "Parken in Nordstadt", publish_as=north_lead)
    write(north_lead, "Öffentliches Parken Nordstadt", publish_as=north_lead, visibility="public")
    return {"north_lead": north_lead}


def test_network_visibility_means_sharing_a_network(client, login_as, lead_b, two_networks):
    login_as(lead_b)
    for url in ("/praxis/", "/praxis/suche?q=parken", "/praxis/?netzwerk=alle"):
        titles = _titles(client.get(url).get_data(as_text=True))
        assert "Parken in Nordstadt" not in titles, url
        assert {"Parken in Ettlingen", "Parken in Bühl"} <= titles
    # a single network: no filter to choose from; Nordstadt's public practice is of no network of Bühl's
    html = client.get("/praxis/").get_data(as_text=True)
    assert 'name="netzwerk"' not in html and "Öffentliches Parken Nordstadt" not in html


def test_filter_defaults_to_the_current_network_and_offers_all(client, login_as, lead_a, two_networks):
    login_as(lead_a)
    html = client.get("/praxis/").get_data(as_text=True)
    assert _titles(html) == {"Parken in Ettlingen", "Parken in Bühl"}
    select = re.search(r'<select[^>]*name="netzwerk".*?</select>', html, re.S).group(0)
    assert '<option value="readi" selected>' in select and '<option value="nord">' in select
    assert '<option value="alle">alle meine Netzwerke</option>' in select
    assert _titles(client.get("/praxis/?netzwerk=nord").get_data(as_text=True)) == {
        "Parken in Ettlingen", "Parken in Nordstadt", "Öffentliches Parken Nordstadt"}
    everything = client.get("/praxis/suche?q=parken&netzwerk=alle").get_data(as_text=True)
    assert len(_titles(everything)) == 4
    facet = re.search(r'href="([^"]*kommune=nordstadt[^"]*)"', everything).group(1)
    assert "netzwerk=alle" in facet and "q=parken" in facet  # the facets keep the filter
    # after switching in the header, the default is nord
    client.post("/netzwerk-wechseln", data={"network": "nord", "next": "/praxis/"})
    assert _titles(client.get("/praxis/suche?q=parken").get_data(as_text=True)) == {
        "Parken in Ettlingen", "Parken in Nordstadt", "Öffentliches Parken Nordstadt"}
    # a network the user's city is not in (or nonsense) counts as the default
    assert "Parken in Nordstadt" in _titles(client.get("/praxis/?netzwerk=gibtsnicht").get_data(as_text=True))


def test_anonymous_sees_public_practices_without_network_filter(client, two_networks):
    html = client.get("/praxis/").get_data(as_text=True)
    assert _titles(html) == {"Öffentliches Parken Nordstadt"} and 'name="netzwerk"' not in html


def test_coordinator_of_nord_sees_its_network(client, login_as, coordinator_nord, two_networks):
    login_as(coordinator_nord)
    titles = _titles(client.get("/praxis/").get_data(as_text=True))
    assert titles == {"Parken in Ettlingen", "Parken in Nordstadt", "Öffentliches Parken Nordstadt"}


def test_api_search_is_not_narrowed_to_a_network(client, lead_a, two_networks):
    from network.accounts.services import create_api_token
    _t, plain = create_api_token(lead_a, "test")
    db.session.commit()
    resp = client.get("/api/v1/practices?q=parken", headers={"Authorization": f"Bearer {plain}"})
    assert resp.status_code == 200 and resp.json["total"] == 4


def test_query_count_with_the_network_filter_does_not_grow(client, login_as, lead_a, two_networks, count_queries):
    login_as(lead_a)
    url = "/praxis/suche?q=parken&netzwerk=alle"
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        write(two_networks["north_lead"], f"Parken Nummer {i}", publish_as=two_networks["north_lead"])
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def _practice_form(**over):
    data = {"title": "Hafenportal", "summary": "", "visibility": "network", "field_id": "", "tags": "",
            "version": "", "solution": "Ein Portal", "action": "save"}
    data.update(over)
    return data


def test_practice_form_offers_the_fields_and_topics_of_the_city_networks(app, login_as, lead_a, lead_b, nord,
                                                                        two_networks):
    from network.practices.models import Practice
    from tests.conftest import row_count
    from tests.topics.conftest import make_field, make_topic
    readi_field = make_field("Digitale Verwaltung")
    harbour = make_field("Hafen und Logistik", network_id=nord.id)
    harbour_topic = make_topic(harbour, "Hafenkataster")
    db.session.commit()
    c = login_as(lead_a)
    html = c.get("/praxis/neu").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="field_id".*?</select>', html, re.S).group(0)
    assert '<optgroup label="Städtenetz Nord">' in select and "Hafen und Logistik" in select
    assert "Digitale Verwaltung" in select and "Hafenkataster" in html
    resp = c.post("/praxis/neu", data=_practice_form(field_id=str(harbour.id), topic_ids=[str(harbour_topic.id)]))
    assert resp.status_code == 302
    # Bühl takes part in re@di only: nord's field and topic are neither offered nor accepted
    from tests.conftest import login
    c = app.test_client()
    login(c, lead_b)
    html = c.get("/praxis/neu").get_data(as_text=True)
    assert "Hafen und Logistik" not in html and "Hafenkataster" not in html and "<optgroup" not in html
    assert f'<option value="{readi_field.id}">Digitale Verwaltung</option>' in html
    before = row_count(Practice)
    for over, message in (({"field_id": str(harbour.id)}, "Bitte wählen Sie ein vorhandenes Handlungsfeld."),
                          ({"topic_ids": [str(harbour_topic.id)]}, "Bitte wählen Sie nur vorhandene Themen.")):
        resp = c.post("/praxis/neu", data=_practice_form(**over))
        assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert row_count(Practice) == before
