"""Bodies at the scale of a state association (issue #17): persons typed one per line with a 20-row search, host
and responsible city a select only up to 50 body cities (a typed name beyond), the body page paged (50 a page) with
the same statements at 3 and 60 cities and persons."""

import re

import sqlalchemy as sa

from network.extensions import db
from network.meetings import services
from network.meetings.models import ActionItem, Body, BodyPerson, Meeting
from tests import factories
from tests.meetings.conftest import form_times, future, meeting_data

NEW = "/n/readi/treffen/gremien/neu"
SEARCH = "/n/readi/treffen/gremien/personen-suche"


def _persons(name):
    body = db.session.scalar(sa.select(Body).where(Body.name == name))
    if body is None:
        return None
    return {u.email for u in services.body_persons(body.id)}


def _body_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Body))


def test_body_form_takes_persons_one_per_line(as_user, coordinator, city_a, city_b, lead_a, lead_b, staff_a):
    client = as_user(coordinator)
    page = client.get(NEW).get_data(as_text=True)
    assert re.search(r'<textarea[^>]*data-suggest="/n/readi/treffen/gremien/personen-suche"[^>]*name="persons"', page)
    assert 'type="checkbox"' not in page and "Lea Leitung" not in page and "js/suggest.js" in page
    resp = client.post(NEW, data={"kind": "plenum", "name": "Plenum", "cities": "Ettlingen",
                                  "persons": "LEAD@ettlingen.test\r\nBea Bühl <lead@buehl.test>\n\n  sami   mitarbeit "})
    assert resp.status_code == 302
    assert _persons("Plenum") == {"lead@ettlingen.test", "lead@buehl.test", "staff@ettlingen.test"}
    body = db.session.scalar(sa.select(Body).where(Body.name == "Plenum"))
    edit = client.get(f"/n/readi/treffen/gremien/{body.id}/bearbeiten").get_data(as_text=True)
    lines = re.search(r'<textarea[^>]*name="persons"[^>]*>\s*(.*?)</textarea>', edit, re.DOTALL).group(1).split("\n")
    assert lines == ["Bea Bühl &lt;lead@buehl.test&gt;", "Lea Leitung &lt;lead@ettlingen.test&gt;",
                     "Sami Mitarbeit &lt;staff@ettlingen.test&gt;"]
    # the form sent back as it came keeps the persons; a line less removes one
    kept = client.post(f"/n/readi/treffen/gremien/{body.id}/bearbeiten", data={
        "kind": "plenum", "name": "Plenum", "cities": "Ettlingen", "version": str(body.version),
        "persons": "Bea Bühl <lead@buehl.test>\nLea Leitung <lead@ettlingen.test>"})
    assert kept.status_code == 302 and _persons("Plenum") == {"lead@ettlingen.test", "lead@buehl.test"}
    # older clients send ids
    old = client.post(NEW, data={"kind": "plenum", "name": "Plenum alt", "person_ids": [str(lead_b.id)],
                                 "persons": "lead@ettlingen.test"})
    assert old.status_code == 302 and _persons("Plenum alt") == {"lead@ettlingen.test", "lead@buehl.test"}


