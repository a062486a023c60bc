"""In Chromium: a citizen registers interest without login, confirms from the email in the SMTP sink, and the
city's lead sees the registration, filters it by topic and marks it contacted; then the citizen withdraws."""

import re
import uuid

import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "Demo-Passwort-2026"


def test_register_confirm_and_the_lead_sees_it(live_app, browser):
    base = live_app.base_url
    email = f"e2e-{uuid.uuid4().hex[:8]}@example.org"
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base + "/")
    page.click("nav >> text=Mitmachen")
    page.wait_for_url(base + "/mitmachen")
    page.fill("#name", "Erika Engagiert")
    page.fill("#email", email)
    page.select_option("#kind", "association")
    page.fill("#organisation", "Digitalverein Ettlingen")
    page.select_option("#municipality", "ettlingen")
    page.check("label:has-text('Open-Data-Portal')")
    page.fill("#message", "Wir können beim Open-Data-Portal mithelfen.")
    page.check("#consent")
    page.wait_for_timeout(3200)  # the minimum fill time (INTEREST_MIN_FILL_SECONDS = 3)
    page.click("main button:has-text('Interesse senden')")
    page.wait_for_url(base + "/mitmachen/gesendet")
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in page.content()

    mail = live_app.sink.wait_for(email, "Bitte bestätigen Sie Ihre Interessensbekundung")
    confirm = re.search(r"https?://\S+/mitmachen/bestaetigen/\S+", mail["text"]).group(0)
    withdraw = re.search(r"https?://\S+/mitmachen/zuruecknehmen/\S+", mail["text"]).group(0)
    page.goto(confirm)
    assert "Erika Engagiert" in page.content()
    page.click("main button:has-text('Ja, Angaben bestätigen')")
    assert "Ihre Interessensbekundung ist bestätigt" in page.content()

    lead_ctx = browser.new_context()
    lead = lead_ctx.new_page()
    lead.goto(base + "/anmelden")
    lead.fill("#email", "lead@ettlingen.example")
    lead.fill("#password", PASSWORD)
    lead.click("main button[type=submit]")
    lead.wait_for_url(base + "/")
    lead.click("main a:has-text('Interessensbekundungen ansehen')")
    # count() does not wait: the list must have loaded (under load the click returns before the next page)
    lead.wait_for_url(base + "/interessensbekundungen/")
    lead.wait_for_load_state("load")
    row = lead.locator("main table tbody tr", has=lead.locator("th", has_text="Erika Engagiert"))
    assert row.count() == 1 and "Open-Data-Portal" in row.inner_text() and "offen" in row.inner_text()
    lead.select_option("#thema", "e-akte")
    lead.click("main button:has-text('Filtern')")
    assert "Erika Engagiert" not in lead.content()
    lead.select_option("#thema", "open-data-portal")
    lead.click("main button:has-text('Filtern')")
    row = lead.locator("main table tbody tr", has=lead.locator("th", has_text="Erika Engagiert"))
    row.locator("button:has-text('als kontaktiert markieren')").click()
    assert "ist als kontaktiert markiert" in lead.content()
    row = lead.locator("main table tbody tr", has=lead.locator("th", has_text="Erika Engagiert"))
    assert "kontaktiert am" in row.inner_text()

    # the citizen withdraws: the data is gone for the lead too
    page.goto(withdraw)
    page.click("main button:has-text('Angaben endgültig löschen')")
    assert "Ihre Angaben sind gelöscht" in page.content()
    lead.goto(base + "/interessensbekundungen/")
    assert "Erika Engagiert" not in lead.content()
    ctx.close()
    lead_ctx.close()
