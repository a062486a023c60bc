"""Issue #16 in Chromium: the platform administration creates a network, its coordinator accepts the invitation
from the mail, switches into the network and admits Ettlingen; Ettlingen's lead switches between its networks in
the header."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import nav_link
from tests.e2e.test_flows import flash_text, logout

pytestmark = pytest.mark.e2e


def _switch_to(page, name):
    switcher = page.locator("header form.network-switch")
    switcher.get_by_label("Netzwerk").select_option(label=name)
    switcher.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert f"Sie arbeiten jetzt im Netzwerk {name}." in flash_text(page), flash_text(page)
    expect(page.locator("header .site-brand")).to_contain_text(name)


def test_platform_admin_creates_network_coordinator_admits_ettlingen_lead_switches(live_app, new_context):
    base = live_app.base_url
    suffix = uuid.uuid4().hex[:6]
    name, slug = f"Städtenetz Test {suffix}", f"test-{suffix}"
    coordinator_email, password = f"koordination-{suffix}@staedtenetz.example", "Sicheres-Passwort-2026"

    # the platform administration creates the network and invites its first coordinator
    admin = new_context("plattform@staedtenetz.example").new_page()
    admin.goto(base + "/")
    nav_link(admin, "Netzwerke").click()
    admin.get_by_role("link", name="Netzwerk anlegen").click()
    expect(admin.locator("main h1")).to_have_text("Netzwerk anlegen")
    admin.locator("main #name").fill(name)
    admin.locator("main #slug").fill(slug)
    admin.locator("main #region").fill("Testregion")
    admin.locator("main #coordinator_email").fill(coordinator_email)
    admin.locator("main #coordinator_name").fill(f"Koordination {suffix}")
    sent_before = len(live_app.sink.messages)
    admin.locator("main button[type=submit]").click()
    admin.wait_for_load_state("load")
    assert admin.url == f"{base}/n/{slug}/", f"nach dem Anlegen auf {admin.url}: {flash_text(admin)!r}"
    expect(admin.locator("main h1")).to_have_text(name)

    # the coordinator accepts the invitation from the mail
    mail = live_app.sink.wait_for(coordinator_email, f"Koordination von {name}", after=sent_before)
    link = live_app.sink.link_in(mail)
    page = new_context().new_page()
    page.goto(link)
    expect(page.locator("main h1")).to_have_text("Einladung annehmen")
    page.fill("main #password", password)
    page.fill("main #password2", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    assert "Ihr Konto ist eingerichtet" in flash_text(page), flash_text(page)
    if "Abmelden" not in page.locator("nav").inner_text():
        from tests.crawl import login_via_form
        login_via_form(page, base, coordinator_email, password)
        page.goto(base + "/")

    # … starts in its network (its only one: no switcher) and admits Ettlingen as a member
    expect(page.locator("header .site-brand")).to_contain_text(name)
    assert page.locator("header form.network-switch").count() == 0
    nav_link(page, "Netzwerk verwalten").click()
    assert page.url.startswith(f"{base}/n/{slug}/verwaltung/mitglieder"), page.url
    page.get_by_label("Kommune im Städtenetz suchen").fill("Ettlingen")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_load_state("load")
    row = page.locator("main li", has_text="Ettlingen")
    row.get_by_label("Aufnehmen als").select_option("member")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert f"Ettlingen ist jetzt Mitglied im Netzwerk {name}." in flash_text(page), flash_text(page)
    expect(page.locator("main table tr", has_text="Ettlingen")).to_contain_text("Mitglied")

    # Ettlingen's lead now switches between its networks in the header
    lead = new_context("lead@ettlingen.example").new_page()
    lead.goto(base + "/profil")
    options = lead.locator("header form.network-switch select option").all_inner_texts()
    assert name in options and "re@di – regional.digital" in options, options
    _switch_to(lead, name)
    assert lead.url == base + "/profil"
    lead.goto(f"{base}/n/{slug}/")
    expect(lead.locator("main")).to_contain_text("Ettlingen")
    _switch_to(lead, "re@di – regional.digital")
    assert lead.url == base + "/n/readi/", lead.url
    logout(lead)
