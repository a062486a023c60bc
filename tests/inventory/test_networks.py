"""Inventory and networks (issue #16): the overview reads in the request's network (its members and guests, its
fields of action), a city's own pages show all its projects, the project form, its checks and the CSV import offer
the fields of the networks the city takes part in."""

import io
import re

import pytest
import sqlalchemy as sa

from network.accounts.services import create_api_token
from network.extensions import db
from network.inventory.models import Project
from tests import factories
from tests.conftest import login, row_count
from tests.inventory.conftest import make_project
from tests.topics.conftest import make_field


def _text(resp):
    return resp.get_data(as_text=True)


def _city_rows(html):
    """The city names of the overview's status table (its row headers)."""
    return re.findall(r'<th scope="row" class="kern-table__cell"><a class="kern-link" href="/vorhaben/[^/]+/">'
                      r'([^<]+)</a></th>', html)


@pytest.fixture
def two_networks(city_a, city_b, fields, nord):
    """re@di: Ettlingen (city_a) and Bühl (city_b) with two fields; nord: Nordstadt and Ettlingen, one own field.
    Ettlingen files one project under each network's field."""
    harbour = make_field("Hafen und Logistik", network_id=nord.id)
    north = factories.make_city("Nordstadt", network=nord)
    factories.join_network(city_a, nord)
    out = {
        "harbour": harbour, "north": north,
        "a_readi": make_project(city_a, fields[0], title="Digitale Akte Ettlingen", status="in_progress"),
        "a_nord": make_project(city_a, harbour, title="Hafenkataster Ettlingen", status="done"),
        "b_readi": make_project(city_b, fields[1], title="Bürgerportal Bühl"),
        "n_nord": make_project(north, harbour, title="Containerlogistik Nordstadt"),
    }
    db.session.commit()
    return out


