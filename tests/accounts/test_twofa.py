"""Issue #14: two-factor authentication (TOTP, recovery codes, second login step, REQUIRE_2FA_FOR, reset)."""

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from network.accounts import twofactor
from network.accounts.models import LoginSession, LoginThrottle, RecoveryCode, User
from network.core.models import AuditEvent, OutboxMessage
from network.extensions import db
from tests import factories
from tests.conftest import login

SETUP_SECRET = "twofa_setup_secret"


def _code(secret, steps=0):
    """The code of the current time step (+ steps)."""
    return pyotp.TOTP(secret).at(time.time() + steps * 30)


def _enable(user):
    """2FA on for a user through the service; returns (secret, recovery codes)."""
    secret = twofactor.new_secret()
    codes = twofactor.enable(user, secret, _code(secret, -1))
    db.session.commit()
    return secret, codes


def _password_step(client, user, ip="10.0.0.1"):
    resp = client.post("/anmelden", data={"email": user.email, "password": factories.PASSWORD},
                       environ_overrides={"REMOTE_ADDR": ip})
    assert resp.status_code == 302
    return resp


def _code_step(client, code, ip="10.0.0.1"):
    return client.post("/anmelden/code", data={"code": code}, environ_overrides={"REMOTE_ADDR": ip})


def _logged_in(client) -> bool:
    return client.get("/profil").status_code == 200


def _sessions(user) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(LoginSession)
                              .where(LoginSession.user_id == user.id)).scalar_one()


# --- setup in the profile ------------------------------------------------------------------------

def test_setup_shows_qr_from_our_origin_and_confirms_with_a_code(client, staff_a):
    login(client, staff_a)
    page = client.get("/profil/2fa").get_data(as_text=True)
    assert "<svg" in page and 'data-twofa-status="off"' in page
    assert "http" not in re.search(r"<svg.*?</svg>", page, re.S).group(0).replace("http://www.w3.org", "")
    with client.session_transaction() as s:
        secret = s[SETUP_SECRET]
    assert secret in page
    resp = client.post("/profil/2fa", data={"code": _code(secret)})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Die Zwei-Faktor-Anmeldung ist eingerichtet." in body
    codes = re.findall(r"<li><code>([0-9a-f-]{19})</code></li>", body)
    assert len(codes) == 10 and len(set(codes)) == 10
    db.session.expire_all()
    user = db.session.get(User, staff_a.id)
    assert user.totp_secret == secret
    stored = db.session.execute(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).scalars().all()
    assert len(stored) == 10 and not any(c.replace("-", "") in stored for c in codes)  # hashed, never plain
    # shown once: the status page lists no codes any more
    assert "data-recovery-codes" not in client.get("/profil/2fa").get_data(as_text=True)


@pytest.mark.parametrize("code", ["", "123", "abcdef", "000000x"])
def test_setup_refuses_a_wrong_code(client, staff_a, code):
    login(client, staff_a)
    client.get("/profil/2fa")
    with client.session_transaction() as s:
        secret = s[SETUP_SECRET]
    wrong = code or ("111111" if _code(secret) != "111111" else "222222")
    resp = client.post("/profil/2fa", data={"code": wrong})
    assert resp.status_code == 422
    assert "Der Code ist falsch oder abgelaufen." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, staff_a.id).totp_secret is None


def test_setup_without_a_pending_secret_is_refused(staff_a):
    with pytest.raises(twofactor.ValidationFailed) as exc:
        twofactor.enable(staff_a, None, "123456")
    assert "abgelaufen" in exc.value.errors["code"]


def test_setup_twice_is_a_conflict(staff_a):
    _enable(staff_a)
    with pytest.raises(twofactor.ValidationFailed) as exc:
        twofactor.enable(staff_a, twofactor.new_secret(), "123456")
    assert exc.value.status == 409


# --- the second login step -----------------------------------------------------------------------

def test_login_asks_for_the_code_and_logs_in_only_after_it(client, staff_a):
    secret, _codes = _enable(staff_a)
    resp = _password_step(client, staff_a)
    assert resp.headers["Location"].endswith("/anmelden/code")
    assert not _logged_in(client) and _sessions(staff_a) == 0
    resp = _code_step(client, _code(secret, 1))
    assert resp.status_code == 302 and _logged_in(client) and _sessions(staff_a) == 1


def test_the_same_totp_code_is_accepted_once(client, staff_a):
    secret, _codes = _enable(staff_a)
    code = _code(secret, 1)
    _password_step(client, staff_a)
    assert _code_step(client, code).status_code == 302
    client.post("/abmelden", data={})
    _password_step(client, staff_a)
    resp = _code_step(client, code)
    assert resp.status_code == 422 and "Der Code ist falsch." in resp.get_data(as_text=True)


def test_wrong_code_is_refused_with_a_german_message(client, staff_a):
    secret, _codes = _enable(staff_a)
    _password_step(client, staff_a)
    wrong = "000000" if _code(secret) != "000000" else "111111"
    resp = _code_step(client, wrong)
    assert resp.status_code == 422 and "Der Code ist falsch." in resp.get_data(as_text=True)
    assert not _logged_in(client)


def test_recovery_code_works_once(client, staff_a):
    _secret, codes = _enable(staff_a)
    _password_step(client, staff_a)
    assert _code_step(client, codes[3].upper()).status_code == 302  # case and dashes do not matter
    assert _logged_in(client)
    client.post("/abmelden", data={})
    _password_step(client, staff_a)
    resp = _code_step(client, codes[3])
    assert resp.status_code == 422 and not _logged_in(client)
    assert _code_step(client, codes[4]).status_code == 302


