"""In Chromium: Ettlingen's lead records a project, imports a CSV (preview with an invalid row, then all valid
rows), freezes "Sachstandsbericht 2026" and sees the changes since 2025; another city sees the network overview
and chart without Ettlingen's city-only project."""

import re

import pytest

from tests.e2e.conftest import logged_in_page as _login
from tests.e2e.conftest import nav_link

pytestmark = pytest.mark.e2e


def test_record_import_freeze_and_compare(live_app, browser, tmp_path):
    base = live_app.base_url
    ctx, lead = _login(browser, base, "lead@ettlingen.example")
    nav_link(lead, "Vorhaben").click()
    assert "Vorhaben im Netzwerk" in lead.content()
    lead.goto(base + "/vorhaben/ettlingen/")
    assert "E-Akte in der Kernverwaltung" in lead.content()

    # record a project; a bad month first: the message stands beside the field and the input stays
    lead.click("main >> text=Neues Vorhaben")
    lead.fill("#title", "Digitale Sitzungsverwaltung")
    lead.select_option("#field_id", label="Digitaler Kulturwandel in der Verwaltung")
    lead.select_option("#status", "in_progress")
    lead.fill("#start_month", "13/2026")
    lead.fill("#summary", "Ratsinformationssystem **papierlos**")
    lead.click("main button:has-text('Speichern')")
    assert "Bitte geben Sie einen Monat an" in lead.locator("#start_month-error").inner_text()
    assert lead.input_value("#title") == "Digitale Sitzungsverwaltung"
    lead.fill("#start_month", "04/2026")
    lead.fill("#end_month", "03/2027")
    lead.click("main button:has-text('Speichern')")
    assert "Das Vorhaben wurde gespeichert." in lead.content()
    assert lead.locator("main strong", has_text="papierlos").count() == 1

    # import: one valid and one invalid row; the preview names the line and the reason
    csv_file = tmp_path / "liste.csv"
    csv_file.write_bytes("Vorhaben;Handlungsfeld;Stand;Beginn\n"
                         "Digitale Bauakte;Digitale Bürgerdienste;gelb;05/2026\n"
                         "Kaputte Zeile;Digitale Bürgerdienste;irgendwann;2026-02\n".encode("cp1252"))
    lead.goto(base + "/vorhaben/ettlingen/import")
    lead.set_input_files("#file", str(csv_file))
    lead.click("main button:has-text('Hochladen und weiter')")
    assert "Kodierung windows-1252" in lead.content()
    assert "1 Zeile ist gültig." in lead.content() and "1 Zeile ist fehlerhaft." in lead.content()
    invalid = lead.locator("table.inv-invalid tbody tr").inner_text()
    assert "3" in invalid and "Status „irgendwann“ ist unbekannt" in invalid
    lead.click("main button:has-text('1 gültige Zeile importieren')")
    assert "Import abgeschlossen: 1 neu angelegt, 0 geändert, 0 unverändert." in lead.content()
    assert "Digitale Bauakte" in lead.content()

    # roadmap: a table by quarter, readable without colour
    lead.goto(base + "/vorhaben/ettlingen/roadmap")
    assert lead.locator("table.inv-roadmap caption").count() >= 1
    assert "läuft im 2. Quartal 2026" in lead.content()

    # freeze the 2026 report; the changes against the 2025 report are listed
    lead.goto(base + "/vorhaben/ettlingen/berichte/")
    assert "Änderungen seit Sachstandsbericht 2025" in lead.content()
    lead.fill("#year", "2026")
    lead.select_option("#visibility", "network")
    lead.click("main button:has-text('Bericht einfrieren und veröffentlichen')")
    # the confirmation step names the report and shows the changes it records (issue #21, item 6)
    assert "Sachstandsbericht einfrieren?" in lead.content()
    assert "„Sachstandsbericht 2026“ (Jahr 2026, Sichtbarkeit: Netzwerk)" in lead.content()
    lead.click("main button:has-text('Ja, einfrieren und veröffentlichen')")
    assert "Sachstandsbericht 2026 ist veröffentlicht." in lead.content()
    changes = lead.locator("table.inv-changes").inner_text()
    assert re.search(r"umgesetzt\s+E-Akte in der Kernverwaltung", changes)
    assert re.search(r"Status geändert\s+Digitaler Posteingang", changes)
    assert re.search(r"verworfen\s+Smarte Straßenbeleuchtung", changes)
    assert re.search(r"neu\s+Digitale Sitzungsverwaltung", changes)
    lead.click("main >> text=Druckansicht")
    assert lead.locator("h1").inner_text().startswith("Sachstandsbericht 2026")
    ctx.close()

    # another city: the overview chart and table, without Ettlingen's city-only project
    ctx_b, other = _login(browser, base, "staff@buehl.example")
    other.goto(base + "/vorhaben/")
    assert other.locator("svg.inv-chart[role=img] > title").first.text_content().startswith("Vorhaben je Kommune")
    other.goto(base + "/vorhaben/ettlingen/")
    assert "Digitale Sitzungsverwaltung" in other.content()
    assert "Intranet mit Mitarbeiterportal" not in other.content()  # city-only in the demo data
    ctx_b.close()
