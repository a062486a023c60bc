"""The real app starts (gunicorn, scheduler, SMTP sink) and delivers mail through the outbox."""

import pytest

# the real stack (gunicorn, scheduler, SMTP) on the production database too
pytestmark = [pytest.mark.e2e, pytest.mark.both_databases]


def test_password_reset_mail_arrives_through_scheduler(live_app, browser):
    page = browser.new_page()
    page.goto(live_app.base_url + "/passwort-vergessen")
    page.fill("#email", "staff@bretten.example")
    page.click("button[type=submit] >> text=Link anfordern")
    mail = live_app.sink.wait_for("staff@bretten.example", "Passwort")
    link = live_app.sink.link_in(mail)
    assert link.startswith(live_app.base_url + "/passwort-zuruecksetzen/")
    page.goto(link)
    page.fill("#password", "Ganz-Neues-Passwort-1")
    page.fill("#password2", "Ganz-Neues-Passwort-1")
    page.click("main button[type=submit]")
    assert "Ihr Passwort wurde geändert" in page.content()
    page.close()
