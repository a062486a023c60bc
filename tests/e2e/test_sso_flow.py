"""Issue #18 in Chromium: Ettlingen's lead registers the city's identity provider (a real oidc-provider on
loopback); a staff member types the work address on our login page, logs in on the provider's own login page and
lands here logged in, in Ettlingen, as staff; logging out ends the provider's session too."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.test_accessibility import run_axe
from tests.e2e.test_flows import flash_text
from tests.idp import CLIENT_ID, CLIENT_SECRET, OidcProvider

pytestmark = pytest.mark.e2e

#: a domain no other test uses: the demo accounts (@ettlingen.example) keep their password login
DOMAIN = "verwaltung.ettlingen.example"
EMAIL = f"mia.muster@{DOMAIN}"


@pytest.fixture(scope="module")
def city_idp(live_app):
    provider = OidcProvider([f"{live_app.base_url}/anmelden/sso/ettlingen/rueckruf"], [f"{live_app.base_url}/"],
                            accounts={EMAIL: {"name": "Mia Muster", "groups": ["verwaltung"]}}).start()
    yield provider
    provider.stop()


def test_staff_of_ettlingen_logs_in_through_the_citys_identity_provider(live_app, new_context, city_idp, axe_source):
    base = live_app.base_url
    # the lead registers the provider on the city's settings page
    lead = new_context("lead@ettlingen.example", DEMO_PASSWORD).new_page()
    lead.goto(base + "/kommunen/ettlingen")
    lead.get_by_role("link", name="Anmeldung über die eigene Verwaltung").click()
    expect(lead.locator("#redirect-uri")).to_have_text(f"{base}/anmelden/sso/ettlingen/rueckruf")
    assert run_axe(lead, axe_source) == []
    lead.fill("main input[name=issuer]", city_idp.issuer)
    lead.fill("main input[name=client_id]", CLIENT_ID)
    lead.fill("main input[name=client_secret]", CLIENT_SECRET)
    lead.fill("main input[name=scopes]", "openid email profile groups")
    lead.fill("main textarea[name=role_map]", "staedtenetz-leitung = lead")
    lead.fill("main textarea[name=domains]", DOMAIN)
    lead.click("main button[type=submit]")
    lead.wait_for_load_state("load")
    assert "ist gespeichert" in flash_text(lead), lead.content()[:2000]
    assert run_axe(lead, axe_source) == []

    # a staff member: email first, then the provider's own login page
    page = new_context().new_page()
    page.goto(base + "/anmelden")
    page.fill("main input[name=email]", EMAIL)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{city_idp.issuer}/interaction/**")
    expect(page.locator("input[name=login]")).to_have_value(EMAIL)  # our login_hint
    page.fill("input[name=password]", "beliebig")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/**")
    page.wait_for_load_state("load")
    assert "Willkommen" not in flash_text(page), "no welcome banner on a login (issue #21 item 10)"
    assert "/anmelden" not in page.url, page.content()[:2000]
    page.goto(base + "/profil")
    expect(page.locator("main input[name=name]")).to_have_value("Mia Muster")

    # the lead sees the new account in the city, as staff
    lead.goto(base + "/kommunen/ettlingen/konten")
    expect(lead.locator("main")).to_contain_text("Mia Muster")

    # logout: our session ends, then the provider's (it asks to confirm), and the browser comes back to us
    page.locator("nav button[type=submit]", has_text="Abmelden").click()
    page.wait_for_url(f"{city_idp.issuer}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{base}/**")
    page.goto(base + "/profil")
    assert "/anmelden" in page.url
    # the provider forgot the session: the next login shows its login page again
    page.goto(base + "/anmelden")
    page.fill("main input[name=email]", EMAIL)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{city_idp.issuer}/interaction/**")
    expect(page.locator("input[name=password]")).to_be_visible()
    # a refused answer (here: a state that no login of this browser started) is a German page that passes axe
    page.goto(base + "/anmelden/sso/ettlingen/rueckruf?code=x&state=fremd")
    expect(page.locator("main h1")).to_have_text("Anmeldung abgelehnt")
    assert run_axe(page, axe_source) == []
