"""CSV import: encodings and separators, mapping, preview with invalid rows, all-or-nothing, bad files."""

import re

import pytest
import sqlalchemy as sa

from network.extensions import db
from network.inventory.models import ImportUpload, Project
from tests.conftest import row_count

HEADER = "Titel;Handlungsfeld;Status;Beginn;Ende;Priorität;Budget\n"


def _upload(client, raw: bytes, name="liste.csv"):
    import io
    return client.post("/vorhaben/ettlingen/import", data={"file": (io.BytesIO(raw), name)},
                       content_type="multipart/form-data")


def _token(resp):
    return re.search(r"/import/([\w-]+)$", resp.headers["Location"]).group(1)


@pytest.fixture
def lead(client, login_as, lead_a, fields):
    login_as(lead_a)
    return lead_a


@pytest.mark.parametrize("raw", [
    ("Titel;Handlungsfeld;Status\nBürgerportal;Digitale Bürgerdienste;grün\n").encode("utf-8"),
    ("\ufeffTitel;Handlungsfeld;Status\nBürgerportal;Digitale Bürgerdienste;grün\n").encode("utf-8"),
    ("Titel;Handlungsfeld;Status\nBürgerportal;Digitale Bürgerdienste;grün\n").encode("cp1252"),
    ("Titel,Handlungsfeld,Status\n\"Bürgerportal, neu\",Digitale Bürgerdienste,umgesetzt\n").encode("utf-8"),
], ids=["utf8", "utf8-bom", "windows-1252", "comma"])
def test_accepted_files(client, lead, raw):
    resp = _upload(client, raw)
    assert resp.status_code == 302
    token = _token(resp)
    page = client.get(f"/vorhaben/ettlingen/import/{token}").get_data(as_text=True)
    assert "1 Zeile ist gültig." in page
    resp = client.post(f"/vorhaben/ettlingen/import/{token}", data={
        "action": "import", "map-title": "0", "map-field": "1", "map-status": "2", "default_visibility": "network"})
    assert resp.status_code == 302
    p = db.session.execute(sa.select(Project)).unique().scalar_one()
    assert p.title.startswith("Bürgerportal") and p.status == "done" and p.visibility == "network"
    assert p.is_draft is False
    assert row_count(ImportUpload) == 0  # the file is forgotten after the import


@pytest.mark.parametrize("raw, message", [
    ("Titel;Handlungsfeld;Status\nA;B;C\n".encode("utf-16"), "nicht als UTF-8 oder Windows-1252 gespeichert"),
    (b"Titel;Handlungsfeld;Status\n\x81\x8d\x8f;x;y\n", "weder UTF-8 noch Windows-1252"),
    (b"", "Bitte wählen Sie eine CSV-Datei aus."),
    (b"\n\n", "Die Datei ist leer."),
    (b"Titel;Handlungsfeld;Status\n", "nur die Kopfzeile"),
    (HEADER.encode() + b"".join(b"P%d;Digitale B\xc3\xbcrgerdienste;Idee;;;;\n" % i for i in range(10_001)),
     "mehr als 10.000 Datenzeilen"),
], ids=["utf16", "bad-bytes", "no-file", "empty", "header-only", "10001-rows"])
def test_bad_files(client, lead, raw, message):
    resp = _upload(client, raw)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert message in html
    assert 'id="file-error"' in html  # beside the field
    assert row_count(ImportUpload) == 0 and row_count(Project) == 0


def test_exactly_10000_rows_are_accepted(client, lead):
    raw = HEADER.encode() + b"".join(b"P%d;Digitale B\xc3\xbcrgerdienste;Idee;;;;\n" % i for i in range(10_000))
    assert _upload(client, raw).status_code == 302


def test_missing_columns(client, lead):
    resp = _upload(client, "Titel;Bereich x\nBürgerportal;Digitale Bürgerdienste\n".encode())
    token = _token(resp)
    page = client.get(f"/vorhaben/ettlingen/import/{token}").get_data(as_text=True)
    assert "Pflichtspalte fehlt: Bitte ordnen Sie der Angabe „Status“ eine Spalte zu." in page
    assert "Pflichtspalte fehlt: Bitte ordnen Sie der Angabe „Handlungsfeld“ eine Spalte zu." in page
    resp = client.post(f"/vorhaben/ettlingen/import/{token}", data={"action": "import", "map-title": "0",
                                                                    "map-field": "1"})
    assert resp.status_code == 422 and "„Status“ eine Spalte zu" in resp.get_data(as_text=True)
    assert row_count(Project) == 0
    resp = client.post(f"/vorhaben/ettlingen/import/{token}", data={"action": "import", "map-title": "0",
                                                                    "map-field": "0", "map-status": "1"})
    assert resp.status_code == 422 and "ist schon „Titel“ zugeordnet" in resp.get_data(as_text=True)


