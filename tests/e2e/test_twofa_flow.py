"""Issue #14: two-factor authentication in Chromium — set up with the QR page's secret, log in with a code and
with a recovery code (used once), refused with a wrong code; finally switched off again (password and code)."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.crawl import login_via_form
from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.test_flows import flash_text, logout

pytestmark = pytest.mark.e2e

#: no other e2e test logs in as this demo account; the test switches 2FA off again at the end
EMAIL = "staff@ettlingen.example"


def _password_step(page, base):
    login_via_form(page, base, EMAIL, DEMO_PASSWORD)
    assert page.url == base + "/anmelden/code", f"nach dem Passwort keine Code-Abfrage: {page.url}"
    expect(page.locator("main h1")).to_have_text("Anmelden: Code eingeben")


def _send_code(page, code):
    page.fill("main input[name=code]", code)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def test_two_factor_setup_and_login_with_code_and_recovery_code(live_app, new_context):
    """Set up with the secret under the QR code, then log in with a TOTP code, a recovery code (once) and a wrong code."""
    base = live_app.base_url
    page = new_context(EMAIL).new_page()
    page.goto(base + "/profil")
    page.get_by_role("link", name="Zwei-Faktor-Anmeldung").click()
    expect(page.locator("main [data-twofa-status]")).to_contain_text("ausgeschaltet")
    qr = page.locator("main .qr-code svg")
    expect(qr).to_be_visible()
    assert "QR-Code" in qr.inner_html()  # the SVG carries a title for screen readers
    secret = page.locator("main [data-totp-secret]").inner_text().strip()
    totp = pyotp.TOTP(secret)
    _send_code(page, totp.now())
    assert "Die Zwei-Faktor-Anmeldung ist eingerichtet." in flash_text(page)
    codes = page.locator("main [data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10, codes
    page.goto(base + "/profil/2fa")
    expect(page.locator("main [data-twofa-status]")).to_contain_text("eingeschaltet")
    expect(page.locator("main [data-recovery-codes]")).to_have_count(0)  # shown once only
    logout(page)

    # a code from the app (the next time step: the one used for the setup is spent)
    _password_step(page, base)
    _send_code(page, totp.at(time.time() + 30))
    assert page.url == base + "/", f"Anmeldung mit Code gescheitert: {page.url} {flash_text(page)!r}"
    logout(page)

    # a recovery code works once
    _password_step(page, base)
    _send_code(page, codes[0])
    assert page.url == base + "/", f"Anmeldung mit Wiederherstellungscode gescheitert: {page.url}"
    logout(page)
    _password_step(page, base)
    _send_code(page, codes[0])
    assert page.url == base + "/anmelden/code"
    expect(page.locator("main")).to_contain_text("Der Code ist falsch.")

    # a wrong code is refused
    wrong = "000000" if totp.now() != "000000" else "111111"
    _send_code(page, wrong)
    assert page.url == base + "/anmelden/code"
    expect(page.locator("main")).to_contain_text("Der Code ist falsch.")
    expect(page.locator("main input[name=code]")).to_have_attribute("aria-invalid", "true")

    # back to normal for the other tests: switch off with password and a (recovery) code
    _send_code(page, codes[1])
    assert page.url == base + "/"
    page.goto(base + "/profil/2fa")
    page.fill("main #off-password", DEMO_PASSWORD)
    page.fill("main #off-code", codes[2])
    page.locator("main form", has=page.locator("#off-password")).locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "Die Zwei-Faktor-Anmeldung ist abgeschaltet." in flash_text(page)
    expect(page.locator("main [data-twofa-status]")).to_contain_text("ausgeschaltet")
