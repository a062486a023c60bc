"""OZG pages: the city page, the bulk table (all or nothing, one request), CSV export/import round trip with the
formula guard, the network matrix (filters, text and shape, constant SQL statements for 5 and 50 cities)."""

import io

import sqlalchemy as sa

from network.extensions import db
from network.ozg.models import OzgStatus
from tests import factories
from tests.conftest import row_count
from tests.ozg.conftest import make_status


def _status(city, service):
    db.session.expire_all()
    return db.session.execute(sa.select(OzgStatus).where(OzgStatus.municipality_id == city.id,
                                                         OzgStatus.service_id == service.id)).scalar_one_or_none()


def _bulk_form(catalogue, rows):
    """Form data of the Mobilität table: every service of the Themenfeld, `rows` override single fields."""
    data = {"row": []}
    for ozg_id in (10173, 10446):
        sid = catalogue[ozg_id].id
        data["row"].append(str(sid))
        values = {"status": "open", "maturity": "0", "solution": "", "provider": "", "go-live": "", "url": "",
                  "version": "0", **rows.get(ozg_id, {})}
        for key, value in values.items():
            if key == "is-efa" and not value:
                continue
            data[f"s-{sid}-{key}"] = value
    return data


def test_city_page_shows_counts_and_recorded_statuses(client, login_as, lead_b, city_a, catalogue):
    make_status(city_a, catalogue[10173], status="online", url="https://www.ettlingen.de/parken", maturity=3,
                solution="Parkportal", is_example=True)
    db.session.commit()
    html = client.get("/ozg/ettlingen/").get_data(as_text=True)  # anonymous: public rows only
    assert "Parkportal" not in html
    client = login_as(lead_b)
    html = client.get("/ozg/ettlingen/").get_data(as_text=True)
    assert "Parkportal" in html and '<span class="ozg-status__shape" aria-hidden="true">●</span> online' in html
    assert "Beispieldaten" in html and "https://www.ettlingen.de/parken" in html
    assert "/ozg/ettlingen/themenfeld/" not in html  # another city's lead gets no edit links


def test_bulk_saves_all_rows_in_one_request(client, login_as, staff_a, city_a, catalogue):
    login_as(staff_a)
    assert client.get("/ozg/ettlingen/themenfeld/mobilitaet-reisen").status_code == 200
    data = _bulk_form(catalogue, {10173: {"status": "online", "maturity": "3", "url": "https://e.example/park",
                                            "is-efa": "1", "provider": "Baden-Württemberg"},
                                    10446: {"status": "planned", "solution": "Betriebsportal"}})
    resp = client.post("/ozg/ettlingen/themenfeld/mobilitaet-reisen", data=data)
    assert resp.status_code == 302
    park, firms = _status(city_a, catalogue[10173]), _status(city_a, catalogue[10446])
    assert (park.status, park.is_efa, park.provider) == ("online", True, "Baden-Württemberg")
    assert (firms.status, firms.solution, firms.is_efa) == ("planned", "Betriebsportal", False)
    # the same form again (versions now 1) saves nothing: "nothing changed"
    data = _bulk_form(catalogue, {10173: {"status": "online", "maturity": "3", "url": "https://e.example/park",
                                            "is-efa": "1", "provider": "Baden-Württemberg", "version": "1"},
                                    10446: {"status": "planned", "solution": "Betriebsportal", "version": "1"}})
    resp = client.post("/ozg/ettlingen/themenfeld/mobilitaet-reisen", data=data, follow_redirects=True)
    assert "nichts geändert" in resp.get_data(as_text=True)


