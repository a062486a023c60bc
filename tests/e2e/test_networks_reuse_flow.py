"""Issue #16 in Chromium, on the live demo's two networks (re@di and Neckar-Erft, Ettlingen in both):

1. Ettlingen's lead switches to Neckar-Erft in the header, claims the lead of the open topic
   "Mobilitätsplattform" there, Neckar-Erft's coordination confirms it; the topic page shows Ettlingen as lead and
   re@di's topic list does not know the topic.
2. A practice Ettlingen publishes with visibility "Netzwerk" is read by a lead of Esslingen (Neckar-Erft only) and
   by a lead of Bruchsal (re@di only). The demo has no city of neither network; that case is
   tests/practices/test_network_visibility.py.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import nav_link
from tests.e2e.test_flows import flash_text
from tests.e2e.test_networks_flow import _switch_to

pytestmark = pytest.mark.e2e

NECKAR_ERFT = "Digitale Zukunftskommunen Neckar-Erft (Beispieldaten)"
NORD_COORDINATOR = "koordination-nord@staedtenetz.example"
TOPIC, TOPIC_SLUG = "Mobilitätsplattform", "mobilitaetsplattform"


def test_ettlingen_leads_a_topic_in_its_second_network_only(live_app, new_context):
    base = live_app.base_url
    topic_url = f"{base}/n/neckar-erft/themen/{TOPIC_SLUG}"

    lead = new_context("lead@ettlingen.example").new_page()
    lead.goto(base + "/")
    _switch_to(lead, NECKAR_ERFT)
    nav_link(lead, "Themen").click()
    lead.wait_for_load_state("load")
    assert lead.url.startswith(f"{base}/n/neckar-erft/themen"), lead.url
    lead.locator("main a", has_text=TOPIC).first.click()
    lead.wait_for_load_state("load")
    assert lead.url == topic_url, lead.url
    expect(lead.locator("#h-lead + dl")).to_contain_text("ohne Federführung")
    lead.fill("#claim-note", "Ettlingen bringt die Erfahrung aus re@di mit.")
    with lead.expect_navigation():
        lead.click("main button:has-text('Federführung übernehmen')")
    assert "Die Federführung ist beantragt" in flash_text(lead), flash_text(lead)
    expect(lead.locator("#h-lead + dl")).to_contain_text("beantragt von Ettlingen – wartet auf Bestätigung")

    # Neckar-Erft's coordination (not re@di's) confirms
    coord = new_context(NORD_COORDINATOR).new_page()
    coord.goto(topic_url)
    with coord.expect_navigation():
        coord.click("main button:has-text('Bestätigen')")
    assert "Der Antrag wurde bestätigt." in flash_text(coord), flash_text(coord)

    lead.reload()
    lead_dd = lead.locator("#h-lead + dl .kern-description-list-item", has_text="Federführende Kommune")
    expect(lead_dd).to_contain_text("Ettlingen")
    # re@di's topic list does not show Neckar-Erft's topic
    lead.goto(base + "/n/readi/themen/")
    expect(lead.locator("main")).to_contain_text("e-Akte")
    assert TOPIC not in lead.locator("main").inner_text()


def test_network_practice_of_ettlingen_is_read_in_both_of_its_networks(live_app, new_context):
    base = live_app.base_url
    title = "Schul-WLAN gemeinsam ausschreiben"

    author = new_context("lead@ettlingen.example").new_page()
    author.goto(base + "/praxis/neu")
    author.fill("#title", title)
    author.fill("#summary", "Eine Ausschreibung für das WLAN aller Schulen.")
    author.fill("#solution", "Ein Rahmenvertrag mit Losen je Schulträger.")
    author.select_option("#visibility", "network")
    with author.expect_navigation():
        author.click("main button:has-text('Speichern')")
    assert "ist gespeichert" in flash_text(author), flash_text(author)
    with author.expect_navigation():
        author.click("main button:has-text('Veröffentlichen')")
    expect(author.locator("main h1")).to_have_text("Praxisbericht veröffentlichen?")  # the confirmation names the audience
    with author.expect_navigation():
        author.click("main button:has-text('Ja, jetzt veröffentlichen')")
    assert "Der Praxisbericht ist veröffentlicht." in flash_text(author), flash_text(author)
    url = author.url

    # a lead of Esslingen (Neckar-Erft only) finds it in the list
    esslingen = new_context("lead@esslingen-am-neckar.example").new_page()
    esslingen.goto(base + "/praxis/")
    esslingen.locator("main a", has_text=title).first.click()
    esslingen.wait_for_load_state("load")
    assert esslingen.url == url, esslingen.url
    expect(esslingen.locator("main h1")).to_have_text(title)

    # a lead of Bruchsal (re@di only) reads it too
    bruchsal = new_context("lead@bruchsal.example").new_page()
    response = bruchsal.goto(url)
    assert response.status == 200
    expect(bruchsal.locator("main h1")).to_have_text(title)
