"""Issue #14 findings 2 and 3: no account enumeration by timing, throttling that strangers cannot turn against owners."""

import re
import statistics
import time

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import template_rendered

from network.accounts import models as account_models
from network.accounts.models import LoginSession, LoginThrottle, User
from network.core.models import OutboxMessage
from network.extensions import db
from tests import factories
from tests.conftest import row_count

GENERIC = "E-Mail-Adresse oder Passwort ist falsch."


def _post_login(client, email, password, ip):
    return client.post("/anmelden", data={"email": email, "password": password},
                       environ_overrides={"REMOTE_ADDR": ip})


@pytest.fixture
def real_argon2():
    """argon2id costly enough to dominate a request (the suite normally uses near-free parameters; the production
    defaults take over a second per try on the shared test machine)."""
    cheap = account_models._hasher
    account_models._hasher = PasswordHasher(time_cost=2, memory_cost=16384, parallelism=1)
    yield
    account_models._hasher = cheap


def test_unknown_email_costs_the_same_as_a_real_account(client, city_a, real_argon2):
    """Median time of 30 interleaved failed logins for real and unknown addresses differ by less than 20 %.

    Each try uses its own address and client, so that no throttling (or, before issue #14, lock-out) changes
    the work done; the hash has the same parameters for every account.
    """
    first = factories.make_user(city_a, "staff", email="echt0@ettlingen.test", password=None)
    first.set_password(factories.PASSWORD)
    for i in range(1, 30):
        factories.make_user(city_a, "staff", email=f"echt{i}@ettlingen.test", password=None,
                            password_hash=first.password_hash)
    db.session.commit()
    _post_login(client, "warmup@ettlingen.test", "x", "10.200.0.1")  # the dummy hash is made once per process
    known, unknown = [], []
    for i in range(30):
        for email, times in ((f"echt{i}@ettlingen.test", known), (f"niemand{i}@ettlingen.test", unknown)):
            start = time.perf_counter()
            resp = _post_login(client, email, "Falsch-Falsch-1", f"10.{len(times)}.{i}.{len(email)}")
            times.append(time.perf_counter() - start)
            assert resp.status_code == 200
    k, u = statistics.median(known), statistics.median(unknown)
    assert abs(k - u) / max(k, u) < 0.2, (k, u)


def test_invited_and_inactive_accounts_verify_a_real_hash(city_a, monkeypatch):
    """Accounts without a usable password run one argon2 verification too (counted, not timed)."""
    calls = []

    class Counting(PasswordHasher):
        def verify(self, hash, password):
            calls.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(account_models, "_hasher", Counting(time_cost=1, memory_cost=1024, parallelism=1))
    from network.accounts.services import LoginFailed, authenticate
    invited = factories.make_user(city_a, "staff", email="neu@ettlingen.test", password=None)
    inactive = factories.make_user(city_a, "staff", email="alt@ettlingen.test", active=False)
    db.session.commit()
    for email in (invited.email, inactive.email, "niemand@ettlingen.test"):
        with pytest.raises(LoginFailed):
            authenticate(email, factories.PASSWORD, "10.0.0.1")
    assert len(calls) == 3 and all(h.startswith("$argon2") for h in calls)


def test_reset_request_does_equal_work_for_unknown_addresses(client, lead_a, count_queries):
    """The reset mail is rendered for an unknown address too (and then dropped); no mail is queued for it."""
    rendered = []

    def note(sender, template, context, **extra):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        for email in (lead_a.email, "niemand@ettlingen.test"):
            rendered.clear()
            with count_queries() as statements:
                assert client.post("/passwort-vergessen", data={"email": email}).status_code == 302
            if email == lead_a.email:
                known, known_statements = list(rendered), len(statements)
    finally:
        template_rendered.disconnect(note)
    assert rendered == known and "emails/reset.txt" in rendered
    assert abs(len(statements) - known_statements) <= 2  # the token and the outbox row of the real account
    assert db.session.execute(sa.select(OutboxMessage.recipient)).scalars().all() == [lead_a.email]


def test_stranger_cannot_lock_out_the_owner(client, lead_a, app):
    for _ in range(app.config["LOGIN_THROTTLE_FREE_FAILURES"] + 7):
        resp = _post_login(client, lead_a.email, "geraten-123456", "203.0.113.66")
        assert GENERIC in resp.get_data(as_text=True) and "gesperrt" not in resp.get_data(as_text=True)
    # the stranger's address waits: even the right password is not tried there
    resp = _post_login(client, lead_a.email, factories.PASSWORD, "203.0.113.66")
    assert resp.status_code == 200 and GENERIC in resp.get_data(as_text=True)
    # the owner at another address gets in at once
    assert _post_login(client, lead_a.email, factories.PASSWORD, "198.51.100.7").status_code == 302
    assert row_count(LoginSession) == 1


def test_waits_grow_and_unknown_addresses_behave_alike(client, lead_a, app):
    free = app.config["LOGIN_THROTTLE_FREE_FAILURES"]
    waits = {}
    for email in (lead_a.email, "niemand@ettlingen.test"):
        seen = []
        for n in range(free + 3):
            db.session.execute(sa.update(LoginThrottle).values(blocked_until=None))  # as if the wait had passed
            db.session.commit()
            body = _post_login(client, email, "falsch-falsch", "192.0.2.5").get_data(as_text=True)
            assert GENERIC in body and "gesperrt" not in body
            row = db.session.execute(sa.select(LoginThrottle).order_by(LoginThrottle.updated_at.desc())).scalars().first()
            db.session.refresh(row)
            seen.append(None if row.blocked_until is None else round((row.blocked_until - row.updated_at).total_seconds()))
        waits[email] = seen
    assert waits[lead_a.email] == waits["niemand@ettlingen.test"]
    grown = [w for w in waits[lead_a.email] if w]
    assert waits[lead_a.email][:free - 1] == [None] * (free - 1) and grown == sorted(grown) and grown[-1] > grown[0]


def test_inactive_and_unknown_accounts_get_the_same_message(client, city_a):
    factories.make_user(city_a, "staff", email="alt@ettlingen.test", active=False)
    db.session.commit()
    bodies = [_post_login(client, e, factories.PASSWORD, "192.0.2.9").get_data(as_text=True)
              for e in ("alt@ettlingen.test", "niemand@ettlingen.test")]
    messages = [re.findall(r"E-Mail-Adresse oder Passwort[^<]*", b) for b in bodies]
    assert messages[0] == messages[1] and messages[0]


def test_reset_link_always_works_and_ends_the_wait(client, lead_a, app):
    for _ in range(app.config["LOGIN_THROTTLE_FREE_FAILURES"] + 3):
        _post_login(client, lead_a.email, "geraten-123456", "203.0.113.66")
    client.post("/passwort-vergessen", data={"email": lead_a.email}, environ_overrides={"REMOTE_ADDR": "203.0.113.66"})
    mail = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == lead_a.email)).scalar_one()
    link = re.search(r"http://staedtenetz\.test(/passwort-zuruecksetzen/\S+)", mail.body_text).group(1)
    resp = client.post(link, data={"password": "Ganz-Neu-Geheim-9", "password2": "Ganz-Neu-Geheim-9"},
                       environ_overrides={"REMOTE_ADDR": "203.0.113.66"})
    assert resp.status_code == 302
    assert _post_login(client, lead_a.email, "Ganz-Neu-Geheim-9", "203.0.113.66").status_code == 302
    assert db.session.get(User, lead_a.id).last_login_at is not None
