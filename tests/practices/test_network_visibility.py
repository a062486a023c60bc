"""Issue #16: a practice with visibility "network" is read in every network its city takes part in: by a city of
the other network (which shares no network but the practice's city's), by a city of the same network, never by a
city of neither network nor by a city that left; drafts stay the city's."""

import pytest

from network.extensions import db
from network.practices import services
from tests import factories
from tests.practices.conftest import write

TITLE = "Schul-WLAN gemeinsam ausschreiben"


@pytest.fixture
def cities(nord):
    readi = factories.make_network()
    ettlingen = factories.make_city("Ettlingen", networks=[readi, nord])
    out = {
        "author": factories.make_user(ettlingen, "lead", email="lead@ettlingen.test"),
        "author_staff": factories.make_user(ettlingen, "staff", email="staff@ettlingen.test"),
        "nord_only": factories.make_user(factories.make_city("Esslingen", networks=[nord]), "lead"),
        "readi_only": factories.make_user(factories.make_city("Bühl", networks=[readi]), "lead"),
        "guest_nord": factories.make_user(factories.make_city("Erkelenz", networks=[]), "lead"),
        "neither": factories.make_user(factories.make_city("Karlsbad", networks=[]), "lead"),
        "left": factories.make_user(factories.make_city("Rastatt", networks=[]), "lead"),
    }
    factories.join_network(out["guest_nord"].municipality, nord, status="guest")
    factories.join_network(out["left"].municipality, readi, status="left")
    db.session.commit()
    return out


def _sees(user, practice) -> bool:
    listed = [hit.practice.id for hit in services.search(user, "", services.Filters(), include_drafts=True).hits]
    try:
        services.get_practice_or_404(user, practice.id)
        found = True
    except Exception:  # noqa: BLE001 – werkzeug's NotFound
        found = False
    assert (practice.id in listed) == found, (user.email, listed, found)
    return found


def test_network_practice_is_read_in_every_network_of_its_city_and_nowhere_else(cities):
    practice = write(cities["author_staff"], TITLE, publish_as=cities["author"], visibility="network")
    seen = {key: _sees(user, practice) for key, user in cities.items()}
    assert seen == {"author": True, "author_staff": True, "nord_only": True, "readi_only": True,
                    "guest_nord": True, "neither": False, "left": False}, seen


def test_public_practice_is_read_by_everybody_and_a_draft_by_its_city_only(cities):
    public = write(cities["author_staff"], "Öffentlicher Bericht", publish_as=cities["author"], visibility="public")
    draft = write(cities["author_staff"], "Entwurf", visibility="network")
    assert all(_sees(user, public) for user in cities.values())
    assert {key for key, user in cities.items() if _sees(user, draft)} == {"author", "author_staff"}


def test_the_form_offers_the_topics_and_fields_of_the_own_networks_only(app, cities, nord):
    from tests.conftest import login
    from tests.topics.conftest import make_field, make_topic
    readi_field = make_field("Digitale Verwaltung")
    make_topic(readi_field, "e-Akte")
    nord_field = make_field("Handlungsfeld Nord", network_id=nord.id)
    make_topic(nord_field, "Breitband Nord")
    db.session.commit()
    pages = {}
    for key in ("author", "readi_only", "nord_only"):
        client = app.test_client()
        login(client, cities[key])
        resp = client.get("/praxis/neu")
        assert resp.status_code == 200
        pages[key] = resp.get_data(as_text=True)
    assert all(name in pages["author"] for name in ("Digitale Verwaltung", "e-Akte", "Handlungsfeld Nord",
                                                   "Breitband Nord"))
    assert "Digitale Verwaltung" in pages["readi_only"] and "e-Akte" in pages["readi_only"]
    assert "Handlungsfeld Nord" not in pages["readi_only"] and "Breitband Nord" not in pages["readi_only"]
    assert "Handlungsfeld Nord" in pages["nord_only"] and "Digitale Verwaltung" not in pages["nord_only"]
