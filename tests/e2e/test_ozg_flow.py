"""In Chromium: Ettlingen's lead records its strategy (a refused council decision first, then the decision) and three
OZG statuses in the Themenfeld table (a refused save first: nothing saved, the input stays, the message beside the
row); Bruchsal's staff finds in the network matrix who offers "Parkausweise und Zufahrtsberechtigungen" online, with
which solution, and opens the contact person to ask (issue #19)."""

import pytest

from tests.e2e.conftest import logged_in_page as _login
from tests.e2e.conftest import nav_link

pytestmark = pytest.mark.e2e

PARK = "Parkausweise und Zufahrtsberechtigungen"


def _row(page, name):
    return page.locator("table.ozg-bulk tbody tr", has=page.locator(f"a:text-is('{name}')"))


def test_record_statuses_and_find_who_is_online(live_app, browser):
    base = live_app.base_url
    ctx, lead = _login(browser, base, "lead@ettlingen.example")
    nav_link(lead, "Digitalstrategie").click()
    lead.click("main a:has-text('Digitalstrategie bearbeiten')")
    lead.fill("#beschluss-decided_on", "31.02.2024")
    lead.fill("#beschluss-title", "Gemeinderat: Fortschreibung von ettlingen.digital beschlossen")
    lead.click("main button:has-text('Beschluss eintragen')")
    assert "Bitte geben Sie ein gültiges Datum als TT.MM.JJJJ an" in lead.content()
    assert lead.input_value("#beschluss-title").startswith("Gemeinderat: Fortschreibung")  # the input stays
    lead.fill("#beschluss-decided_on", "15.10.2024")
    lead.click("main button:has-text('Beschluss eintragen')")
    assert "Der Beschluss wurde eingetragen." in lead.content()
    lead.click("main a:has-text('Zur Digitalstrategie')")
    decisions = lead.locator("main ul.strat-decisions").inner_text()
    assert "15.10.2024: Gemeinderat: Fortschreibung" in decisions and "27.03.2019" in decisions  # the demo's
    lead.goto(base + "/ozg/ettlingen/")
    lead.click("main a:has-text('Mobilität & Reisen')")
    park, firms = _row(lead, PARK), _row(lead, "Parkausweise für Betriebe")
    # "online" without a link or date: refused, nothing saved, the input stays
    park.locator("select[name$='-status']").select_option("online")
    firms.locator("select[name$='-status']").select_option("planned")
    lead.click("main button:has-text('Alle Zeilen speichern')")
    assert "Es wurde nichts gespeichert" in lead.content()
    assert "Für den Status „online“" in park.inner_text()
    assert park.locator("select[name$='-status']").input_value() == "online"
    park.locator("input[name$='-url']").fill("https://www.ettlingen.de/bewohnerparken")
    park.locator("input[name$='-solution']").fill("Bewohnerparken digital")
    other = lead.locator("table.ozg-bulk tbody tr").nth(0)
    other_name = other.locator("a").first.inner_text()
    if other_name in (PARK, "Parkausweise für Betriebe"):
        other = lead.locator("table.ozg-bulk tbody tr").nth(2)
        other_name = other.locator("a").first.inner_text()
    other.locator("select[name$='-status']").select_option("in_progress")
    lead.click("main button:has-text('Alle Zeilen speichern')")
    assert "3 Stände wurden gespeichert." in lead.content()
    lead.goto(base + "/ozg/ettlingen/")
    recorded = lead.locator("main table").nth(1).inner_text()
    assert "Bewohnerparken digital" in recorded and other_name in recorded
    ctx.close()

    ctx, staff = _login(browser, base, "staff@bruchsal.example")
    nav_link(staff, "OZG-Leistungen").click()
    staff.select_option("#f-tf", label="Mobilität & Reisen")
    staff.check("#f-online")
    staff.click("main button:has-text('Filtern')")
    assert PARK in staff.content() and "Parkausweise für Betriebe" not in staff.content()
    staff.click(f"main th a:text-is('{PARK}')")
    online = staff.locator("main ul").first.inner_text()
    assert "Bühl" in online and "Bewohnerparkausweis online" in online  # the demo's example status
    assert "Ettlingen" in online and "Bewohnerparken digital" in online
    assert "Ansprechpersonen:" in online  # whom to ask: the demo's published profiles of those cities
    staff.locator("main ul").first.locator("li", has_text="Ettlingen").locator("a[href*='/ansprechpersonen/']") \
        .first.click()
    profile = staff.locator("main").inner_text()
    assert "lead@ettlingen.example" in profile and "Mobilität & Reisen" in profile
    ctx.close()


def test_ozg_pages_pass_axe(live_app, browser, axe_source):
    """WCAG 2.1 AA (axe-core) on every OZG page, the bulk table also with its row errors (the crawl of
    test_accessibility.py has a page budget and may not reach them)."""
    from tests.e2e.test_accessibility import AXE_TAGS, format_violations, run_axe  # noqa: F401
    base = live_app.base_url
    ctx, lead = _login(browser, base, "lead@ettlingen.example")
    problems = []
    for path in ("/ozg/ettlingen/", "/ozg/ettlingen/themenfeld/mobilitaet-reisen", "/ozg/ettlingen/leistung/10173",
                 "/ozg/ettlingen/import", "/n/readi/ozg/", "/n/readi/ozg/?themenfeld=mobilitaet-reisen&online=1",
                 "/n/readi/ozg/leistung/10173", "/strategie/ettlingen/", "/strategie/ettlingen/bearbeiten",
                 "/ansprechpersonen/", "/ansprechpersonen/mein-profil"):
        lead.goto(base + path)
        problems += [(path, v) for v in run_axe(lead, axe_source)]
    lead.goto(base + "/ansprechpersonen/")
    lead.locator("main table a").first.click()  # a contact profile
    problems += [("contact profile", v) for v in run_axe(lead, axe_source)]
    lead.goto(base + "/ozg/ettlingen/themenfeld/mobilitaet-reisen")
    _row(lead, "Parkausweise für Betriebe").locator("select[name$='-status']").select_option("online")
    lead.click("main button:has-text('Alle Zeilen speichern')")
    assert "Es wurde nichts gespeichert" in lead.content()
    problems += [("bulk with errors", v) for v in run_axe(lead, axe_source)]
    ctx.close()
    assert not problems, "\n".join(f"{p}: {v['id']} {v['help']} {v['targets']}" for p, v in problems)