def test_preview_lists_invalid_rows_then_imports_valid_or_none(client, lead):
    raw = (HEADER
           + "Gut 1;Digitale Bürgerdienste;Idee;03/2026;12/2026;hoch;25.000\n"
           + "Falscher Status;Digitale Bürgerdienste;vielleicht;;;;\n"
           + "Falsches Datum;Digitale Bürgerdienste;gelb;32.13.2025;;;\n"
           + "Ende vor Beginn;Digitale Bürgerdienste;rot;05/2026;01/2026;;\n"
           + "Unbekanntes Feld;Raumfahrt;Idee;;;;\n"
           + ";Digitale Bürgerdienste;Idee;;;;\n"
           + "Gut 2;Nachhaltigkeit und Mobilität;in Umsetzung;2025;;niedrig;\n").encode()
    token = _token(_upload(client, raw))
    page = client.get(f"/vorhaben/ettlingen/import/{token}").get_data(as_text=True)
    assert "2 Zeilen sind gültig." in page and "5 Zeilen sind fehlerhaft." in page
    rows = dict(re.findall(r'<tr><th scope="row" class="kern-table__cell">(\d+)</th><td class="kern-table__cell">(.*?)</td></tr>', page))
    assert "Status „vielleicht“ ist unbekannt" in rows["3"]
    assert "Beginn „32.13.2025“ ist kein gültiger Monat" in rows["4"]
    assert "Das Ende liegt vor dem Beginn." in rows["5"]
    assert "Handlungsfeld „Raumfahrt“ ist unbekannt." in rows["6"]
    assert "Bitte geben Sie den Titel an." in rows["7"]
    # "none": discard
    mapping = {"map-title": "0", "map-field": "1", "map-status": "2", "map-start_month": "3", "map-end_month": "4",
               "map-priority": "5", "map-budget_eur": "6"}
    resp = client.post(f"/vorhaben/ettlingen/import/{token}", data={"action": "discard"})
    assert resp.status_code == 302 and row_count(Project) == 0 and row_count(ImportUpload) == 0
    # again, "all valid"
    token = _token(_upload(client, raw))
    resp = client.post(f"/vorhaben/ettlingen/import/{token}", data={"action": "import", **mapping})
    assert resp.status_code == 302
    projects = db.session.execute(sa.select(Project).order_by(Project.title)).unique().scalars().all()
    assert [(p.title, p.status, p.priority, p.budget_eur) for p in projects] == [
        ("Gut 1", "idea", "high", 25000), ("Gut 2", "in_progress", "low", None)]
    assert projects[0].visibility == "city"  # the default when the file says nothing


def test_upload_of_another_lead_or_city_is_404(client, login_as, lead_a, lead_b, fields):
    login_as(lead_a)
    token = _token(_upload(client, "Titel;Handlungsfeld;Status\nA;Digitale Bürgerdienste;Idee\n".encode()))
    client.post("/abmelden")
    login_as(lead_b)
    assert client.get(f"/vorhaben/ettlingen/import/{token}").status_code == 404
    assert client.get(f"/vorhaben/buehl/import/{token}").status_code == 404


def test_roundtrip_export_import(client, lead, city_a, fields):
    from tests.inventory.conftest import make_project
    from datetime import date
    make_project(city_a, fields[0], title="Rundreise", status="paused", priority="low",
                 start_month=date(2026, 2, 1), budget_eur=1200, is_lighthouse=True)
    db.session.commit()
    raw = client.get("/vorhaben/ettlingen/export.csv").data
    token = _token(_upload(client, raw))
    page = client.get(f"/vorhaben/ettlingen/import/{token}").get_data(as_text=True)
    assert "1 Zeile ist gültig." in page, page[page.find("Schritt 3"):][:2000]
