"""In Chromium: a city writes a practice (with preview), its lead publishes it, another city finds it through
the header search by a stemmed word and marks its reuse; the authoring city's lead gets an email."""

import pytest

from tests.e2e.conftest import logged_in_page as _login

pytestmark = pytest.mark.e2e


def test_write_publish_find_and_reuse(live_app, browser):
    base = live_app.base_url
    title = "Dienstfahrräder für die Stadtverwaltung"
    staff_ctx, staff = _login(browser, base, "staff@rastatt.example")
    staff.goto(base + "/praxis/neu")
    staff.fill("#title", title)
    staff.fill("#summary", "Beschäftigte leasen Diensträder über eine Entgeltumwandlung.")
    staff.fill("#solution", "Ein **Leasingportal** mit Rahmenvertrag.")
    staff.fill("#pitfalls", "Die Versicherung früh klären.")
    staff.click("main button:has-text('Vorschau')")
    assert "Vorschau (noch nicht gespeichert)" in staff.content()
    assert staff.locator("main .preview strong", has_text="Leasingportal").count() == 1
    assert staff.input_value("#title") == title  # the input stays
    staff.click("main button:has-text('Speichern')")
    assert "ist gespeichert" in staff.content()
    assert "Entwurf – nur für Ihre Kommune sichtbar" in staff.content()
    url = staff.url

    lead_ctx, lead = _login(browser, base, "lead@rastatt.example")
    lead.goto(url)
    lead.click("main button:has-text('Veröffentlichen')")
    assert "alle angemeldeten Mitglieder der Netzwerke" in lead.content()  # the confirmation names the audience
    lead.click("main button:has-text('Ja, jetzt veröffentlichen')")
    assert "Der Praxisbericht ist veröffentlicht." in lead.content()

    other_ctx, other = _login(browser, base, "staff@bruchsal.example")
    other.fill("#header-search-q", "Fahrrädern")  # another form of the word, found through the stem
    other.press("#header-search-q", "Enter")
    other.wait_for_url("**/praxis/suche?q=*")
    hit = other.locator("main article.hit", has=other.locator("a", has_text=title))
    assert hit.count() == 1
    assert hit.locator("mark").count() >= 1
    hit.locator("a", has_text=title).click()
    other.select_option("#reuse-status", "adopted")
    other.fill("#reuse-saved_days", "15")
    other.fill("#reuse-note", "Wir haben das Portal übernommen.")
    other.click("main button:has-text('Nachnutzung speichern')")
    assert "Die Nachnutzung Ihrer Kommune ist gespeichert" in other.content()
    row = other.locator("main table tbody tr", has=other.locator("th", has_text="Bruchsal"))
    assert "übernommen" in row.inner_text() and "15 Personentage" in row.inner_text()

    mail = live_app.sink.wait_for("lead@rastatt.example", "Nachnutzung Ihres Praxisberichts")
    assert "Bruchsal hat zu Ihrem Praxisbericht" in mail["text"] and "übernommen" in mail["text"]
    for ctx in (staff_ctx, lead_ctx, other_ctx):
        ctx.close()
