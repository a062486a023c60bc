"""RSVPs: yes / no / maybe with a note, the waiting list beyond the capacity."""

from collections import defaultdict

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from network.core import audit
from network.core.boundary import Conflict
from network.core.models import utcnow
from network.core.validation import Checker
from network.extensions import db
from network.meetings.models import Meeting, RSVP_RESPONSES, Rsvp
from network.meetings.services.membership import _require_member


def record_rsvp(actor, meeting: Meeting, response, note: str = "") -> Rsvp:
    """A person's yes / no / maybe with a note; one row per person (answering again replaces it)."""
    _require_member(actor, meeting.body, "meeting.rsvp")
    if meeting.status == "cancelled":
        raise Conflict({"response": _("Das Treffen ist abgesagt.")})
    if is_over(meeting):
        raise Conflict({"response": _("Das Treffen ist vorbei; Antworten sind nicht mehr möglich.")})
    c = Checker()
    c.choice("response", response, RSVP_RESPONSES, label=_("Ihre Antwort"))
    note = c.text("note", note, label=_("eine Anmerkung"), required=False, max_len=500)
    c.done()
    now = utcnow()
    row = db.session.execute(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == actor.id)).scalar()
    if row is None:
        try:
            with db.session.begin_nested():
                row = Rsvp(meeting_id=meeting.id, user_id=actor.id, response=response, note=note,
                           yes_since=now if response == "yes" else None)
                db.session.add(row)
        except IntegrityError:
            # the same person answered in parallel: update that row instead
            row = db.session.execute(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id,
                                                           Rsvp.user_id == actor.id)).scalar_one()
    if row.response != response or row.note != note:
        if response == "yes" and row.response != "yes":
            row.yes_since = now
        elif response != "yes":
            row.yes_since = None
        row.response, row.note = response, note
    audit.record(actor, "meeting.rsvp", obj=meeting, municipality_id=actor.municipality_id,
                 summary=f"Antwort {response} für {meeting.title}", response=response)
    db.session.flush()
    return row


def is_over(meeting: Meeting) -> bool:
    """The meeting has ended."""
    return meeting.ends_at is not None and meeting.ends_at < utcnow()


def attendees(meeting: Meeting) -> dict:
    """RSVPs grouped by city; with a capacity, "yes" answers beyond it are on the waiting list (in order)."""
    rows = db.session.execute(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id)
                              .order_by(Rsvp.yes_since.nulls_last(), Rsvp.id)).scalars().all()
    yes = [r for r in rows if r.response == "yes"]
    cap = meeting.capacity
    confirmed = yes if cap is None else yes[:cap]
    waiting = [] if cap is None else yes[cap:]
    waiting_ids = {r.id for r in waiting}
    groups = defaultdict(list)
    for r in rows:
        groups[r.user.municipality.name if r.user.municipality else _("Netzwerkkoordination")].append(r)
    return {"rows": rows, "groups": sorted(groups.items()), "waiting": waiting, "waiting_ids": waiting_ids,
            "counts": {"yes": len(confirmed), "waiting": len(waiting),
                       "maybe": sum(r.response == "maybe" for r in rows),
                       "no": sum(r.response == "no" for r in rows)}}


def own_rsvp(user, meeting: Meeting) -> Rsvp | None:
    """The user's own answer to the meeting, if any."""
    return db.session.execute(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id,
                                                    Rsvp.user_id == user.id)).scalar()
