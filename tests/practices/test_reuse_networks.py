"""Reuse marks follow the network rule (issue #16): a reader sees the marks of the cities that share a network with
their city; anonymous readers of a public practice those of the cities sharing a network with its city; a network's
page counts only that network's members."""

import re

import pytest

from network.extensions import db
from network.practices.models import PracticeReuse
from tests import factories
from tests.practices.conftest import write


@pytest.fixture
def marks(city_a, city_b, lead_a, staff_b, nord):
    """Ettlingen (re@di and nord) publishes a public practice; Bühl (re@di), Nordstadt (nord) and Südstadt (a third
    network, sharing none with Ettlingen) mark its reuse."""
    north = factories.make_city("Nordstadt", network=nord)
    factories.join_network(city_a, nord)
    sued_net = factories.make_network("sued", "Städtenetz Süd")
    south = factories.make_city("Südstadt", network=sued_net)
    north_staff = factories.make_user(north, "staff", email="staff@nordstadt.test")
    south_staff = factories.make_user(south, "staff", email="staff@suedstadt.test")
    db.session.commit()
    practice = write(lead_a, "Digitale Poststelle", publish_as=lead_a, visibility="public")
    for city, status in ((city_b, "interested"), (north, "adopted"), (south, "adopting")):
        db.session.add(PracticeReuse(practice_id=practice.id, municipality_id=city.id, status=status))
    db.session.commit()
    return {"practice": practice, "north_staff": north_staff, "south_staff": south_staff}


def _reuse_rows(html):
    section = html.split('id="h-reuse"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'<th scope="row" class="kern-table__cell">([^<]+)</th>', section))


def test_detail_page_shows_only_marks_of_cities_sharing_a_network(client, sign_in, lead_a, staff_b, marks,
                                                                    coordinator_nord):
    url = f"/praxis/{marks['practice'].id}"
    assert _reuse_rows(sign_in(lead_a).get(url).get_data(as_text=True)) == {"Bühl", "Nordstadt"}
    assert _reuse_rows(sign_in(staff_b).get(url).get_data(as_text=True)) == {"Bühl"}
    assert _reuse_rows(sign_in(marks["north_staff"]).get(url).get_data(as_text=True)) == {"Nordstadt"}
    # Südstadt shares no network with Ettlingen: it sees its own mark, nobody else sees it
    assert _reuse_rows(sign_in(marks["south_staff"]).get(url).get_data(as_text=True)) == {"Südstadt"}
    # anonymous: the marks of the cities that share a (public) network with the practice's city
    assert _reuse_rows(client.get(url).get_data(as_text=True)) == {"Bühl", "Nordstadt"}
    # the coordination of nord: its network's cities
    coord = sign_in(coordinator_nord)
    coord.post("/netzwerk-wechseln", data={"network": "nord", "next": "/"})
    assert _reuse_rows(coord.get(url).get_data(as_text=True)) == {"Nordstadt"}


def test_api_detail_follows_the_same_rule(client, staff_b, marks):
    from network.accounts.services import create_api_token
    _t, plain = create_api_token(staff_b, "test")
    db.session.commit()
    resp = client.get(f"/api/v1/practices/{marks['practice'].id}", headers={"Authorization": f"Bearer {plain}"})
    assert resp.status_code == 200
    assert [m["status"] for m in resp.json["reuses"]] == ["interested"]


def test_network_page_counts_only_its_members(client, marks):
    for slug in ("readi", "nord"):
        html = client.get(f"/n/{slug}/").get_data(as_text=True)
        assert "Digitale Poststelle" in html and "nachgenutzt von 1 Kommune des Netzwerks" in html, slug