def test_readi_overview_shows_only_its_cities_and_fields(client, login_as, lead_b, two_networks):
    login_as(lead_b)
    html = _text(client.get("/vorhaben/"))
    assert _city_rows(html) == ["Bühl", "Ettlingen"]
    assert "Nordstadt" not in html and "Hafen und Logistik" not in html
    assert "Digitale Bürgerdienste" in html and "re@di" in html
    # Ettlingen's project under the nord field counts in its row, and shows as "other networks" in the field table
    row = re.search(r'href="/vorhaben/ettlingen/">Ettlingen</a></th>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td[^>]*>(?:<strong>)?(\d+)", row)[-1] == "2"
    other = re.search(r"Handlungsfelder anderer Netzwerke</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td[^>]*>(?:<strong>)?(\d+)", other) == ["0", "1", "1"]  # Bühl, Ettlingen, network


def test_nord_overview_after_switching(client, login_as, lead_a, two_networks):
    login_as(lead_a)
    assert _city_rows(_text(client.get("/vorhaben/"))) == ["Bühl", "Ettlingen"]
    resp = client.post("/netzwerk-wechseln", data={"network": "nord", "next": "/vorhaben/"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/vorhaben/")
    html = _text(client.get("/vorhaben/"))
    assert _city_rows(html) == ["Ettlingen", "Nordstadt"]
    assert "Hafen und Logistik" in html and "Städtenetz Nord" in html
    assert "Bühl" not in html and "Digitale Bürgerdienste" not in html
    # Ettlingen's re@di project counts in its row and in the "other networks" row of nord's field table
    other = re.search(r"Handlungsfelder anderer Netzwerke</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td[^>]*>(?:<strong>)?(\d+)", other) == ["1", "0", "1"]  # Ettlingen, Nordstadt, network


def test_switching_to_a_network_of_another_city_is_refused(client, login_as, lead_b, two_networks):
    login_as(lead_b)
    resp = client.post("/netzwerk-wechseln", data={"network": "nord", "next": "/vorhaben/"})
    assert resp.status_code == 422
    assert _city_rows(_text(client.get("/vorhaben/"))) == ["Bühl", "Ettlingen"]


def test_coordinator_of_nord_sees_nord(client, login_as, coordinator_nord, two_networks):
    login_as(coordinator_nord)
    html = _text(client.get("/vorhaben/"))
    assert _city_rows(html) == ["Ettlingen", "Nordstadt"]
    assert "Containerlogistik" not in html  # counts only, no titles
    row = re.search(r'href="/vorhaben/nordstadt/">Nordstadt</a></th>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td[^>]*>(?:<strong>)?(\d+)", row) == ["1", "0", "0", "0", "0", "1"]


def test_guests_count_and_cities_that_left_do_not(client, login_as, lead_b, two_networks, city_a):
    guest = factories.make_city("Gaststadt", networks=())
    factories.join_network(guest, status="guest")
    gone = factories.make_city("Fortstadt", networks=())
    factories.join_network(gone, status="left")
    db.session.commit()
    login_as(lead_b)
    assert _city_rows(_text(client.get("/vorhaben/"))) == ["Bühl", "Ettlingen", "Gaststadt"]


def test_city_pages_show_all_projects_of_the_city(client, login_as, lead_b, two_networks):
    login_as(lead_b)
    html = _text(client.get("/vorhaben/ettlingen/"))
    assert "Digitale Akte Ettlingen" in html and "Hafenkataster Ettlingen" in html
    roadmap = _text(client.get("/vorhaben/ettlingen/roadmap"))
    assert "Hafenkataster Ettlingen" in roadmap or "Hafen und Logistik" in roadmap


def test_api_list_shows_all_projects_of_the_city_in_every_network(client, two_networks, lead_b):
    north_lead = factories.make_user(two_networks["north"], "lead")
    db.session.commit()
    for user in (lead_b, north_lead):
        _t, plain = create_api_token(user, "test")
        db.session.commit()
        resp = client.get("/api/v1/municipalities/ettlingen/projects", headers={"Authorization": f"Bearer {plain}"})
        assert resp.status_code == 200
        assert {p["title"] for p in resp.json} == {"Digitale Akte Ettlingen", "Hafenkataster Ettlingen"}
        # Nordstadt shares no network with Bühl: its network project stays hidden from Bühl
        resp = client.get("/api/v1/municipalities/nordstadt/projects", headers={"Authorization": f"Bearer {plain}"})
        titles = {p["title"] for p in resp.json}
        assert titles == (set() if user is lead_b else {"Containerlogistik Nordstadt"})


def test_form_offers_the_fields_of_the_city_networks(client, login_as, lead_a, lead_b, two_networks, fields):
    login_as(lead_a)
    form = _text(client.get("/vorhaben/ettlingen/neu"))
    select = re.search(r'<select[^>]*name="field_id".*?</select>', form, re.S).group(0)
    assert '<optgroup label="re@di – regional.digital">' in select and '<optgroup label="Städtenetz Nord">' in select
    assert "Hafen und Logistik" in select and "Digitale Bürgerdienste" in select
    resp = client.post("/vorhaben/ettlingen/neu", data={"title": "Hafenportal", "field_id": two_networks["harbour"].id,
                                                        "status": "idea", "priority": "medium", "visibility": "network"})
    assert resp.status_code == 302
    assert db.session.execute(sa.select(Project).where(Project.title == "Hafenportal")).unique().scalar_one()


def test_form_of_a_one_network_city_refuses_a_foreign_field(client, login_as, lead_b, two_networks, fields):
    login_as(lead_b)
    form = _text(client.get("/vorhaben/buehl/neu"))
    select = re.search(r'<select[^>]*name="field_id".*?</select>', form, re.S).group(0)
    assert "<optgroup" not in select and "Hafen und Logistik" not in select and "Digitale Bürgerdienste" in select
    before = row_count(Project)
    resp = client.post("/vorhaben/buehl/neu", data={"title": "Fremdes Feld", "field_id": two_networks["harbour"].id,
                                                    "status": "idea", "priority": "medium", "visibility": "network"})
    assert resp.status_code == 422
    assert "Bitte wählen Sie ein Handlungsfeld." in _text(resp) and 'value="Fremdes Feld"' in _text(resp)
    assert row_count(Project) == before


def test_api_refuses_a_field_of_another_network(client, lead_b, two_networks):
    _t, plain = create_api_token(lead_b, "test")
    db.session.commit()
    before = row_count(Project)
    resp = client.post("/api/v1/municipalities/buehl/projects", headers={"Authorization": f"Bearer {plain}"},
                       json={"title": "Fremd", "field_id": two_networks["harbour"].id, "status": "idea"})
    assert resp.status_code == 422
    assert resp.json["error"]["fields"]["field_id"] == "Bitte wählen Sie ein Handlungsfeld."
    assert row_count(Project) == before


def test_edit_keeps_the_field_of_a_network_the_city_left(client, login_as, lead_a, two_networks, nord):
    from network.networks.models import NetworkMembership
    db.session.execute(sa.update(NetworkMembership).where(NetworkMembership.network_id == nord.id,
                                                          NetworkMembership.municipality_id == lead_a.municipality_id)
                       .values(status="left"))
    db.session.commit()
    login_as(lead_a)
    project = two_networks["a_nord"]
    form = _text(client.get(f"/vorhaben/projekt/{project.id}/bearbeiten"))
    assert "Hafen und Logistik" in form
    resp = client.post(f"/vorhaben/projekt/{project.id}/bearbeiten", data={
        "title": "Hafenkataster Ettlingen (neu)", "field_id": two_networks["harbour"].id, "status": "done",
        "priority": "medium", "visibility": "network", "version": "1"})
    assert resp.status_code == 302, _text(resp)[:500]
    assert "Hafen und Logistik" not in _text(client.get("/vorhaben/ettlingen/neu"))


def _upload(client, slug, raw: bytes):
    resp = client.post(f"/vorhaben/{slug}/import", data={"file": (io.BytesIO(raw), "liste.csv")},
                       content_type="multipart/form-data")
    return re.search(r"/import/([\w-]+)$", resp.headers["Location"]).group(1)


@pytest.mark.parametrize("slug, valid", [("ettlingen", True), ("buehl", False)])
def test_import_maps_the_fields_of_the_city_networks(client, login_as, lead_a, lead_b, two_networks, slug, valid):
    login_as(lead_a if slug == "ettlingen" else lead_b)
    raw = "Titel;Handlungsfeld;Status\nHafenportal;Hafen und Logistik;Idee\nAkte;Digitale Bürgerdienste;Idee\n"
    token = _upload(client, slug, raw.encode())
    page = _text(client.get(f"/vorhaben/{slug}/import/{token}"))
    if valid:
        assert "2 Zeilen sind gültig." in page
    else:
        assert "Handlungsfeld „Hafen und Logistik“ ist unbekannt." in page


def test_overview_pages_and_counts_queries_constantly(client, login_as, lead_b, city_a, fields, count_queries):
    from network.inventory.services import OVERVIEW_PAGE_SIZE
    login_as(lead_b)
    for i in range(3):
        make_project(factories.make_city(f"Aachstadt {i:03d}"), fields[i % 2])
    db.session.commit()
    client.get("/vorhaben/")  # warm up
    with count_queries() as small:
        assert client.get("/vorhaben/").status_code == 200
    for i in range(3, OVERVIEW_PAGE_SIZE + 10):
        city = factories.make_city(f"Aachstadt {i:03d}")
        make_project(city, fields[i % 2])
        make_project(city, fields[0], status="done")
    db.session.commit()
    with count_queries() as large:
        html = _text(client.get("/vorhaben/"))
    assert len(small) == len(large), (len(small), len(large))
    rows = _city_rows(html)
    assert len(rows) == OVERVIEW_PAGE_SIZE and rows[0] == "Aachstadt 000"
    assert 'rel="next" href="/vorhaben/?seite=2"' in html
    # the sums are this page's: nothing is counted over the projects of cities not on the page
    total = 3 + 2 * (OVERVIEW_PAGE_SIZE - 3)
    foot = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    assert re.findall(r"<strong>(\d+)</strong>", foot) == [str(total)] and "Summe dieser Seite" in foot
    grouped = [q for q in large if "GROUP BY" in q and "project" in q.lower()]
    assert len(grouped) == 1 and all("project.municipality_id IN" in q for q in grouped), grouped
    second = _text(client.get("/vorhaben/?seite=2"))
    assert _city_rows(second)[-2:] == ["Bühl", "Ettlingen"] and 'rel="prev"' in second
    assert client.get("/vorhaben/?seite=abc").status_code == 200
    assert _city_rows(_text(client.get("/vorhaben/?seite=999"))) == []


def test_report_entries_of_network_visibility_only_for_cities_sharing_a_network(app, lead_a, lead_b, coordinator,
                                                                               coordinator_nord, two_networks):
    """Nordstadt's public report holds a network entry: Ettlingen (shares nord) reads it, Bühl (re@di only) and the
    re@di coordination do not; the nord coordination reads everything of its city."""
    from network.inventory import services
    north = two_networks["north"]
    make_project(north, two_networks["harbour"], title="Öffentlicher Hafen", visibility="public")
    make_project(north, two_networks["harbour"], title="Interner Hafen", visibility="city")
    north_lead = factories.make_user(north, "lead")
    db.session.commit()
    report = services.freeze_report(north_lead, {"year": 2026, "visibility": "public"})
    db.session.commit()
    expected = {
        lead_a: {"Öffentlicher Hafen", "Containerlogistik Nordstadt"},
        lead_b: {"Öffentlicher Hafen"},
        coordinator: {"Öffentlicher Hafen"},
        coordinator_nord: {"Öffentlicher Hafen", "Containerlogistik Nordstadt", "Interner Hafen"},
    }
    for user, titles in expected.items():
        client = app.test_client()
        login(client, user)
        html = _text(client.get(f"/vorhaben/bericht/{report.id}"))
        shown = {t for t in ("Öffentlicher Hafen", "Containerlogistik Nordstadt", "Interner Hafen") if t in html}
        assert shown == titles, (user.email, shown)
        csv = _text(client.get(f"/vorhaben/bericht/{report.id}.csv"))
        assert ("Containerlogistik" in csv) == ("Containerlogistik Nordstadt" in titles)


@pytest.fixture
def same_names(two_networks, nord, fields, city_a):
    """The topic "Digitale Akte" in nord (made first: the lower id) and in re@di; the field "Mobilität" and the topic
    "Parken" in nord and in a third network "west" that Ettlingen also takes part in; "Digitale Akte" also in
    "sued", a network of neither Ettlingen nor Bühl."""
    from tests.topics.conftest import make_topic
    west = factories.make_network("west", "Städtenetz West")
    sued = factories.make_network("sued", "Städtenetz Süd")
    factories.make_city("Weststadt", network=west)
    factories.join_network(city_a, west)
    out = {
        "akte_nord": make_topic(two_networks["harbour"], "Digitale Akte"),
        "akte_sued": make_topic(make_field("Süd-Feld", network_id=sued.id), "Digitale Akte"),
        "akte_readi": make_topic(fields[0], "Digitale Akte"),
        "mob_nord": make_field("Mobilität", network_id=nord.id),
        "mob_west": make_field("Mobilität", network_id=west.id),
    }
    out["park_nord"] = make_topic(out["mob_nord"], "Parken")
    out["park_west"] = make_topic(out["mob_west"], "Parken")
    db.session.commit()
    return out


def _import(client, slug, raw: str):
    token = _upload(client, slug, raw.encode())
    page = _text(client.get(f"/vorhaben/{slug}/import/{token}"))
    resp = client.post(f"/vorhaben/{slug}/import/{token}", data={
        "action": "import", "map-title": "0", "map-field": "1", "map-topic": "2", "map-status": "3",
        "default_visibility": "network"})
    return page, resp


def _topic_of(title):
    return db.session.execute(sa.select(Project.topic_id).where(Project.title == title)).scalar_one()


def test_import_prefers_the_current_network_for_a_name_in_several(client, login_as, lead_a, lead_b, same_names):
    login_as(lead_b)  # Bühl (re@di only): nord's and sued's "Digitale Akte" are not candidates
    _page, resp = _import(client, "buehl", "Titel;Handlungsfeld;Thema;Status\nAkte B;Digitale Bürgerdienste;"
                                           "Digitale Akte;Idee\n")
    assert resp.status_code == 302 and _topic_of("Akte B") == same_names["akte_readi"].id
    client.post("/abmelden")
    login_as(lead_a)  # Ettlingen in re@di, nord and west; the request is in re@di
    raw = "Titel;Handlungsfeld;Thema;Status\nAkte E;Digitale Bürgerdienste;Digitale Akte;Idee\n"
    _page, resp = _import(client, "ettlingen", raw)
    assert resp.status_code == 302 and _topic_of("Akte E") == same_names["akte_readi"].id
    # in nord, the same name is nord's
    client.post("/netzwerk-wechseln", data={"network": "nord", "next": "/"})
    _page, resp = _import(client, "ettlingen", raw.replace("Akte E;Digitale Bürgerdienste", "Akte N;Hafen und Logistik"))
    assert resp.status_code == 302 and _topic_of("Akte N") == same_names["akte_nord"].id
    # in nord, "Mobilität"/"Parken" are nord's although west has them too
    _page, resp = _import(client, "ettlingen", "Titel;Handlungsfeld;Thema;Status\nParken N;Mobilität;Parken;Idee\n")
    assert resp.status_code == 302 and _topic_of("Parken N") == same_names["park_nord"].id


def test_import_names_the_networks_when_still_ambiguous(client, login_as, lead_a, same_names):
    login_as(lead_a)  # in re@di: "Mobilität" and "Parken" exist in nord and west, neither is this network's
    raw = "Titel;Handlungsfeld;Thema;Status\nParken;Mobilität;Parken;Idee\nAkte;Digitale Bürgerdienste;Parken;Idee\n"
    page, resp = _import(client, "ettlingen", raw)
    assert ("Handlungsfeld „Mobilität“ gibt es in mehreren Netzwerken: Städtenetz Nord, Städtenetz West – bitte "
            "wechseln Sie oben in der Kopfzeile in das Netzwerk") in page
    assert "Thema „Parken“ gibt es in mehreren Netzwerken: Städtenetz Nord, Städtenetz West" in page
    assert resp.status_code != 302 or row_count(Project) == 4  # nothing imported, no row taken at random
    assert row_count(Project) == 4
