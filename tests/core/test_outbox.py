"""Outbox: same transaction as the cause, retries with backoff, each message sent once."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from network.accounts.models import User
from network.accounts.services import invite_user
from network.core.models import OutboxMessage, utcnow
from network.core.outbox import deliver_outbox, queue_mail
from network.core.validation import ValidationFailed
from network.extensions import db
from tests.conftest import row_count


def test_failed_change_rolls_back_its_message(lead_a, city_a):
    invite_user(lead_a, city_a, email="ok@ettlingen.test", name="Ok", role="staff")
    db.session.rollback()  # the request failed after the service ran
    assert row_count(OutboxMessage) == 0 and row_count(User) == 1


def test_invalid_change_writes_no_message(lead_a, city_a):
    with pytest.raises(ValidationFailed):
        invite_user(lead_a, city_a, email="kaputt", name="X", role="staff")
    db.session.rollback()
    assert row_count(OutboxMessage) == 0


def test_delivery_sends_once(lead_a, city_a, outbox):
    invite_user(lead_a, city_a, email="neu@ettlingen.test", name="Neu", role="staff")
    db.session.commit()
    assert deliver_outbox()["sent"] == 1
    assert deliver_outbox()["sent"] == 0
    assert len(outbox) == 1 and outbox[0].to == ["neu@ettlingen.test"]
    msg = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert msg.status == "sent" and msg.sent_at is not None and msg.attempts == 1


def test_failure_is_retried_with_backoff_then_sent_once(app, city_a, outbox, monkeypatch):
    queue_mail("x@ettlingen.test", "reset", subject="Test", user=type("U", (), {"name": "X"})(), link="http://x")
    db.session.commit()
    from flask_mailman.message import EmailMessage
    real_send = EmailMessage.send
    calls = {"n": 0}

    def flaky(self, fail_silently=False):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("SMTP nicht erreichbar")
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    assert deliver_outbox() == {"sent": 0, "failed": 0, "retry": 1}
    msg = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert msg.status == "pending" and msg.attempts == 1 and "SMTP" in msg.last_error
    assert msg.next_attempt_at > utcnow() + timedelta(seconds=20)
    assert deliver_outbox()["sent"] == 0  # not due yet
    msg.next_attempt_at = utcnow()
    db.session.commit()
    assert deliver_outbox()["sent"] == 1
    assert deliver_outbox()["sent"] == 0
    assert len(outbox) == 1


def test_gives_up_after_max_attempts(app, outbox, monkeypatch):
    queue_mail("x@ettlingen.test", "reset", subject="Test", user=type("U", (), {"name": "X"})(), link="http://x")
    db.session.commit()
    from flask_mailman.message import EmailMessage
    monkeypatch.setattr(EmailMessage, "send", lambda self, fail_silently=False: (_ for _ in ()).throw(OSError("down")))
    for _ in range(app.config["OUTBOX_MAX_ATTEMPTS"]):
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        deliver_outbox()
    msg = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert msg.status == "failed" and msg.attempts == app.config["OUTBOX_MAX_ATTEMPTS"]


def test_idempotency_key_queues_once(app):
    kw = dict(subject="S", user=type("U", (), {"name": "X"})(), link="http://x")
    assert queue_mail("a@ettlingen.test", "reset", key="k1", **kw) is not None
    db.session.commit()
    assert queue_mail("a@ettlingen.test", "reset", key="k1", **kw) is None
    assert row_count(OutboxMessage) == 1
