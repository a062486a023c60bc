"""In Chromium: a city lead claims an open topic, the coordination confirms it, the matrix shows it."""

import pytest

from tests.e2e.conftest import logged_in_page as _login

pytestmark = pytest.mark.e2e


def test_claim_confirm_and_matrix(live_app, browser):
    base = live_app.base_url
    lead_ctx, lead = _login(browser, base, "lead@stutensee.example")
    lead.goto(base + "/themen/projektmanagement")
    assert "ohne Federführung" in lead.content()
    lead.fill("#claim-note", "Wir bringen eine Projektmanagement-Vorlage mit.")
    with lead.expect_navigation():  # POST, redirect, GET: read the page only after it arrived
        lead.click("main button:has-text('Federführung übernehmen')")
    assert "Die Federführung ist beantragt" in lead.content()
    assert "beantragt von Stutensee – wartet auf Bestätigung" in lead.content()
    mail = live_app.sink.wait_for("koordination@staedtenetz.example", "Federführung beantragt: Projektmanagement")
    assert "Stutensee möchte die Federführung" in mail["text"]

    coord_ctx, coord = _login(browser, base, "koordination@staedtenetz.example")
    coord.goto(base + "/themen/projektmanagement")
    with coord.expect_navigation():
        coord.click("main button:has-text('Bestätigen')")
    assert "Der Antrag wurde bestätigt." in coord.content()
    assert "Federführung bestätigt" in coord.content()  # history

    lead.goto(base + "/themen/matrix?handlungsfeld=digitaler-kulturwandel-in-der-verwaltung")
    headers = [h.strip() for h in lead.locator("main table thead th").all_inner_texts()]
    column = headers.index("Stutensee")
    row = lead.locator("main table tbody tr", has=lead.locator("th", has_text="Projektmanagement"))
    cell = row.locator("td").nth(column - 1).inner_text()
    assert "Federführung" in cell and "★" in cell
    assert "Parkraummanagement" not in lead.content()  # the filter keeps other fields of action out
    lead_ctx.close()
    coord_ctx.close()
