"""Reminder job: meetings 7 and 1 days ahead, published minutes, action items due; each mail exactly once.

Every mail is its own transaction: the ledger row (MeetingNotice, unique key) is inserted first, then the
outbox row, then commit. A second scheduler (or a rerun after a crash) hits the unique key and sends nothing.
"""

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.extensions import db
from network.meetings import services
from network.meetings.ical import BERLIN
from network.meetings.models import ActionItem, Meeting, MeetingNotice, Rsvp
from network.networks.models import Network

log = logging.getLogger(__name__)


def _attendees(meeting):
    """Who is reminded: invitees who did not decline, and everyone who answered yes or maybe."""
    declined = set(db.session.execute(sa.select(Rsvp.user_id).where(Rsvp.meeting_id == meeting.id,
                                                                    Rsvp.response == "no")).scalars())
    people, seen = [], set()
    for u in services.recipients(meeting.body) + services.rsvp_people(meeting):
        if u.id not in declined and u.id not in seen:
            seen.add(u.id)
            people.append(u)
    return people


def due_notices(now=None) -> list[tuple[str, int, str, dict]]:
    """(ledger key, user id, notice kind, ids) of every reminder that is due now."""
    now = now or utcnow()
    # the reminder days are each network's setting (Network.reminder_days, e.g. "7,1")
    days_of = {n.id: sorted(n.reminder_day_list) for n in db.session.execute(sa.select(Network)).scalars()}
    longest = max((d[-1] for d in days_of.values() if d), default=0)
    out = []
    if longest:
        meetings = db.session.execute(sa.select(Meeting).where(
            Meeting.status == "scheduled", Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(days=longest))).scalars().all()
        for m in meetings:
            days = days_of.get(m.body.network_id) or []
            left = m.starts_at - now
            # only the closest threshold applies (a meeting set up 3 days ahead gets no 7-day reminder later)
            d = next((d for d in days if left <= timedelta(days=d)), None)
            if d is None:
                continue
            for u in _attendees(m):
                out.append((f"remind:{m.id}:{d}:{m.starts_at.isoformat()}:{u.id}", u.id, "reminder",
                            {"meeting_id": m.id, "days": d}))
    window = now - timedelta(days=current_app.config.get("MEETING_MINUTES_NOTICE_DAYS", 14))
    published = db.session.execute(sa.select(Meeting).where(
        Meeting.minutes_status == "published", Meeting.minutes_published_at >= window)).scalars().all()
    for m in published:
        seen = set()
        for u in services.recipients(m.body) + services.rsvp_people(m):
            if u.id not in seen:
                seen.add(u.id)
                out.append((f"minutes:{m.id}:{u.id}", u.id, "minutes", {"meeting_id": m.id}))
    today = now.astimezone(BERLIN).date()
    ahead = today + timedelta(days=current_app.config.get("MEETING_ACTION_DUE_DAYS", 3))
    items = db.session.execute(sa.select(ActionItem).join(Meeting, Meeting.id == ActionItem.meeting_id).where(
        ActionItem.status == "open", ActionItem.due_date.is_not(None), ActionItem.due_date <= ahead,
        ActionItem.due_date >= today - timedelta(days=7), Meeting.minutes_status == "published")).scalars().all()
    if items:
        leads = db.session.execute(sa.select(User).where(
            User.municipality_id.in_({i.municipality_id for i in items}), User.role == "lead",
            User.active.is_(True))).scalars().all()
        for item in items:
            for u in leads:
                if u.municipality_id == item.municipality_id:
                    out.append((f"action:{item.id}:{item.due_date.isoformat()}:{u.id}", u.id, "action_due",
                                {"item_id": item.id}))
    return out


def _send(key, user_id, kind, ids) -> bool:
    """One reminder: the ledger row first (its unique key stops a second scheduler), then the mail."""
    user = db.session.get(User, user_id)
    db.session.add(MeetingNotice(key=key))
    db.session.flush()  # the unique key: a second scheduler stops here
    with force_locale(user.language):
        if kind == "action_due":
            item = db.session.get(ActionItem, ids["item_id"])
            meeting = item.meeting
            subject = _("Aufgabe fällig: %(text)s", text=item.text[:80])
        else:
            item = None
            meeting = db.session.get(Meeting, ids["meeting_id"])
            subject = (_("Erinnerung: %(title)s", title=meeting.title) if kind == "reminder"
                       else _("Protokoll veröffentlicht: %(title)s", title=meeting.title))
    # the mail names the meeting's network (a city may take part in several)
    network = meeting.body.network
    queue_mail(user.email, "meetings/notice", subject=f"{network.name} – {subject}", locale=user.language,
               municipality_id=user.municipality_id, person=user, notice=kind, meeting=meeting, item=item,
               network=network, days=ids.get("days"), when=meeting.starts_at, place=services.place(meeting), reason="",
               link=services.meeting_url(meeting, external=True))
    return True


def send_reminders(now=None) -> dict:
    """Queue every due reminder once (scheduler job)."""
    notices = due_notices(now)
    keys = [n[0] for n in notices]
    done = set()
    if keys:
        for chunk in range(0, len(keys), 500):
            done |= set(db.session.execute(sa.select(MeetingNotice.key).where(
                MeetingNotice.key.in_(keys[chunk:chunk + 500]))).scalars())
    db.session.rollback()
    stats = {"queued": 0, "skipped": 0}
    for key, user_id, kind, ids in notices:
        if key in done:
            continue
        try:
            _send(key, user_id, kind, ids)
            db.session.commit()
            stats["queued"] += 1
        except IntegrityError:
            db.session.rollback()
            stats["skipped"] += 1
    return stats
