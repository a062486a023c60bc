"""The main flows as a person does them in Chromium: invitation by mail, first login, language; admitting a city.

Each later issue adds its own flows here. Everything goes through the real pages: the login form, the
navigation, the invitation mail caught by the SMTP sink (delivered by the scheduler through the outbox).
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.crawl import login_via_form
from tests.e2e.conftest import nav_link

pytestmark = pytest.mark.e2e


def flash_text(page) -> str:
    return " ".join(page.locator("main .kern-alert").all_inner_texts())


def logout(page):
    page.locator("nav button[type=submit]", has_text="Abmelden").click()
    page.wait_for_load_state("load")
    assert "Sie sind abgemeldet." in flash_text(page), f"Abmelden ohne Bestätigung auf {page.url}"


def test_lead_invites_staff_who_sets_password_logs_in_and_switches_language(live_app, new_context):
    """lead@rastatt invites a person; the mail's link sets the password; the person logs in, goes English and back."""
    base = live_app.base_url
    suffix = uuid.uuid4().hex[:8]
    email, name, password = f"neu-{suffix}@rastatt.example", f"Nora Neu {suffix}", "Sicheres-Passwort-2026"

    page = new_context("lead@rastatt.example").new_page()
    page.goto(base + "/")
    nav_link(page, "Konten").click()
    assert page.url == base + "/kommunen/rastatt/konten", f"Navigation „Konten“ führte nach {page.url}"
    invite = page.locator("main form", has=page.locator("input[name=email]"))
    invite.get_by_label("Name").fill(name)
    invite.get_by_label("E-Mail-Adresse").fill(email)
    invite.get_by_label("Rolle").select_option("staff")
    sent_before = len(live_app.sink.messages)
    invite.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert f"Die Einladung an {email} ist unterwegs." in flash_text(page), f"keine Bestätigung: {flash_text(page)!r}"
    row = page.locator("main table tr", has_text=email)
    expect(row).to_contain_text("eingeladen")
    logout(page)

    mail = live_app.sink.wait_for(email, "Einladung ins Städtenetz: Rastatt", after=sent_before)
    assert "Digitalisierung Rastatt lädt Sie ins Städtenetz ein" in mail["text"], mail["text"]
    link = live_app.sink.link_in(mail)
    assert link.startswith(base + "/einladung/"), f"Einladungslink zeigt nicht auf die App: {link}"

    page.goto(link)
    expect(page.locator("main h1")).to_have_text("Einladung annehmen")
    expect(page.locator("main #name")).to_have_value(name)
    page.fill("main #password", password)
    page.fill("main #password2", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url == base + "/kommunen/rastatt", f"nach dem Einrichten nicht auf der Seite der Kommune: {page.url}"
    assert "Ihr Konto ist eingerichtet" in flash_text(page)
    logout(page)

    # the link is single-use
    page.goto(link)
    expect(page.locator("main h1")).not_to_have_text("Einladung annehmen")

    login_via_form(page, base, email, password)
    expect(page.locator("main h1")).to_have_text(f"Guten Tag, {name}")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.locator("a[href$='/konten']")).to_have_count(0)  # staff do not manage accounts

    # English through the profile form
    nav.get_by_role("link", name="Profil").click()
    page.locator("main select[name=language]").select_option("en")
    page.locator("main form", has=page.locator("select[name=language]")).locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main select[name=language]")).to_have_value("en")
    expect(page.locator("header .lang-switch button")).to_have_text("Deutsch")
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # kept for the session, not just one page

    # back to German through the header switch
    page.locator("header .lang-switch button").click()
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("header .lang-switch button")).to_have_text("English")
    expect(page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Profil")).to_be_visible()
    page.goto(base + "/profil")
    expect(page.locator("main select[name=language]")).to_have_value("de")  # stored in the profile


def test_coordinator_admits_city_and_first_lead_is_invited(live_app, new_context):
    """The coordinator fills „Kommune aufnehmen“; the city page exists and the first lead's invitation arrives."""
    base = live_app.base_url
    suffix = uuid.uuid4().hex[:6]
    city, lead_email = f"Waghäusel {suffix}", f"leitung-{suffix}@waghaeusel.example"

    page = new_context("koordination@staedtenetz.example").new_page()
    page.goto(base + "/")
    nav_link(page, "Kommune aufnehmen").click()
    expect(page.locator("main h1")).to_have_text("Kommune aufnehmen")
    page.locator("main #name").fill(city)
    page.locator("main #kind").select_option("grosse_kreisstadt")
    page.locator("main #district").fill("Landkreis Karlsruhe")
    page.locator("main #website").fill("https://www.waghaeusel.de")
    page.locator("main #population").fill("21000")
    page.locator("main #lead_name").fill("Wanda Waghäusel")
    page.locator("main #lead_email").fill(lead_email)
    sent_before = len(live_app.sink.messages)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")
    assert re.search(r"/kommunen/waghaeusel", page.url), f"nach dem Aufnehmen auf {page.url}, Meldung: {flash_text(page)!r}"
    expect(page.locator("main h1")).to_have_text(city)
    assert f"die Einladung an {lead_email} ist unterwegs" in flash_text(page), flash_text(page)

    mail = live_app.sink.wait_for(lead_email, f"Einladung ins Städtenetz: {city}", after=sent_before)
    assert "Digitalisierungsbeauftragte" in mail["text"] or "Leitung" in mail["text"], mail["text"]
    link = live_app.sink.link_in(mail)
    anon = new_context().new_page()
    anon.goto(link)
    expect(anon.locator("main h1")).to_have_text("Einladung annehmen")
    expect(anon.locator("main")).to_contain_text(city)