def test_bad_person_lines_are_refused_naming_the_line_and_nothing_is_written(as_user, coordinator, city_a, lead_a,
                                                                             nord):
    north = factories.make_city("Nordstadt", networks=[nord])
    factories.make_user(north, "lead", email="lead@nordstadt.test", name="Nils Nord")
    factories.make_user(city_a, "staff", email="anna1@ettlingen.test", name="Anna Gleich")
    factories.make_user(city_a, "staff", email="anna2@ettlingen.test", name="Anna Gleich")
    factories.make_user(city_a, "staff", email="weg@ettlingen.test", name="Weg Gegangen", active=False)
    db.session.commit()
    before = _body_count()
    client = as_user(coordinator)
    resp = client.post(NEW, data={"kind": "plenum", "name": "Plenum X", "cities": "Ettlingen\nAtlantis",
                                  "persons": "lead@ettlingen.test\nniemand@example.org\nlead@nordstadt.test\n"
                                             "Anna Gleich\nweg@ettlingen.test\n<b>x</b>"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and '<textarea' in page and "lead@nordstadt.test" in page  # the input stays
    assert "Keine Mitgliedskommune dieses Netzwerks: „Atlantis“" in page  # both fields' messages at once
    assert "Zeile 2: „niemand@example.org“ ist keine Person dieses Netzwerks." in page
    assert "Zeile 3: „lead@nordstadt.test“ ist keine Person dieses Netzwerks." in page  # another network's account
    assert "Zeile 4: „Anna Gleich“ gibt es mehrfach – bitte die E-Mail-Adresse angeben." in page
    assert "Zeile 5: „weg@ettlingen.test“ ist keine Person dieses Netzwerks." in page  # deactivated
    assert "Zeile 6: „&lt;b&gt;x&lt;/b&gt;“" in page and "<b>x</b>" not in page
    assert _body_count() == before and db.session.scalar(sa.select(sa.func.count()).select_from(BodyPerson)) == 0
    # one of the two namesakes by address is fine
    ok = client.post(NEW, data={"kind": "plenum", "name": "Plenum Y", "persons": "Anna Gleich <anna2@ettlingen.test>"})
    assert ok.status_code == 302 and _persons("Plenum Y") == {"anna2@ettlingen.test"}


def test_person_search_returns_at_most_20_of_the_network(as_user, coordinator, city_a, staff_a, nord):
    for i in range(30):
        factories.make_user(city_a, "staff", email=f"kollegin{i:02d}@ettlingen.test", name=f"Kollegin {i:02d}")
    north = factories.make_city("Nordstadt", networks=[nord])
    factories.make_user(north, "staff", email="kollegin@nordstadt.test", name="Kollegin Nord")
    db.session.commit()
    client = as_user(coordinator)
    resp = client.get(SEARCH + "?q=kollegin")
    assert resp.status_code == 200 and "no-store" in resp.headers["Cache-Control"]
    results = resp.get_json()["results"]
    assert len(results) == services.PEOPLE_SUGGESTIONS == 20
    assert results[0] == {"value": "Kollegin 00 <kollegin00@ettlingen.test>", "label": "Ettlingen"}
    assert not any("nordstadt" in r["value"] for r in client.get(SEARCH + "?q=nord").get_json()["results"])
    assert client.get(SEARCH + "?q=koordination@").get_json()["results"] == [
        {"value": "Koordination <koordination@test.example>", "label": "Koordination"}]
    assert client.get(SEARCH + "?q=k").get_json()["results"] == []  # two letters at least
    assert client.get(SEARCH + "?q=%25").get_json()["results"] == []  # a wildcard is a letter, not "all"
    assert as_user(staff_a).get(SEARCH + "?q=kollegin").status_code == 403


def _grow(body, cities, persons, n):
    from network.meetings.models import BodyCity
    while len(cities) < n:
        i = len(cities)
        city = factories.make_city(f"Gremienstadt {i:03d}")
        cities.append(city)
        persons.append(factories.make_user(city, "staff", email=f"p{i:03d}@gremien.test", name=f"Gremienperson {i:03d}"))
        db.session.add(BodyCity(body_id=body.id, municipality_id=city.id))
        db.session.add(BodyPerson(body_id=body.id, user_id=persons[-1].id))
    db.session.commit()


def _names(html, prefix):
    """The names in the members paragraph of the body page ("Kommunen" or "Personen")."""
    label = "Kommunen" if prefix == "Gremienstadt" else "Personen"
    paragraph = re.search(rf"<strong>{label}[^<]*</strong>(.*?)</p>", html, re.DOTALL).group(1)
    return re.findall(rf"(?<!\()({prefix} \d{{3}})", paragraph)


def test_body_page_is_paged_with_the_same_statements_at_3_and_60(as_user, count_queries, coordinator, lead_a):
    body = services.create_body(coordinator, {"kind": "plenum", "name": "Plenum", "city_ids": [], "person_ids": []})
    db.session.commit()
    cities, persons = [], []
    _grow(body, cities, persons, 3)
    member = as_user(persons[0])  # a member person's city is a member city too
    client = as_user(coordinator)
    url = f"/n/readi/treffen/gremien/{body.id}"

    def measure(path=url, who=client):
        with count_queries() as statements:
            resp = who.get(path)
        assert resp.status_code == 200
        return len(statements), resp.get_data(as_text=True)

    small, page = measure()
    member_small = measure(who=member)[0]
    assert len(set(_names(page, "Gremienstadt"))) == 3 and len(set(_names(page, "Gremienperson"))) == 3
    assert "von 3" not in page  # one page: no pager
    _grow(body, cities, persons, 60)
    large, page = measure()
    member_large = measure(who=member)[0]
    print(f"body page statements: coordination 3 members={small}, 60 members={large}; member {member_small} / "
          f"{member_large}; {len(page.encode())} bytes")
    # session, network, body with the membership, meetings, cities' page, persons' page, number and host, network
    # switcher, follow state (a lead of a city also the subnavigation's "Treffen planen")
    assert small == large <= 10 and member_small == member_large <= 10
    assert as_user(lead_a).get(url).status_code == 404  # Ettlingen is no member city of this body
    assert len(page.encode()) < 200_000
    first_cities, first_persons = set(_names(page, "Gremienstadt")), set(_names(page, "Gremienperson"))
    assert len(first_cities) == 50 and len(first_persons) == 50 and page.count("1–50 von 60") == 2
    assert "Kommunen (60)" in page and "Personen (60)" in page
    more = measure(url + "?kommunen=2")[1]
    assert set(_names(more, "Gremienstadt")) == {f"Gremienstadt {i:03d}" for i in range(50, 60)}
    assert set(_names(more, "Gremienperson")) == first_persons and "51–60 von 60" in more
    assert measure(url + "?personen=9&kommunen=x")[0] <= small + 1  # past the end: the total costs one more


def _large_body(coordinator, n):
    from network.meetings.models import BodyCity
    body = services.create_body(coordinator, {"kind": "plenum", "name": f"Plenum {n}", "city_ids": [],
                                              "person_ids": []})
    cities = [factories.make_city(f"Plenumsstadt {n}-{i:03d}") for i in range(n)]
    for city in cities:
        db.session.add(BodyCity(body_id=body.id, municipality_id=city.id))
    db.session.commit()
    return body, cities


def test_host_is_a_select_for_small_bodies_and_a_typed_name_for_large(as_user, coordinator, fachgruppe, city_a,
                                                                      city_c):
    client = as_user(coordinator)
    small = client.get(f"/n/readi/treffen/neu?gremium={fachgruppe.id}").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="host_id"', small) and 'name="host_city"' not in small
    assert "js/suggest.js" not in small
    body, cities = _large_body(coordinator, 60)
    url = f"/n/readi/treffen/neu?gremium={body.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="host_id"' not in page and "<option" not in page.split('name="title"')[1].split("</form>")[0]
    field = re.search(r'<input[^>]*name="host_city"[^>]*>', page).group(0)
    assert f'data-suggest="/n/readi/treffen/gremien/{body.id}/kommunen-suche"' in field
    assert 'value="Plenumsstadt 60-000"' in field and "js/suggest.js" in page  # the suggested host, by name
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Meeting))
    data = {"gremium": body.id, "title": "1. Plenum", "address": "Rathaus", **form_times(future())}
    # a city of the network that is no member of the body, and an unknown one, are refused
    for name in ("Rastatt", "Atlantis"):
        bad = client.post(url, data={**data, "host_city": name})
        assert bad.status_code == 422
        assert f"Keine Mitgliedskommune dieses Gremiums: „{name}“" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == before
    ok = client.post(url, data={**data, "host_city": "plenumsstadt 60-042"})
    assert ok.status_code == 302
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.body_id == body.id))
    assert meeting.host_municipality_id == cities[42].id
    edit = client.get(f"/n/readi/treffen/{meeting.id}/bearbeiten").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="host_city"[^>]*value="Plenumsstadt 60-042"', edit)
    # an id sent along (older clients) still works
    old = client.post(url, data={**data, "title": "2. Plenum", "host_id": str(cities[7].id)})
    assert old.status_code == 302


