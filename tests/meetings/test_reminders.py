"""Reminder job: 7 and 1 days ahead, minutes published, action items due; exactly once under two concurrent
schedulers and after a crash mid-run."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from network.core.models import OutboxMessage, utcnow
from network.extensions import db
from network.meetings import services, tasks
from network.meetings.models import MeetingNotice
from tests.meetings.conftest import future, meeting_data

NETWORK = "re@di – regional.digital"


def _mails():
    db.session.expire_all()
    return db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.subject.not_like("%Einladung:%"))
                              .order_by(OutboxMessage.id)).scalars().all()


@pytest.fixture
def soon(coordinator, fachgruppe, lead_a, lead_b, staff_a, city_a):
    """A meeting in 5 days (staff A said yes, lead B said no), with published minutes of an earlier one."""
    m = services.create_meeting(coordinator, fachgruppe, meeting_data(future(5)))
    services.record_rsvp(staff_a, m, "yes")
    services.record_rsvp(lead_b, m, "no")
    past = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-2), number="33"))
    services.add_action_item(coordinator, past, {"text": "Bericht schreiben", "municipality_id": city_a.id,
                                                 "due_date": (utcnow() + timedelta(days=2)).date().isoformat()})
    services.save_minutes(coordinator, past, "Protokoll", publish=True)
    db.session.commit()
    return m


def test_each_reminder_once_and_only_the_closest_threshold(soon, lead_a, staff_a):
    stats = tasks.send_reminders()
    mails = _mails()
    # every subject names the meeting's network first
    assert all(m.subject.startswith(NETWORK + " – ") for m in mails)
    by_subject = sorted((m.subject.removeprefix(NETWORK + " – ").split(":")[0], m.recipient) for m in mails)
    # 7-day reminder to lead A (invited) and staff A (yes), not lead B (declined); minutes to both leads;
    # action item due to city A's lead
    assert by_subject == sorted([
        ("Erinnerung", lead_a.email), ("Erinnerung", staff_a.email),
        ("Protokoll veröffentlicht", lead_a.email), ("Protokoll veröffentlicht", "lead@buehl.test"),
        ("Aufgabe fällig", lead_a.email)]), by_subject
    assert stats["queued"] == 5
    assert tasks.send_reminders()["queued"] == 0 and len(_mails()) == 5
    # one day before: the 1-day reminder, once
    assert tasks.send_reminders(now=soon.starts_at - timedelta(hours=20))["queued"] == 2
    assert tasks.send_reminders(now=soon.starts_at - timedelta(hours=19))["queued"] == 0
    assert "morgen" in _mails()[-1].body_text


def test_reminder_days_are_the_networks_setting(app, soon):
    """The meeting is 5 days ahead: with the network's days "3" nothing is due yet, with "7,1" the 7-day one."""
    network = soon.body.network
    network.reminder_days = "3"
    db.session.commit()
    assert not [k for k, *_ in tasks.due_notices() if k.startswith("remind:")]
    network.reminder_days = "7,1"
    db.session.commit()
    assert {k.split(":")[2] for k, *_ in tasks.due_notices() if k.startswith("remind:")} == {"7"}


def test_reminder_days_of_another_network_do_not_apply(app, soon):
    """A second network reminding 10 days ahead changes nothing for the meetings of re@di ("7,1")."""
    from tests import factories
    other = factories.make_network("zweites", "Zweites Netz")
    other.reminder_days = "10"
    soon.body.network.reminder_days = "3"
    db.session.commit()
    assert not [k for k, *_ in tasks.due_notices() if k.startswith("remind:")]


def test_two_schedulers_at_once_send_each_reminder_once(app, soon):
    """Two threads with their own connections pass the 'already sent?' check before either inserts."""
    barrier = threading.Barrier(2, timeout=30)
    real = tasks.due_notices
    errors = []

    def slow_due(now=None):
        found = real(now)
        barrier.wait()
        return found

    def worker():
        with app.app_context():
            try:
                tasks.send_reminders()
            except Exception as exc:  # pragma: no cover - shown in the assertion
                errors.append(exc)
            finally:
                db.session.remove()

    tasks.due_notices = slow_due
    try:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        tasks.due_notices = real
    assert not errors
    mails = _mails()
    assert len(mails) == 5 and len({(m.subject, m.recipient) for m in mails}) == 5
    assert db.session.scalar(sa.select(sa.func.count(MeetingNotice.id))) == 5


def test_crash_mid_run_then_rerun_sends_the_rest_once(app, soon, monkeypatch):
    real = tasks.queue_mail
    calls = {"n": 0}

    def flaky(*args, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("SMTP-Vorlage kaputt")
        return real(*args, **kw)

    monkeypatch.setattr(tasks, "queue_mail", flaky)
    with pytest.raises(RuntimeError):
        tasks.send_reminders()
    db.session.rollback()
    assert len(_mails()) == 2 and db.session.scalar(sa.select(sa.func.count(MeetingNotice.id))) == 2
    monkeypatch.setattr(tasks, "queue_mail", real)
    assert tasks.send_reminders()["queued"] == 3
    mails = _mails()
    assert len(mails) == 5 and len({(m.subject, m.recipient) for m in mails}) == 5
