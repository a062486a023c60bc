"""In Chromium: the coordination starts a date poll, a member votes, the coordination picks the date
(invitation with .ics by mail), the member answers yes, the minutes with an action item are published and the
action item shows on the responsible city's dashboard."""

from datetime import date, timedelta

import pytest

from tests.e2e.conftest import logged_in_page as _login

pytestmark = pytest.mark.e2e


def test_poll_vote_pick_rsvp_minutes_and_dashboard(live_app, browser):
    base = live_app.base_url
    coord_ctx, coord = _login(browser, base, "koordination@staedtenetz.example")
    coord.goto(base + "/n/readi/treffen/gremien/")
    coord.click("main a:has-text('Fachgruppe Digitalisierung')")
    coord.click("main a.kern-btn:has-text('Treffen planen')")
    assert coord.input_value("#number") == "35"  # 34 meetings on record and planned: the next number
    coord.fill("#title", "35. Fachgruppentreffen (E2E)")
    coord.fill("#address", "Rathaus Bruchsal")
    coord.click("main button:has-text('Anlegen')")
    assert "Schlagen Sie jetzt Termine für die Umfrage vor." in coord.content()
    poll_url = coord.url
    # several dates in one form (the empty rows are ignored)
    for row, (offset, start, end) in enumerate(((40, "10:00", "12:00"), (41, "14:00", "16:00"))):
        coord.fill(f"#slots-{row}-date", (date.today() + timedelta(days=offset)).isoformat())
        coord.fill(f"#slots-{row}-start_time", start)
        coord.fill(f"#slots-{row}-end_time", end)
    coord.click("main button:has-text('Vorschläge hinzufügen')")
    assert "2 Terminvorschläge wurden hinzugefügt." in coord.content()

    lead_ctx, lead = _login(browser, base, "lead@ettlingen.example")
    lead.goto(poll_url)
    fieldsets = lead.locator("main form fieldset")
    fieldsets.nth(0).locator("input[value=yes]").check()
    fieldsets.nth(1).locator("input[value=no]").check()
    lead.click("main button:has-text('Antworten speichern')")
    assert "Ihre Antworten wurden gespeichert." in lead.content()
    totals = lead.locator("main td.poll-total").all_inner_texts()
    assert totals[0].startswith("ja: 1") and "nein: 1" in totals[1]

    coord.goto(poll_url)
    coord.locator("main button:has-text('Diesen Termin festlegen')").first.click()
    assert "Der Termin steht fest" in coord.content()
    meeting_url = coord.url
    # the outbox job delivers the invitation with the .ics (METHOD:REQUEST)
    mail = live_app.sink.wait_for("lead@ettlingen.example", "Einladung: 35. Fachgruppentreffen (E2E)", timeout=90)
    parts = [p for p in mail["message"].walk() if p.get_content_type() == "text/calendar"]
    assert parts and "METHOD:REQUEST" in parts[0].get_payload(decode=True).decode()

    lead.goto(meeting_url)
    # the RSVP form is behind a closed disclosure and has no answer pre-selected
    assert not lead.is_visible("#rsvp-yes")
    lead.click("#rsvp-form > summary")
    assert not lead.is_checked("#rsvp-yes") and not lead.is_checked("#rsvp-no")
    lead.check("#rsvp-yes")
    lead.fill("#note", "Komme mit der Bahn")
    lead.click("main button:has-text('Antwort speichern')")
    assert "Ihre Antwort wurde gespeichert." in lead.content()
    attendees = lead.locator("#h-att").locator("xpath=..").inner_text()
    assert "Ettlingen" in attendees and "Komme mit der Bahn" in attendees

    coord.goto(meeting_url)
    coord.click("#action-form > summary")
    coord.fill("#action_text", "Datenschutzkonzept E2E abstimmen")
    coord.select_option("#action_city", label="Ettlingen")
    coord.fill("#due_date", (date.today() + timedelta(days=60)).isoformat())
    coord.click("main button:has-text('Aufgabe hinzufügen')")
    assert "Die Aufgabe wurde festgehalten." in coord.content()
    coord.click("main a:has-text('Protokoll schreiben')")
    coord.fill("#minutes", "# Protokoll\n\n**Ergebnis:** Wir stimmen das Datenschutzkonzept ab.")
    coord.click("main button:has-text('Speichern und veröffentlichen')")
    assert "Das Protokoll wurde veröffentlicht." in coord.content()

    lead.goto(base + "/")
    waiting = lead.locator("section[data-waiting]").inner_text()
    assert "Aufgabe Ihrer Kommune: Datenschutzkonzept E2E abstimmen" in waiting
    lead.goto(meeting_url)
    assert lead.locator("main .minutes strong").inner_text() == "Ergebnis:"
    coord_ctx.close()
    lead_ctx.close()
