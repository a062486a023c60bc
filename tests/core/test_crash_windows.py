"""Issue #15, finding 5: kill -9 of a real process inside each mail job's crash window.

* Outbox: killed after the SMTP server received the message but before "sent" was recorded. The message stays
  "sending" (attempt time and count recorded before the handshake), is not re-sent within
  OUTBOX_SENDING_GRACE_SECONDS, and afterwards goes out again with the same Message-ID: at least once.
* Reminders (meetings) and digests (interest) write their ledger row in the same transaction as the outbox
  mail: killed before or after a commit, a rerun queues every mail exactly once.
"""

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from network.core.models import OutboxMessage, utcnow
from network.core.outbox import deliver_outbox, queue_mail
from network.extensions import db
from tests.conftest import free_port
from tests.interest.conftest import topics  # noqa: F401  (fixtures)
from tests.interest.test_digest import MONDAY, followed  # noqa: F401
from tests.live import ROOT
from tests.meetings.conftest import fachgruppe  # noqa: F401
from tests.meetings.test_reminders import soon  # noqa: F401

pytestmark = pytest.mark.slow


def reminder_job():
    """The meetings reminder job, wherever the restructuring puts it."""
    try:
        from network.meetings.tasks import send_reminders
    except ImportError:
        from network.meetings.services import send_reminders
    return send_reminders


def digest_job():
    """The interest digest job, wherever the restructuring puts it."""
    try:
        from network.interest.services import send_weekly_digests
    except ImportError:
        from network.interest.tasks import send_weekly_digests
    return send_weekly_digests


class _HoldingSink:
    """An SMTP server that receives a message, then keeps the client waiting for the final 250."""

    def __init__(self):
        self.received = []
        self.got_one = threading.Event()
        self.release = threading.Event()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope.content)
        self.got_one.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        return "250 OK"


def _env(database_url, **extra):
    env = dict(os.environ, DATABASE_URL=database_url, STAEDTENETZ_SECRET_KEY="crash",
               STAEDTENETZ_SERVER_NAME="staedtenetz.test", STAEDTENETZ_MAIL_BACKEND="locmem",
               STAEDTENETZ_RATELIMIT_ENABLED="false", PYTHONPATH=ROOT)
    env.update(extra)
    return env


def _message_id_of(raw: bytes) -> str:
    import email
    return email.message_from_bytes(raw)["Message-ID"]


def test_outbox_killed_between_handshake_and_record_resends_after_grace_with_the_same_message_id(
        app, database_url, outbox):
    queue_mail("a@ettlingen.test", "reset", subject="Passwort", user=type("U", (), {"name": "A"})(), link="http://x")
    db.session.commit()
    sink = _HoldingSink()
    sink.controller.start()
    proc = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "wsgi", "network", "send-mail"],
        cwd=ROOT, env=_env(database_url, STAEDTENETZ_MAIL_BACKEND="smtp", STAEDTENETZ_MAIL_PORT=str(sink.port)),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        assert sink.got_one.wait(90), proc.communicate(timeout=5)[0] if proc.poll() is not None else "no mail"
        os.kill(proc.pid, signal.SIGKILL)  # the SMTP server has the message; the sender never records it
        proc.wait(timeout=30)
    finally:
        sink.release.set()
        time.sleep(0.2)
        sink.controller.stop()
    assert proc.returncode == -signal.SIGKILL
    db.session.expire_all()
    msg = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert msg.status == "sending" and msg.attempts == 1 and msg.claimed_at is not None and msg.sent_at is None
    # within the grace period nobody sends it again (the first copy may well have arrived)
    assert deliver_outbox() == {"sent": 0, "failed": 0, "retry": 0} and outbox == []
    grace = app.config["OUTBOX_SENDING_GRACE_SECONDS"]
    db.session.execute(sa.update(OutboxMessage).values(claimed_at=utcnow() - timedelta(seconds=grace - 30)))
    db.session.commit()
    assert deliver_outbox()["sent"] == 0
    # after the grace period: sent again, at least once, with the Message-ID of the first attempt
    db.session.execute(sa.update(OutboxMessage).values(claimed_at=utcnow() - timedelta(seconds=grace + 1)))
    db.session.commit()
    assert deliver_outbox()["sent"] == 1
    assert outbox[0].extra_headers["Message-ID"] == _message_id_of(sink.received[0])
    msg = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert msg.status == "sent" and msg.attempts == 2
    assert deliver_outbox()["sent"] == 0 and len(outbox) == 1


_CRASHING_RUN = textwrap.dedent("""
    import os, signal, sys
    from datetime import datetime
    from sqlalchemy.orm import Session
    mode, at, job, now = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    calls = {"n": 0}
    real_commit = Session.commit

    def commit(self):
        calls["n"] += 1
        if calls["n"] == at:
            if mode == "after":
                real_commit(self)
            os.kill(os.getpid(), signal.SIGKILL)
        return real_commit(self)

    Session.commit = commit
    from network import create_app
    from tests.core.test_crash_windows import digest_job, reminder_job
    app = create_app()
    with app.test_request_context("/", base_url="http://staedtenetz.test"):
        func = reminder_job() if job == "reminders" else digest_job()
        func(datetime.fromisoformat(now)) if now != "-" else func()
    print("finished without being killed")
""")


def _run_crashing(database_url, mode, at, job, now="-"):
    proc = subprocess.run([sys.executable, "-c", _CRASHING_RUN, mode, str(at), job, now], cwd=ROOT,
                          env=_env(database_url), capture_output=True, text=True, timeout=180)
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr


def _mails():
    db.session.expire_all()
    return [(m.recipient, m.subject) for m in db.session.execute(sa.select(OutboxMessage)).scalars()]


@pytest.mark.parametrize("mode,at", [("before", 2), ("after", 2)])
def test_reminders_killed_mid_run_then_rerun_queue_each_mail_once(database_url, soon, mode, at):
    db.session.execute(sa.delete(OutboxMessage))  # the invitations are not what this test counts
    db.session.commit()
    _run_crashing(database_url, mode, at, "reminders")
    partial = _mails()
    assert len(partial) == (1 if mode == "before" else 2)
    stats = reminder_job()()
    db.session.commit()
    final = _mails()
    assert len(final) == len(set(final)) == 5, final  # the five reminders of the clean run, none twice
    assert stats["queued"] == 5 - len(partial)
    assert reminder_job()()["queued"] == 0 and len(_mails()) == 5


@pytest.mark.parametrize("mode", ["before", "after"])
def test_digest_killed_mid_run_then_rerun_sends_each_digest_once(database_url, followed, staff_a, lead_a,
                                                                  lead_b, mode):
    from network.interest.models import DigestLedger
    _run_crashing(database_url, mode, 1, "digests", MONDAY.isoformat())
    db.session.expire_all()
    ledger_after_crash = db.session.scalar(sa.select(sa.func.count()).select_from(DigestLedger))
    assert ledger_after_crash == (0 if mode == "before" else 1)
    digest_job()(MONDAY + timedelta(hours=1))
    db.session.commit()
    digest_job()(MONDAY + timedelta(hours=2))
    db.session.commit()
    mails = [m for m in _mails() if m[0] == staff_a.email]
    assert len(mails) == 1, _mails()  # staff A's digest (the only non-empty one), exactly once
    users = db.session.execute(sa.select(DigestLedger.user_id)).scalars().all()
    assert len(users) == len(set(users)) == 3  # one ledger row per member and week
