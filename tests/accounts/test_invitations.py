"""Invitations (72 h, single use), password reset (1 h, single use), bad inputs."""

from datetime import timedelta

import re

import sqlalchemy as sa

from network.accounts.models import User, UserToken
from network.core.models import OutboxMessage, utcnow
from network.extensions import db
from tests.conftest import row_count


def _link(msg_body: str) -> str:
    return re.search(r"http://staedtenetz\.test(/\S+)", msg_body).group(1)


def _last_mail(to):
    return db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == to)
                              .order_by(OutboxMessage.id.desc())).scalars().first()


def test_lead_invites_staff_who_accepts_and_lands_on_city(client, login_as, lead_a):
    login_as(lead_a)
    resp = client.post("/kommunen/ettlingen/konten", data={"name": "Neu Person", "email": "Neu@Ettlingen.test", "role": "staff"})
    assert resp.status_code == 302
    user = db.session.execute(sa.select(User).where(User.email == "neu@ettlingen.test")).scalar_one()
    assert user.is_invited and user.municipality.slug == "ettlingen"
    mail = _last_mail("neu@ettlingen.test")
    assert "72 Stunden" in mail.body_text and mail.status == "pending"
    link = _link(mail.body_text)
    client.post("/abmelden")
    page = client.get(link)
    assert page.status_code == 200 and "Ettlingen" in page.get_data(as_text=True)
    resp = client.post(link, data={"name": "Neu Person", "password": "Sehr-Geheim-2026", "password2": "Sehr-Geheim-2026"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/kommunen/ettlingen")
    assert client.get("/profil").status_code == 200
    # single use
    client.post("/abmelden")
    again = client.get(link)
    assert again.status_code == 410 and "bereits verwendet" in again.get_data(as_text=True)


def test_expired_invitation_is_refused(client, login_as, lead_a):
    login_as(lead_a)
    client.post("/kommunen/ettlingen/konten", data={"name": "Alt", "email": "alt@ettlingen.test", "role": "staff"})
    link = _link(_last_mail("alt@ettlingen.test").body_text)
    db.session.execute(sa.update(UserToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    client.post("/abmelden")
    resp = client.post(link, data={"name": "Alt", "password": "Sehr-Geheim-2026", "password2": "Sehr-Geheim-2026"})
    assert resp.status_code == 410 and "abgelaufen" in resp.get_data(as_text=True)
    user = db.session.execute(sa.select(User).where(User.email == "alt@ettlingen.test")).scalar_one()
    assert user.password_hash is None


def test_accept_with_bad_passwords_keeps_nothing(client, login_as, lead_a):
    login_as(lead_a)
    client.post("/kommunen/ettlingen/konten", data={"name": "Kurz", "email": "kurz@ettlingen.test", "role": "staff"})
    link = _link(_last_mail("kurz@ettlingen.test").body_text)
    client.post("/abmelden")
    resp = client.post(link, data={"name": "Kurz", "password": "kurz", "password2": "kurz"})
    assert resp.status_code == 422 and "mindestens 10 Zeichen" in resp.get_data(as_text=True)
    resp = client.post(link, data={"name": "Kurz", "password": "Lang-genug-123", "password2": "anders-anders-1"})
    assert "stimmen nicht überein" in resp.get_data(as_text=True)
    resp = client.post(link, data={"name": "", "password": "Lang-genug-123", "password2": "Lang-genug-123"})
    assert "Bitte geben Sie den Namen an." in resp.get_data(as_text=True)
    assert db.session.execute(sa.select(User.password_hash).where(User.email == "kurz@ettlingen.test")).scalar() is None


def test_invite_bad_inputs(client, login_as, lead_a, staff_a):
    login_as(lead_a)
    users_before, mails_before = row_count(User), row_count(OutboxMessage)
    cases = [
        ({"name": "", "email": "x@ettlingen.test", "role": "staff"}, "Bitte geben Sie den Namen an."),
        ({"name": "x" * 121, "email": "x@ettlingen.test", "role": "staff"}, "höchstens 120 Zeichen"),
        ({"name": "X", "email": "keine-adresse", "role": "staff"}, "gültige E-Mail-Adresse"),
        ({"name": "X", "email": "", "role": "staff"}, "Bitte geben Sie eine E-Mail-Adresse an."),
        ({"name": "X", "email": "STAFF@ettlingen.test", "role": "staff"}, "bereits ein Konto"),
        ({"name": "X", "email": "x@ettlingen.test", "role": "admin"}, "gültigen Wert"),
    ]
    for data, message in cases:
        resp = client.post("/kommunen/ettlingen/konten", data=data)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 422, data
        assert message in body, (data, message)
        if data["name"]:
            assert 'value="' + data["name"][:20] in body  # input kept
    assert row_count(User) == users_before and row_count(OutboxMessage) == mails_before


def test_lead_of_other_city_cannot_manage(client, login_as, lead_b, staff_a):
    login_as(lead_b)
    users_before = row_count(User)
    assert client.post("/kommunen/ettlingen/konten", data={"name": "X", "email": "x@x.test", "role": "staff"}).status_code == 404
    assert client.post(f"/kommunen/ettlingen/konten/{staff_a.id}/rolle", data={"role": "lead"}).status_code == 404
    assert client.post(f"/kommunen/ettlingen/konten/{staff_a.id}/aktiv", data={"active": "0"}).status_code == 404
    # own city's URL with another city's user id
    assert client.post(f"/kommunen/buehl/konten/{staff_a.id}/rolle", data={"role": "lead"}).status_code == 404
    assert client.post(f"/kommunen/buehl/konten/{staff_a.id}/aktiv", data={"active": "0"}).status_code == 404
    db.session.expire_all()
    staff = db.session.get(User, staff_a.id)
    assert staff.role == "staff" and staff.active and row_count(User) == users_before


def test_role_change_and_self_protection(client, login_as, lead_a, staff_a):
    login_as(lead_a)
    assert client.post(f"/kommunen/ettlingen/konten/{staff_a.id}/rolle", data={"role": "lead"}).status_code == 302
    assert db.session.get(User, staff_a.id).role == "lead"
    resp = client.post(f"/kommunen/ettlingen/konten/{lead_a.id}/rolle", data={"role": "staff"}, follow_redirects=True)
    assert "nicht selbst die Leitungsrolle entziehen" in resp.get_data(as_text=True)
    assert db.session.get(User, lead_a.id).role == "lead"
    resp = client.post(f"/kommunen/ettlingen/konten/{lead_a.id}/aktiv", data={"active": "0"}, follow_redirects=True)
    assert "eigenes Konto nicht deaktivieren" in resp.get_data(as_text=True)
    assert db.session.get(User, lead_a.id).active


def test_password_reset_flow_single_use_and_expiry(client, staff_a):
    resp = client.post("/passwort-vergessen", data={"email": "STAFF@ettlingen.test"})
    assert resp.status_code == 302
    mail = _last_mail("staff@ettlingen.test")
    link = _link(mail.body_text)
    resp = client.post(link, data={"password": "Neues-Passwort-99", "password2": "Neues-Passwort-99"})
    assert resp.status_code == 302
    assert client.post("/anmelden", data={"email": staff_a.email, "password": "Neues-Passwort-99"}).status_code == 302
    client.post("/abmelden")
    again = client.post(link, data={"password": "Noch-Eins-12345", "password2": "Noch-Eins-12345"})
    assert again.status_code == 410
    # expiry after 1 hour
    client.post("/passwort-vergessen", data={"email": staff_a.email})
    link2 = _link(_last_mail("staff@ettlingen.test").body_text)
    db.session.execute(sa.update(UserToken).where(UserToken.used_at.is_(None)).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(link2).status_code == 410


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client):
    resp = client.post("/passwort-vergessen", data={"email": "niemand@test.example"}, follow_redirects=True)
    assert "Wenn ein Konto mit dieser Adresse existiert" in resp.get_data(as_text=True)
    assert row_count(OutboxMessage) == 0


def test_reset_ends_all_sessions(app, client, staff_a):
    other = app.test_client()
    other.post("/anmelden", data={"email": staff_a.email, "password": "Richtig-Geheim-123"})
    assert other.get("/profil").status_code == 200
    client.post("/passwort-vergessen", data={"email": staff_a.email})
    link = _link(_last_mail(staff_a.email).body_text)
    client.post(link, data={"password": "Neues-Passwort-99", "password2": "Neues-Passwort-99"})
    assert other.get("/profil").status_code == 302
