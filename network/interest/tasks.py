"""Scheduler jobs of the interest domain: purge unconfirmed registrations, send the weekly digest.

Outside requests: each job commits itself (the digest one transaction per member, see send_weekly_digests).
"""

from datetime import timedelta, timezone

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User
from network.core import audit
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.extensions import db
from network.interest.models import DIGEST_KIND, DigestLedger, InterestRegistration, NotificationPreference
from network.interest.services import BERLIN, build_digest, iso_week, unsubscribe_token


def purge_unconfirmed(now=None) -> dict:
    """Scheduler: delete registrations never confirmed within the link's validity; drop expired changes."""
    now = now or utcnow()
    expired = InterestRegistration.token_expires_at < now
    # one DELETE with the condition itself (no id list: at scale it would exceed SQLite's bound-parameter limit)
    deleted = db.session.execute(sa.delete(InterestRegistration).where(
        InterestRegistration.confirmed_at.is_(None), expired).execution_options(synchronize_session=False)).rowcount
    if deleted:
        audit.record(None, "interest.purged", summary=f"{deleted} unbestätigte Interessensbekundung(en) gelöscht",
                     count=deleted)
    dropped = db.session.execute(
        sa.update(InterestRegistration).where(InterestRegistration.confirmed_at.is_not(None), expired)
        .values(pending_data=None, token_hash=None, token_expires_at=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return {"deleted": deleted or 0, "changes_dropped": dropped or 0}


def _digest_due(now, weekday: int) -> bool:
    """Whether this week's digest time (the weekday and INTEREST_DIGEST_HOUR in Berlin) has come."""
    local = now.astimezone(BERLIN)
    return (local.weekday(), local.hour) >= (weekday, current_app.config["INTEREST_DIGEST_HOUR"])


def _due_users(ids, now, force: bool) -> list[int]:
    """The users whose digest day has come this week: each network sets its digest weekday (issue #16); a user in
    several gets one digest, on the earliest of their networks' days; users of no network on INTEREST_DIGEST_WEEKDAY."""
    if force:
        return ids
    from network.networks.services import digest_weekdays
    default = current_app.config["INTEREST_DIGEST_WEEKDAY"]
    days = digest_weekdays(ids)
    return [i for i in ids if _digest_due(now, days.get(i, default))]


def send_weekly_digests(now=None, *, force: bool = False) -> dict:
    """Scheduler: each active member gets at most one digest per ISO week; an empty one is not sent.

    The ledger row (unique per user and week) is written in the same transaction as the outbox mail, so a
    second scheduler or a rerun after a crash sends nothing twice.
    """
    now = now or utcnow()
    stats = {"sent": 0, "empty": 0, "skipped": 0}
    if not force and not _digest_due(now, 0):  # before Monday's hour no network's day has come
        return stats
    week = iso_week(now)
    done = sa.select(DigestLedger.user_id).where(DigestLedger.week == week)
    off = sa.select(NotificationPreference.user_id).where(NotificationPreference.kind == DIGEST_KIND,
                                                          NotificationPreference.mode == "off")
    ids = db.session.execute(sa.select(User.id).where(
        User.active.is_(True), User.password_hash.is_not(None), User.id.not_in(done), User.id.not_in(off))
        .order_by(User.id)).scalars().all()
    db.session.rollback()
    # in batches: the weekday and the last digest of each user are read with IN (ids), which must stay below the
    # databases' bound-parameter limits (SQLite: 32,766) with 100,000 users (issue #17)
    for start in range(0, len(ids), DIGEST_BATCH):
        _send_batch(ids[start:start + DIGEST_BATCH], now, week, force, stats)
    return stats


#: users whose digest state is read in one statement
DIGEST_BATCH = 500


def _send_batch(ids, now, week, force, stats) -> None:
    ids = _due_users(ids, now, force)
    last = dict(db.session.execute(sa.select(DigestLedger.user_id, sa.func.max(DigestLedger.until))
                                   .where(DigestLedger.user_id.in_(ids)).group_by(DigestLedger.user_id)).all()) if ids else {}
    db.session.rollback()
    for user_id in ids:
        user = db.session.get(User, user_id)
        since = last.get(user_id) or now - timedelta(days=7)
        if since.tzinfo is None:  # SQLite's max() bypasses the column type
            since = since.replace(tzinfo=timezone.utc)
        sections = build_digest(user, since, now)
        count = sum(len(s.items) for s in sections)
        try:
            db.session.add(DigestLedger(user_id=user.id, week=week, since=since, until=now, items=count))
            db.session.flush()
            if count:
                with force_locale(user.language):
                    subject = _("Ihre Wochenübersicht aus dem Städtenetz (%(week)s)", week=week)
                queue_mail(user.email, "interest/digest", subject=subject, locale=user.language,
                           key=f"digest:{user.id}:{week}", municipality_id=user.municipality_id, user=user,
                           sections=sections, since=since, until=now,
                           unsubscribe_link=url_for("interest.unsubscribe",
                                                    token=unsubscribe_token(user.id, DIGEST_KIND), _external=True),
                           settings_link=url_for("interest.settings", _external=True))
            db.session.commit()
        except IntegrityError:  # another scheduler wrote this week's row first
            db.session.rollback()
            stats["skipped"] += 1
            continue
        stats["sent" if count else "empty"] += 1


def digest_job() -> dict:
    """Scheduler entry: the weekly digest when it is due."""
    return send_weekly_digests()
