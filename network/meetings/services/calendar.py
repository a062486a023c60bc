"""Calendar: a meeting as a calendar entry and .ics, the personal subscription feed."""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from network.accounts.models import User, hash_secret
from network.core import audit
from network.core.hooks import CalendarEntry
from network.core.models import utcnow
from network.core.permissions import can, require
from network.extensions import db
from network.meetings.ical import to_ics
from network.meetings.models import CalendarFeed, Meeting
from network.meetings.services._common import meeting_url
from network.meetings.services.membership import member_body_clause


def ical_domain() -> str:
    """The domain part of the calendar UIDs."""
    return current_app.config.get("MEETINGS_ICAL_DOMAIN") or current_app.config.get("SERVER_NAME") or "staedtenetz"


def place(meeting: Meeting) -> str:
    """Address, room and online link in one line."""
    parts = [p for p in (meeting.address, meeting.room) if p]
    if meeting.online_url:
        parts.append(_("online: %(url)s", url=meeting.online_url))
    return ", ".join(parts)


def calendar_entry(meeting: Meeting, *, named: bool = False) -> CalendarEntry:
    """The meeting as an entry of the personal feed (``named``: the summary starts with the network's name, as a
    feed mixes the user's networks) and of the invitation; the description always names the network."""
    network = meeting.body.network
    url = meeting_url(meeting, external=True)
    desc = _("Städtenetz: %(network)s", network=network.name)
    if meeting.description:
        desc += "\n\n" + meeting.description
    if url:
        desc += "\n\n" + url
    summary = f"{network.name} – {meeting.title}" if named else meeting.title
    return CalendarEntry(uid=f"meeting-{meeting.id}@{ical_domain()}", summary=summary,
                         start=meeting.starts_at, end=meeting.ends_at, url=url, description=desc,
                         location=place(meeting), sequence=meeting.sequence,
                         status="CANCELLED" if meeting.status == "cancelled" else "CONFIRMED",
                         last_modified=meeting.updated_at)


def meeting_ics(meeting: Meeting, method: str | None = "PUBLISH", attendees=()) -> str:
    """One meeting as .ics (PUBLISH for downloads, REQUEST or CANCEL for invitations)."""
    return to_ics([calendar_entry(meeting)], method=method, name=meeting.body.network.name,
                  organizer=current_app.config.get("MEETINGS_ORGANIZER_EMAIL"), attendees=attendees)


def feed_of(user) -> CalendarFeed | None:
    """The user's calendar subscription (its address is known only right after it was made)."""
    return db.session.execute(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id)).scalar()


def renew_feed(actor) -> CalendarFeed:
    """A new secret for the personal calendar subscription; the old address stops working at once.

    Only the secret's hash is stored; the plain secret is on the returned feed (``feed.secret``) for this
    request, to be shown once.
    """
    require(actor, "meeting.calendar")
    plain = secrets.token_urlsafe(32)  # 256 bit
    feed = feed_of(actor)
    if feed is None:
        feed = CalendarFeed(user_id=actor.id, secret_hash=hash_secret(plain))
        db.session.add(feed)
    else:
        feed.secret_hash = hash_secret(plain)
        feed.created_at = utcnow()
    feed.secret = plain
    audit.record(actor, "calendar.renewed", municipality_id=actor.municipality_id,
                 summary="Kalender-Abo-Adresse erneuert")
    db.session.flush()
    return feed


def revoke_calendar_feed(user) -> None:
    """End the user's calendar subscription: its address answers 404 from now on (nothing to bring back)."""
    feed = feed_of(user)
    if feed is None:
        return
    db.session.delete(feed)
    audit.record(user, "calendar.ended", municipality_id=user.municipality_id,
                 summary="Kalender-Abo-Adresse beendet")
    db.session.flush()


def user_for_feed(secret: str) -> User | None:
    """The active owner of the feed with this secret (looked up by its hash), else None."""
    if not secret or len(secret) > 64:
        return None
    user = db.session.execute(sa.select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
                              .where(CalendarFeed.secret_hash == hash_secret(secret))).scalar()
    if user is None or not user.active or not can(user, "meeting.calendar"):
        return None
    return user


def calendar_source(user) -> list[CalendarEntry]:
    """Every scheduled or cancelled meeting of the user's bodies in all their networks from a year ago on (feed
    entries, each named with its network)."""
    since = utcnow() - timedelta(days=365)
    meetings = db.session.execute(sa.select(Meeting).where(
        member_body_clause(user, Meeting.body_id), Meeting.status.in_(("scheduled", "cancelled")),
        Meeting.starts_at.is_not(None), Meeting.starts_at >= since).order_by(Meeting.starts_at)).scalars().all()
    return [calendar_entry(m, named=True) for m in meetings]


def feed_ics(user) -> str:
    """The personal feed: the entries of every calendar source (meetings, deadlines of other domains)."""
    from network.core.hooks import calendar_entries
    name = _("%(network)s – Termine", network=current_app.config.get("NETWORK_NAME", "Städtenetz"))
    return to_ics(calendar_entries(user), name=name, method="PUBLISH")
