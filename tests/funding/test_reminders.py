"""Reminders 30/14/3 days before each deadline and for due checklist items: each exactly once."""

import threading
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa

from network.core.models import OutboxMessage
from network.extensions import db
from network.funding import services, tasks
from network.funding.models import FundingInterest, FundingReminder, berlin_today, BERLIN
from tests import factories
from tests.conftest import row_count
from tests.funding.conftest import make_call


def _noon(day):
    return datetime.combine(day, time(12, 0), tzinfo=BERLIN).astimezone(timezone.utc)


def _mails():
    db.session.expire_all()
    return [(m.recipient, m.subject) for m in db.session.execute(
        sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]


def test_30_14_3_days_before_each_once(lead_a, staff_a, lead_b, city_b):
    due = berlin_today() + timedelta(days=60)
    call = make_call("Smart Region", deadlines=[("Vollantrag", due)])
    db.session.add(FundingInterest(call_id=call.id, municipality_id=lead_a.municipality_id, marked_by_id=lead_a.id))
    db.session.commit()
    sent = []
    for days_before in (31, 30, 30, 29, 15, 14, 13, 4, 3, 2, 1, 0, -1):
        stats = tasks.send_reminders(now=_noon(due - timedelta(days=days_before)))
        sent.append((days_before, stats["sent"]))
    assert sent == [(31, 0), (30, 1), (30, 0), (29, 0), (15, 0), (14, 1), (13, 0), (4, 0), (3, 1), (2, 0), (1, 0),
                    (0, 0), (-1, 0)]
    mails = _mails()
    assert [r for r, _s in mails] == ["lead@ettlingen.test"] * 3  # leads only, of the interested city only
    assert [s for _r, s in mails] == ["Förderfrist in 30 Tagen: Smart Region", "Förderfrist in 14 Tagen: Smart Region",
                                      "Förderfrist in 3 Tagen: Smart Region"]


def test_late_recorded_deadline_is_reminded_under_the_next_threshold(lead_a):
    today = berlin_today()
    call = make_call("Kurzfristig", deadlines=[("Antrag", today + timedelta(days=5))])
    db.session.add(FundingInterest(call_id=call.id, municipality_id=lead_a.municipality_id))
    db.session.commit()
    assert tasks.send_reminders()["sent"] == 1
    assert _mails()[0][1] == "Förderfrist in 5 Tagen: Kurzfristig"
    assert tasks.send_reminders()["sent"] == 0


def test_application_members_are_reminded_invited_and_declined_are_not(app, lead_a, lead_b, call, outbox):
    other = factories.make_city("Rastatt")
    factories.make_user(other, "lead", email="lead@rastatt.test")
    app_ = services.create_application(lead_a, call, {"title": "Verbund"})
    services.invite_partner(lead_a, app_, lead_b.municipality_id)
    services.invite_partner(lead_a, app_, other.id)
    services.answer_invitation(lead_b, app_, "accept")
    db.session.query(OutboxMessage).delete()
    db.session.commit()
    due = call.deadlines[0].due_on
    tasks.send_reminders(now=_noon(due - timedelta(days=14)))
    assert sorted(r for r, _s in _mails()) == ["lead@buehl.test", "lead@ettlingen.test"]


def test_configurable_days(app, lead_a):
    due = berlin_today() + timedelta(days=40)
    call = make_call("Konfig", deadlines=[("Antrag", due)])
    db.session.add(FundingInterest(call_id=call.id, municipality_id=lead_a.municipality_id))
    db.session.commit()
    app.config["FUNDING_REMINDER_DAYS"] = [7]
    try:
        assert tasks.send_reminders(now=_noon(due - timedelta(days=30)))["sent"] == 0
        assert tasks.send_reminders(now=_noon(due - timedelta(days=7)))["sent"] == 1
    finally:
        app.config["FUNDING_REMINDER_DAYS"] = (30, 14, 3)


def test_checklist_item_falling_due_is_reminded_once(lead_a, lead_b, joint):
    today = berlin_today()
    services.add_checklist_item(lead_a, joint, {"title": "Kostenplan", "municipality_id": lead_b.municipality_id,
                                                "due_on": today + timedelta(days=2)})
    done = services.add_checklist_item(lead_a, joint, {"title": "Erledigt", "due_on": today + timedelta(days=2)})
    services.set_item_done(lead_a, joint, done, True)
    db.session.query(OutboxMessage).delete()
    db.session.commit()
    app_days = (30, 14, 3)
    assert app_days
    tasks.send_reminders(now=_noon(today + timedelta(days=1)))
    assert not [s for _r, s in _mails() if s.startswith("Aufgabe")]
    tasks.send_reminders(now=_noon(today + timedelta(days=2)))
    tasks.send_reminders(now=_noon(today + timedelta(days=3)))
    items = [(r, s) for r, s in _mails() if s.startswith("Aufgabe")]
    assert items == [("lead@buehl.test", "Aufgabe fällig: Kostenplan (Gemeinsames Bürgerportal)")]


def test_two_schedulers_at_once_send_each_reminder_once(app, lead_a, lead_b, city_a, city_b, monkeypatch):
    """Two workers compute the same reminders before either commits; the ledger's unique key lets one win."""
    for n in range(3):
        factories.make_user(city_a, "lead", email=f"lead{n}@ettlingen.test")
    today = berlin_today()
    for i in range(4):
        call = make_call(f"Aufruf {i}", deadlines=[("Antrag", today + timedelta(days=3 + i))])
        db.session.add(FundingInterest(call_id=call.id, municipality_id=city_a.id))
        db.session.add(FundingInterest(call_id=call.id, municipality_id=city_b.id))
    db.session.commit()
    expected = 4 * 5  # 4 deadlines x (4 leads of A + 1 lead of B)

    barrier = threading.Barrier(2, timeout=20)
    original = tasks._claim_and_queue
    local = threading.local()

    def racing(*args, **kw):
        if not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()  # both workers hold their full job list now
        return original(*args, **kw)
    monkeypatch.setattr(tasks, "_claim_and_queue", racing)

    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                results.append(tasks.send_reminders())
                db.session.remove()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sum(r["sent"] for r in results) == expected
    assert sum(r["skipped"] for r in results) == expected  # the other worker hit the unique key each time
    assert row_count(FundingReminder) == expected
    assert row_count(OutboxMessage) == expected
    recipients = [r for r, _s in _mails()]
    assert len(recipients) == len(set(zip(recipients, [s for _r, s in _mails()])))
    # and a third run afterwards sends nothing
    assert tasks.send_reminders()["sent"] == 0