def test_pending_step_expires_after_five_minutes(client, staff_a, monkeypatch):
    secret, _codes = _enable(staff_a)
    _password_step(client, staff_a)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 301)
    code = pyotp.TOTP(secret).at(real() + 301)
    resp = _code_step(client, code)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/anmelden")
    assert not _logged_in(client)


def test_code_step_without_password_step_goes_back_to_login(client, staff_a):
    _enable(staff_a)
    resp = _code_step(client, "123456")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/anmelden")


def test_second_step_is_throttled_per_account_and_address(client, app, staff_a):
    secret, _codes = _enable(staff_a)
    free = app.config["LOGIN_THROTTLE_FREE_FAILURES"]
    _password_step(client, staff_a, ip="10.9.9.9")
    wrong = "000000" if _code(secret) != "000000" else "111111"
    for _i in range(free + 1):
        assert _code_step(client, wrong, ip="10.9.9.9").status_code == 422
    # now even the right code waits at this address
    resp = _code_step(client, _code(secret, 1), ip="10.9.9.9")
    assert resp.status_code == 422 and not _logged_in(client)
    row = db.session.execute(sa.select(LoginThrottle)).scalars().one()
    assert row.blocked_until is not None
    # the owner at another address is not slowed down by it
    other = app.test_client()
    _password_step(other, staff_a, ip="10.1.1.1")
    assert _code_step(other, _code(secret, 1), ip="10.1.1.1").status_code == 302


# --- status, new codes, switching off ------------------------------------------------------------

def test_regenerate_codes_needs_a_code_and_replaces_the_old_ones(client, staff_a):
    secret, old = _enable(staff_a)
    login_client = client
    _password_step(login_client, staff_a)
    _code_step(login_client, old[0])
    resp = client.post("/profil/2fa/codes", data={"codes-code": "12"})
    assert resp.status_code == 422 and "Der Code ist falsch oder abgelaufen." in resp.get_data(as_text=True)
    resp = client.post("/profil/2fa/codes", data={"codes-code": _code(secret, 1)})
    new = re.findall(r"<li><code>([0-9a-f-]{19})</code></li>", resp.get_data(as_text=True))
    assert resp.status_code == 200 and len(new) == 10
    db.session.expire_all()
    assert not twofactor._check_code(db.session.get(User, staff_a.id), old[1])


@pytest.mark.parametrize("password_ok, code_ok, field", [(False, True, "Das Passwort ist falsch."),
                                                         (True, False, "Der Code ist falsch oder abgelaufen."),
                                                         (False, False, "Das Passwort ist falsch.")])
def test_disable_needs_password_and_code(client, staff_a, password_ok, code_ok, field):
    secret, codes = _enable(staff_a)
    _password_step(client, staff_a)
    _code_step(client, codes[0])
    data = {"off-password": factories.PASSWORD if password_ok else "falsch-falsch",
            "off-code": _code(secret, 1) if code_ok else "999999x"}
    resp = client.post("/profil/2fa/aus", data=data)
    assert resp.status_code == 422 and field in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, staff_a.id).totp_secret == secret


def test_disable_with_password_and_code(client, staff_a):
    secret, codes = _enable(staff_a)
    _password_step(client, staff_a)
    _code_step(client, codes[0])
    resp = client.post("/profil/2fa/aus", data={"off-password": factories.PASSWORD, "off-code": _code(secret, 1)})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, staff_a.id).totp_secret is None
    assert db.session.execute(sa.select(sa.func.count()).select_from(RecoveryCode)).scalar_one() == 0


# --- REQUIRE_2FA_FOR -----------------------------------------------------------------------------

def test_required_role_is_sent_to_setup_and_can_do_nothing_else(client, app, lead_a, staff_a, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_2FA_FOR", ["coordinator", "lead"])
    login(client, lead_a)
    for path in ("/profil", "/n/readi/themen/", "/"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/profil/2fa"), path
    assert client.get("/profil/2fa").status_code == 200
    with client.session_transaction() as s:
        secret = s[SETUP_SECRET]
    assert client.post("/profil/2fa", data={"code": _code(secret)}).status_code == 200
    assert client.get("/profil").status_code == 200
    # staff is not in the list: not sent anywhere
    other = app.test_client()
    login(other, staff_a)
    assert other.get("/profil").status_code == 200


def test_required_for_default_is_off(app, coordinator, lead_a):
    assert app.config["REQUIRE_2FA_FOR"] == []
    assert not twofactor.required_for(coordinator) and not twofactor.required_for(lead_a)


# --- coordinator reset ---------------------------------------------------------------------------

def test_coordinator_resets_2fa_audited_and_mailed(client, coordinator, staff_a):
    _enable(staff_a)
    login(client, coordinator)
    resp = client.post(f"/konten/{staff_a.id}/2fa-zuruecksetzen", data={})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, staff_a.id).totp_secret is None
    assert db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "user.2fa_reset")).scalars().one()
    mail = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == staff_a.email)).scalars().one()
    assert "zurückgesetzt" in mail.body_text
    # nothing left to reset: a conflict
    assert client.post(f"/konten/{staff_a.id}/2fa-zuruecksetzen", data={}).status_code == 409


def test_lead_cannot_reset_2fa(client, lead_a, staff_a):
    _enable(staff_a)
    login(client, lead_a)
    assert client.post(f"/konten/{staff_a.id}/2fa-zuruecksetzen", data={}).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, staff_a.id).totp_secret is not None