def test_action_city_is_typed_on_a_large_body_and_the_page_stays_bounded(as_user, count_queries, coordinator,
                                                                         city_a):
    client = as_user(coordinator)
    measured = {}
    for n in (3, 60):
        body, cities = _large_body(coordinator, n)
        meeting = services.create_meeting(coordinator, body, meeting_data(future(-3), host_id=str(cities[0].id)))
        db.session.commit()
        url = f"/n/readi/treffen/{meeting.id}"
        with count_queries() as statements:
            resp = client.get(url)
        page = resp.get_data(as_text=True)
        measured[n] = (len(statements), len(page.encode()), page, meeting, cities)
    (small, small_size, small_page, _m, _c), (large, large_size, page, meeting, cities) = measured[3], measured[60]
    print(f"meeting page statements: 3 cities={small}, 60 cities={large}; {small_size} / {large_size} bytes")
    assert re.search(r'<select[^>]*name="action_city"', small_page) and 'name="action_city_name"' not in small_page
    assert 'name="action_city"' not in page and re.search(r'<input[^>]*name="action_city_name"', page)
    assert "Plenumsstadt 60-059" not in page and small == large <= 10 and large_size < small_size + 2_000
    url = f"/n/readi/treffen/{meeting.id}/aufgaben"
    for name in ("Ettlingen", "Plenumsstadt 3-001"):  # a city of the network, a city of another body
        bad = client.post(url, data={"action_text": "Portal", "action_city_name": name})
        assert bad.status_code == 422
        html = bad.get_data(as_text=True)
        assert f"Keine Mitgliedskommune dieses Gremiums: „{name}“" in html and 'name="action_city_name"' in html
    missing = client.post(url, data={"action_text": "Portal", "action_city_name": ""})
    assert missing.status_code == 422 and re.search(
        r'id="action_city_name-error"[^>]*>.*?Bitte wählen Sie die verantwortliche Kommune', missing.get_data(as_text=True),
        re.DOTALL)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionItem)) == 0
    ok = client.post(url, data={"action_text": "Portal", "action_city_name": "Plenumsstadt 60-059"})
    assert ok.status_code == 302
    assert db.session.scalar(sa.select(ActionItem.municipality_id)) == cities[59].id


def test_city_search_answers_the_body_members_at_most_20(as_user, coordinator, fachgruppe, body_b_only, lead_a):
    body, _cities = _large_body(coordinator, 60)
    client = as_user(coordinator)
    found = client.get(f"/n/readi/treffen/gremien/{body.id}/kommunen-suche?q=plenumsstadt").get_json()["results"]
    assert len(found) == 20 and found[0] == {"value": "Plenumsstadt 60-000"}
    assert client.get(f"/n/readi/treffen/gremien/{fachgruppe.id}/kommunen-suche?q=plenum").get_json()["results"] == []
    assert [r["value"] for r in as_user(lead_a).get(
        f"/n/readi/treffen/gremien/{fachgruppe.id}/kommunen-suche?q=tt").get_json()["results"]] == ["Ettlingen"]
    # a body the user's city is not a member of: 404, like its page
    assert as_user(lead_a).get(f"/n/readi/treffen/gremien/{body_b_only.id}/kommunen-suche?q=bü").status_code == 404
