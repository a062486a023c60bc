"""Funding's scheduled job: deadline reminders and due checklist items, each mail once (ledger + outbox).

Runs outside requests (scheduler, CLI): it commits itself, one transaction per mail.
"""

from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError

from network.accounts.models import User
from network.core.outbox import queue_mail
from network.extensions import db
from network.funding.models import (Application, ApplicationMember, ChecklistItem, FundingDeadline, FundingInterest,
                                    FundingReminder, berlin_today)
from network.funding.services._common import ACTIVE_APPLICATION, _city_leads, _link
from network.municipalities.models import Municipality

def _reminder_days() -> list[int]:
    days = current_app.config.get("FUNDING_REMINDER_DAYS") or (30, 14, 3)
    return sorted({int(d) for d in days if int(d) >= 0})


def _claim_and_queue(key: str, user: User, template: str, subject: str, city_id, **ctx) -> bool:
    """Ledger row and outbox mail in one transaction; a second scheduler hits the unique key and sends nothing."""
    db.session.add(FundingReminder(key=key, user_id=user.id))
    queue_mail(user.email, template, subject=subject, locale=user.language, municipality_id=city_id, person=user,
               **ctx)
    try:
        db.session.commit()
        return True
    except (IntegrityError, OperationalError):
        db.session.rollback()
        return False


def _deadline_recipients(call_ids) -> dict[int, set[int]]:
    """call id -> city ids to remind: cities that marked interest, members of active applications."""
    out = defaultdict(set)
    if not call_ids:
        return out
    for call_id, city_id in db.session.execute(
            sa.select(FundingInterest.call_id, FundingInterest.municipality_id)
            .where(FundingInterest.call_id.in_(call_ids))).all():
        out[call_id].add(city_id)
    for call_id, city_id in db.session.execute(
            sa.select(Application.call_id, ApplicationMember.municipality_id)
            .join(ApplicationMember, ApplicationMember.application_id == Application.id)
            .where(Application.call_id.in_(call_ids), Application.status.in_(ACTIVE_APPLICATION),
                   ApplicationMember.status == "accepted")).all():
        out[call_id].add(city_id)
    return out


def send_reminders(now: datetime | None = None) -> dict:
    """Run the reminder job (the scheduler and the CLI call it without a request: German by default)."""
    with force_locale("de"):
        return _send_reminders(now)


def _leads_by_city(city_ids) -> dict[int, list[User]]:
    """city id -> its active leads (the reminders go to them)."""
    leads = defaultdict(list)
    for user in _city_leads(city_ids):
        leads[user.municipality_id].append(user)
    return leads


def _sent_keys(kind: str) -> set[str]:
    """Ledger keys already used for this kind of reminder ("deadline" or "item")."""
    return set(db.session.execute(sa.select(FundingReminder.key).where(
        FundingReminder.key.like(f"{kind}:%"))).scalars())


def _unsent(kind: str, leads: dict, wanted: list) -> list:
    """(key "<kind>:<part>:user:<id>", lead, city id, payload) for each lead of each wanted (city id, part,
    payload) whose ledger key is unused. Ends the reading transaction: the caller merges what it sends."""
    sent_keys = _sent_keys(kind)
    jobs = [(f"{kind}:{part}:user:{user.id}", user, city_id, payload)
            for city_id, part, payload in wanted for user in leads.get(city_id, [])]
    db.session.rollback()
    return [job for job in jobs if job[0] not in sent_keys]


def _send_reminders(now: datetime | None = None) -> dict:
    """Deadline reminders (FUNDING_REMINDER_DAYS before each deadline) and due checklist items, each once."""
    today = berlin_today(now)
    stats = {"sent": 0, "skipped": 0}
    _remind_deadlines(today, stats)
    _remind_items(today, stats)
    db.session.rollback()
    return stats


def _remind_deadlines(today, stats: dict) -> None:
    """A deadline `d` days away is reminded under the smallest configured threshold >= d, so a job that
    did not run for a day (or a call recorded late) still sends the reminder, and each threshold once."""
    days = _reminder_days()
    if not days:
        return
    deadlines = db.session.execute(
        sa.select(FundingDeadline).where(FundingDeadline.due_on >= today,
                                         FundingDeadline.due_on <= today + timedelta(days=max(days)))
        .options(sa.orm.joinedload(FundingDeadline.call)).order_by(FundingDeadline.due_on)
    ).scalars().all()
    recipients = _deadline_recipients({d.call_id for d in deadlines})
    city_ids = set().union(*recipients.values()) if recipients else set()
    member_cities = set(db.session.execute(sa.select(Municipality.id).where(
        Municipality.id.in_(city_ids), Municipality.status == "member")).scalars()) if city_ids else set()
    leads = _leads_by_city(member_cities)
    wanted = []
    for d in deadlines:
        left = (d.due_on - today).days
        threshold = min(t for t in days if t >= left) if any(t >= left for t in days) else None
        if threshold is None:
            continue
        wanted += [(city_id, f"{d.id}:{threshold}", (d, left)) for city_id in sorted(recipients.get(d.call_id, ()))]
    for key, user, city_id, (d, left) in _unsent("deadline", leads, wanted):
        user, d = db.session.merge(user, load=False), db.session.merge(d, load=False)
        with force_locale(user.language):
            subject = _("Förderfrist in %(n)s Tagen: %(title)s", n=left, title=d.call.title) if left != 1 else \
                _("Förderfrist morgen: %(title)s", title=d.call.title)
            if left == 0:
                subject = _("Förderfrist heute: %(title)s", title=d.call.title)
        ok = _claim_and_queue(key, user, "funding/reminder", subject, city_id, call=d.call, deadline=d,
                              days_left=left, link=_link("funding.detail", call_id=d.call_id))
        stats["sent" if ok else "skipped"] += 1


def _remind_items(today, stats: dict) -> None:
    """Checklist items that fall due (today, or in the last week if the job did not run)."""
    items = db.session.execute(
        sa.select(ChecklistItem, Application).join(Application, Application.id == ChecklistItem.application_id)
        .where(ChecklistItem.done.is_(False), ChecklistItem.due_on <= today,
               ChecklistItem.due_on >= today - timedelta(days=7),
               Application.status.in_(ACTIVE_APPLICATION + ("submitted",)))
    ).all()
    if not items:
        return
    leads = _leads_by_city({(i.municipality_id or a.municipality_id) for i, a in items})
    wanted = [(item.municipality_id or app_.municipality_id, f"{item.id}:{item.due_on.isoformat()}", (item, app_))
              for item, app_ in items]
    for key, user, city_id, (item, app_) in _unsent("item", leads, wanted):
        user, item, app_ = (db.session.merge(o, load=False) for o in (user, item, app_))
        with force_locale(user.language):
            subject = _("Aufgabe fällig: %(item)s (%(title)s)", item=item.title, title=app_.title)
        ok = _claim_and_queue(key, user, "funding/item_due", subject, city_id, item=item, application=app_,
                              link=_link("funding.application", application_id=app_.id))
        stats["sent" if ok else "skipped"] += 1
