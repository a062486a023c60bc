"""Login, logout, sessions, lockout."""

import sqlalchemy as sa

from network.accounts.models import LoginSession, LoginThrottle, User
from network.extensions import db
from tests.conftest import login, row_count


def test_login_and_dashboard(client, lead_a):
    resp = client.post("/anmelden", data={"email": "LEAD@Ettlingen.test", "password": "Richtig-Geheim-123"})
    assert resp.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Guten Tag, Lea Leitung" in page
    assert "Ihre nächsten Schritte" in page


def test_wrong_password_german_message_and_counter(client, lead_a):
    resp = client.post("/anmelden", data={"email": lead_a.email, "password": "falsch"})
    assert resp.status_code == 200
    assert "E-Mail-Adresse oder Passwort ist falsch." in resp.get_data(as_text=True)
    assert db.session.execute(sa.select(LoginThrottle.failures)).scalar_one() == 1  # kept despite the error
    assert row_count(LoginSession) == 0


def test_throttled_after_repeated_failures_same_address(client, lead_a, app):
    """The guesser's own address waits (even the right password is not tried there); the message stays generic."""
    for _ in range(app.config["LOGIN_THROTTLE_FREE_FAILURES"]):
        client.post("/anmelden", data={"email": lead_a.email, "password": "falsch"})
    resp = client.post("/anmelden", data={"email": lead_a.email, "password": "Richtig-Geheim-123"})
    assert "E-Mail-Adresse oder Passwort ist falsch." in resp.get_data(as_text=True)
    assert "gesperrt" not in resp.get_data(as_text=True)
    assert row_count(LoginSession) == 0


def test_unknown_email_same_message(client):
    resp = client.post("/anmelden", data={"email": "niemand@test.example", "password": "egal-egal-egal"})
    assert "E-Mail-Adresse oder Passwort ist falsch." in resp.get_data(as_text=True)


def test_logout_invalidates_old_cookie(app, lead_a):
    c = app.test_client()
    login(c, lead_a)
    cookie = c.get_cookie("staedtenetz_session", domain="staedtenetz.test").value
    assert c.get("/profil").status_code == 200
    assert c.post("/abmelden").status_code == 302
    replay = app.test_client()
    replay.set_cookie("staedtenetz_session", cookie, domain="staedtenetz.test")
    resp = replay.get("/profil")
    assert resp.status_code == 302 and "/anmelden" in resp.headers["Location"]


def test_deactivated_user_loses_session(app, client, lead_a, staff_a):
    other = app.test_client()
    login(other, staff_a)
    assert other.get("/profil").status_code == 200
    login(client, lead_a)
    resp = client.post(f"/kommunen/ettlingen/konten/{staff_a.id}/aktiv", data={"active": "0"})
    assert resp.status_code == 302
    assert other.get("/profil").status_code == 302
    assert client.post("/abmelden").status_code == 302
    resp = other.post("/anmelden", data={"email": staff_a.email, "password": "Richtig-Geheim-123"})
    assert "E-Mail-Adresse oder Passwort ist falsch." in resp.get_data(as_text=True)


def test_open_redirect_is_refused(client, lead_a):
    resp = client.post("/anmelden", data={"email": lead_a.email, "password": "Richtig-Geheim-123",
                                          "next": "//evil.example/x"})
    assert resp.headers["Location"] in ("/", "http://staedtenetz.test/")