def test_bulk_is_all_or_nothing(client, login_as, lead_a, city_a, catalogue):
    login_as(lead_a)
    data = _bulk_form(catalogue, {10173: {"status": "planned"}, 10446: {"status": "online"}})
    resp = client.post("/ozg/ettlingen/themenfeld/mobilitaet-reisen", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Es wurde nichts gespeichert" in html and "Parkausweise für Betriebe: Für den Status „online“" in html
    assert row_count(OzgStatus) == 0  # the valid row was not saved either
    assert 'value="planned" selected' in html  # the user's input stays
    # a row someone else saved meanwhile: 409, nothing saved
    make_status(city_a, catalogue[10446], status="planned")
    db.session.commit()
    data = _bulk_form(catalogue, {10173: {"status": "planned"}, 10446: {"status": "in_progress"}})
    resp = client.post("/ozg/ettlingen/themenfeld/mobilitaet-reisen", data=data)
    assert resp.status_code == 409 and "inzwischen jemand anderes geändert" in resp.get_data(as_text=True)
    assert _status(city_a, catalogue[10173]) is None and _status(city_a, catalogue[10446]).status == "planned"


def test_bulk_refuses_other_cities_and_unknown_rows(sign_in, lead_b, lead_a, coordinator, catalogue):
    assert sign_in(lead_b).get("/ozg/ettlingen/themenfeld/mobilitaet-reisen").status_code == 404
    assert sign_in(coordinator).get("/ozg/ettlingen/themenfeld/mobilitaet-reisen").status_code == 403
    client = sign_in(lead_a)
    assert client.get("/ozg/ettlingen/themenfeld/gibt-es-nicht").status_code == 404
    hund = catalogue[10160].id  # a service of another Themenfeld
    resp = client.post("/ozg/ettlingen/themenfeld/mobilitaet-reisen",
                       data={"row": [str(hund)], f"s-{hund}-status": "planned"})
    assert resp.status_code == 404 and row_count(OzgStatus) == 0
    assert client.post("/ozg/ettlingen/themenfeld/mobilitaet-reisen", data={"row": ["x1"]}).status_code == 404


def test_csv_round_trip_with_formula_guard(client, login_as, lead_a, city_a, catalogue):
    make_status(city_a, catalogue[10173], status="online", url="https://e.example/park", maturity=3,
                solution="=HYPERLINK(\"http://boese.example\")", is_efa=True, provider="@Land")
    make_status(city_a, catalogue[10160], status="planned", solution="-Hundeportal")
    db.session.commit()
    login_as(lead_a)
    exported = client.get("/ozg/ettlingen/export.csv").data
    text = exported.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";'@Land;" in text and "'-Hundeportal" in text
    # the unchanged export imports as "unverändert"
    resp = client.post("/ozg/ettlingen/import", data={"file": (io.BytesIO(exported), "ozg.csv")},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "0 neu, 0 geändert, 2 unverändert, 0 mit Fehlern" in html
    # change a status, add a new row and three bad ones
    lines = text.strip("\r\n").split("\r\n")
    lines[1] = lines[1].replace(";in Planung;", ";in Umsetzung;")  # 10160 (Engagement & Hobby)
    lines.append("10136;Mängel melden;;;online;2;Mängelmelder;nein;;01.06.2022;https://e.example/maengel;Netzwerk")
    lines.append("99999;Gibt es nicht;;;offen;0;;nein;;;;Netzwerk")
    lines.append("10559;Meldebescheinigung;;;online;1;;nein;;;;Netzwerk")
    lines.append("10446;Betriebe;;;fertig;7;;nein;;;;Netzwerk")
    changed = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    resp = client.post("/ozg/ettlingen/import", data={"file": (io.BytesIO(changed), "ozg.csv")},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert "1 neu, 1 geändert, 1 unverändert, 3 mit Fehlern" in html
    assert "Die OZG-ID „99999“ gibt es im Katalog nicht." in html
    assert "Für den Status „online“ geben Sie bitte den Link" in html
    assert "Der Reifegrad muss eine ganze Zahl von 0 bis 4 sein." in html
    assert row_count(OzgStatus) == 2  # the preview wrote nothing
    resp = client.post("/ozg/ettlingen/import", data={"action": "import", "content": changed.decode()})
    assert resp.status_code == 302
    assert _status(city_a, catalogue[10160]).status == "in_progress"
    assert _status(city_a, catalogue[10136]).go_live.isoformat() == "2022-06-01"
    assert _status(city_a, catalogue[10173]).solution == "=HYPERLINK(\"http://boese.example\")"
    assert _status(city_a, catalogue[10559]) is None and _status(city_a, catalogue[10446]) is None


def test_csv_import_refuses_unreadable_files(sign_in, lead_a, lead_b, catalogue):
    client = sign_in(lead_a)
    resp = client.post("/ozg/ettlingen/import", data={"file": (io.BytesIO(b"Titel;Status\nA;B\n"), "x.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 422 and "Der Datei fehlen die Spalten OZG-ID" in resp.get_data(as_text=True)
    resp = client.post("/ozg/ettlingen/import", data={"file": (io.BytesIO("ä".encode("utf-16")), "x.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 422 and "UTF-16" in resp.get_data(as_text=True)
    resp = client.post("/ozg/ettlingen/import", data={"action": "import", "content": "OZG-ID;Status\n99;offen\n"})
    assert resp.status_code == 422 and "keine gültige Zeile" in resp.get_data(as_text=True)
    client = sign_in(lead_b)
    assert client.post("/ozg/ettlingen/import", data={"action": "import",
                                                      "content": "OZG-ID;Status\n10173;offen\n"}).status_code == 404


def test_matrix_filters_and_cells(client, login_as, staff_b, city_a, city_b, catalogue):
    make_status(city_a, catalogue[10173], status="online", url="https://e.example/park", solution="Parkportal",
                is_efa=True, provider="BW")
    make_status(city_b, catalogue[10160], status="planned")
    make_status(city_b, catalogue[10446], status="online", url="https://b.example/", visibility="city")
    db.session.commit()
    login_as(staff_b)
    html = client.get("/n/readi/ozg/").get_data(as_text=True)
    assert "Ettlingen" in html and "Bühl" in html and "5 von 5 Leistungen" in html
    assert '<span aria-hidden="true">●</span> online<span class="visually-hidden">: Parkausweise und Zufahrtsberechtigungen, Ettlingen</span></a>' in html
    assert 'href="/n/readi/ozg/leistung/10173"><span aria-hidden="true">●' in html and "Parkportal (EfA)" in html
    online = client.get("/n/readi/ozg/?online=1").get_data(as_text=True)
    # city B's own city-only row counts for B's staff; Ettlingen's network row too
    assert "2 von 5 Leistungen" in online and "Hundehaltung" not in online
    field = client.get("/n/readi/ozg/?themenfeld=engagement-hobby&status=planned").get_data(as_text=True)
    assert "1 von 5 Leistungen" in field and "Hundehaltung" in field
    csv = client.get("/n/readi/ozg/matrix.csv?themenfeld=mobilitaet-reisen").data.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("OZG-ID;Leistung;Themenfeld;Lebenslage;Bühl;Ettlingen")
    assert "10173;Parkausweise und Zufahrtsberechtigungen;Mobilität & Reisen;Kfz-Besitz;offen;online;1" in csv
    page = client.get("/n/readi/ozg/leistung/10173").get_data(as_text=True)
    assert "Wer bietet die Leistung online an?" in page and "Parkportal" in page and "https://e.example/park" in page


def test_matrix_hides_what_the_user_may_not_see(client, login_as, lead_a, city_a, city_b, catalogue):
    make_status(city_b, catalogue[10446], status="online", url="https://b.example/", visibility="city",
                solution="Geheimportal")
    db.session.commit()
    login_as(lead_a)
    html = client.get("/n/readi/ozg/").get_data(as_text=True)
    assert "Geheimportal" not in html and "0 von 5" not in html
    assert "Geheimportal" not in client.get("/n/readi/ozg/leistung/10446").get_data(as_text=True)
    assert "0 von 5 Leistungen" in client.get("/n/readi/ozg/?online=1").get_data(as_text=True)


def _grow(catalogue, cities, n):
    """Cities up to n, each with a status for every service (half online)."""
    while len(cities) < n:
        city = factories.make_city(f"Matrixstadt {len(cities):03d}")
        for i, service in enumerate(catalogue.values()):
            make_status(city, service, status="online" if i % 2 else "planned", url="https://x.example/",
                        solution=f"Lösung {i}")
        cities.append(city)
    db.session.commit()


def test_matrix_query_count_is_constant(client, login_as, staff_a, city_a, catalogue, count_queries):
    cities = [city_a]
    login_as(staff_a)

    def measure(url):
        with count_queries() as statements:
            resp = client.get(url)
        assert resp.status_code == 200
        return len(statements)

    _grow(catalogue, cities, 5)
    small = [measure(u) for u in ("/n/readi/ozg/", "/n/readi/ozg/?online=1&status=online", "/n/readi/ozg/matrix.csv")]
    _grow(catalogue, cities, 50)
    large = [measure(u) for u in ("/n/readi/ozg/", "/n/readi/ozg/?online=1&status=online", "/n/readi/ozg/matrix.csv")]
    html = client.get("/n/readi/ozg/?seite=2").get_data(as_text=True)
    assert "Matrixstadt 049" in html and "Matrixstadt 010" not in html  # page 2: cities 26 to 50
    print(f"matrix statements: 5 cities {small}, 50 cities {large}")
    assert small == large
    # issue #19: at most 6 (the user's session, the network with the city's membership in it, the page of member
    # cities, the services with their online counts, the cells, the header's network switcher)
    assert max(large) <= 6
