"""Invitations, updates and cancellations with the .ics attached, and the meeting_scheduled event."""

import sqlalchemy as sa
from flask_babel import gettext as _

from network.accounts.models import User
from network.core.outbox import queue_mail
from network.extensions import db
from network.meetings.models import Meeting, Rsvp
from network.meetings.services._common import meeting_url
from network.meetings.services.calendar import meeting_ics, place
from network.meetings.services.membership import recipients
from network.meetings.signals import meeting_scheduled


def rsvp_people(meeting: Meeting, responses=("yes", "maybe")) -> list[User]:
    """Active people who answered the meeting with one of ``responses``."""
    return db.session.execute(sa.select(User).join(Rsvp, Rsvp.user_id == User.id).where(
        Rsvp.meeting_id == meeting.id, Rsvp.response.in_(responses), User.active.is_(True))).scalars().all()


def _invite(meeting: Meeting, kind: str, reason: str = "") -> int:
    """Invitation, update or cancellation with the .ics attached to everyone invited (once per address)."""
    people, seen = [], set()
    for u in recipients(meeting.body) + rsvp_people(meeting):
        if u.email not in seen:
            seen.add(u.email)
            people.append(u)
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    ics = meeting_ics(meeting, method, attendees=[(u.email, u.name) for u in people])
    subjects = {"invitation": _("Einladung: %(title)s"), "update": _("Geändert: %(title)s"),
                "cancel": _("Abgesagt: %(title)s")}
    for u in people:
        subject = f"{meeting.body.network.name} – " + subjects[kind] % {"title": meeting.title}
        queue_mail(u.email, "meetings/notice", subject=subject, locale=u.language, network=meeting.body.network,
                   municipality_id=meeting.host_municipality_id, person=u, notice=kind, meeting=meeting,
                   when=meeting.starts_at, place=place(meeting), reason=reason,
                   link=meeting_url(meeting, external=True),
                   attachments=[(f"treffen-{meeting.id}.ics", ics, f"text/calendar; method={method}")])
    return len(people)


def _scheduled(actor, meeting: Meeting) -> None:
    """A meeting got its date: invitations go out and followers hear of it."""
    _invite(meeting, "invitation")
    targets = [("body", meeting.body_id)] + ([("topic", meeting.body.topic_id)] if meeting.body.topic_id else [])
    meeting_scheduled.send(meeting=meeting, targets=targets, title=meeting.title,
                           url=meeting_url(meeting), audience=f"body:{meeting.body_id}",
                           actor_id=getattr(actor, "id", None))
