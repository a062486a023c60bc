"""In Chromium: a city lead records a call, marks interest, starts a joint application and invites a partner;
the partner accepts; the reminder job sends the 3-day reminder to both cities through the SMTP sink."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import logged_in_page

pytestmark = pytest.mark.e2e


def _login(browser, base_url, email):
    return logged_in_page(browser, base_url, email, locale="de-DE", timezone_id="Europe/Berlin")


def test_record_interest_joint_application_accept_and_reminder(live_app, browser):
    base = live_app.base_url
    due = datetime.now(ZoneInfo("Europe/Berlin")).date() + timedelta(days=3)
    title = "E2E Glasfaser für Schulen"

    lead_ctx, lead = _login(browser, base, "lead@ettlingen.example")
    lead.goto(base + "/foerderung/")
    lead.click("main a:has-text('Förderaufruf erfassen')")
    lead.fill("#title", title)
    lead.select_option("#funder", "land")
    lead.check("#joint_allowed")
    lead.fill("#rate", "65")
    lead.fill("#max_amount", "-5")  # a bad amount first: the message stands beside the field
    lead.fill("#deadlines-0-label", "Antrag")
    lead.fill("#deadlines-0-due_on", due.isoformat())  # a native date field takes ISO
    lead.click("main button:has-text('Erfassen')")
    assert "Der Höchstbetrag darf nicht negativ sein." in lead.locator("#max_amount-error").inner_text()
    assert lead.input_value("#title") == title
    lead.fill("#max_amount", "200.000")
    lead.click("main button:has-text('Erfassen')")
    assert f"Der Förderaufruf {title} ist erfasst." in lead.content()
    main = lead.locator("main").inner_text()
    assert "200.000,00" in main and "noch 3 Tage" in main

    lead.click("main button:has-text('Wir prüfen eine Bewerbung')")
    assert "Vermerkt: Ihre Kommune prüft eine Bewerbung." in lead.content()
    assert "Ettlingen (" in lead.locator("#h-interest + ul").inner_text()

    lead.click("main a:has-text('Verbundantrag starten')")
    lead.fill("#title", "E2E Verbund Glasfaser")
    lead.fill("#requested_amount", "150.000")
    lead.click("main button:has-text('Antrag anlegen')")
    assert "Der Antrag ist angelegt." in lead.content()
    application_url = lead.url
    lead.select_option("#municipality_id", label="Bühl")
    lead.click("main button:has-text('Einladen')")
    assert "Die Kommune ist eingeladen" in lead.content()
    invitation = live_app.sink.wait_for("lead@buehl.example", "Einladung zum Verbundantrag: E2E Verbund Glasfaser")
    assert "Ettlingen lädt Ihre Kommune ein" in invitation["text"]

    partner_ctx, partner = _login(browser, base, "lead@buehl.example")
    partner.click("main a:has-text('Einladung zum Verbundantrag „E2E Verbund Glasfaser“ von Ettlingen beantworten')")
    assert partner.url == application_url
    partner.click("main button:has-text('Einladung annehmen')")
    assert "Ihre Kommune ist jetzt beim Antrag dabei." in partner.content()
    row = partner.locator("main table tbody tr", has=partner.locator("th", has_text="Bühl")).first.inner_text()
    assert "dabei" in row
    partner.fill("#share_amount", "25.000")
    partner.click("main button:has-text('Eigenanteil speichern')")
    assert "25.000,00" in partner.locator("main").inner_text()
    # a partner does not get the status form
    assert partner.locator("#status").count() == 0
    live_app.sink.wait_for("lead@ettlingen.example", "Bühl ist beim Antrag E2E Verbund Glasfaser dabei")

    # the reminder job (the scheduler runs it hourly): 3 days before the deadline, both cities, once
    after = len(live_app.sink.messages)
    out = live_app.flask("network", "funding-reminders").stdout
    assert "Erinnerungen gesendet:" in out
    subject = f"Förderfrist in 3 Tagen: {title}"
    for email in ("lead@ettlingen.example", "lead@buehl.example"):
        mail = live_app.sink.wait_for(email, subject, after=after)
        assert "Antrag" in mail["text"] and "23:59" in mail["text"]
    live_app.flask("network", "funding-reminders")
    import time
    time.sleep(3)  # the scheduler delivers the outbox every second: a second run must add nothing
    assert sum(subject in " ".join(m["subject"].split()) for m in live_app.sink.messages) == 2
    lead_ctx.close()
    partner_ctx.close()
