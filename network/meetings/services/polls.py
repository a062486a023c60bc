"""Date polls: slots, votes, the table of answers, and picking the date."""

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User
from network.core import audit
from network.core.boundary import Conflict
from network.core.models import utcnow
from network.core.validation import Checker
from network.extensions import db
from network.meetings.models import Meeting, POLL_ANSWERS, PollSlot, PollVote
from network.meetings.services._common import _valid_id, flush_or_conflict
from network.meetings.services.invitations import _scheduled
from network.meetings.services.membership import _require_member, _require_organiser
from network.meetings.services.times import _times


def slots(meeting: Meeting) -> list[PollSlot]:
    """The poll's proposed dates in order."""
    return db.session.execute(sa.select(PollSlot).where(PollSlot.meeting_id == meeting.id)
                              .order_by(PollSlot.starts_at)).scalars().all()


def add_slot(actor, meeting: Meeting, data: dict) -> PollSlot:
    """Organiser: propose a date for the poll."""
    _require_organiser(actor, meeting.body)
    if meeting.status != "polling":
        raise Conflict({"date": _("Die Terminumfrage ist beendet.")})
    c = Checker()
    start, end = _times(c, data, required=True)
    if start and start < utcnow() and "date" not in c.errors:
        c.add("starts_at" if "starts_at" in data else "date", _("Der Termin liegt in der Vergangenheit."))
    c.done()
    if db.session.execute(sa.select(PollSlot.id).where(PollSlot.meeting_id == meeting.id,
                                                      PollSlot.starts_at == start)).first():
        raise Conflict({"starts_at" if "starts_at" in data else "date":
                        _("Diesen Termin gibt es in der Umfrage schon.")})
    slot = PollSlot(meeting_id=meeting.id, starts_at=start, ends_at=end)
    db.session.add(slot)
    audit.record(actor, "meeting.slot_added", obj=meeting, summary=f"Terminvorschlag für {meeting.title}")
    db.session.flush()
    return slot


def delete_slot(actor, meeting: Meeting, slot: PollSlot) -> None:
    """Organiser: remove a proposed date (its answers go with it) while the poll runs."""
    _require_organiser(actor, meeting.body)
    if meeting.status != "polling":
        raise Conflict({"slot": _("Die Terminumfrage ist beendet.")})
    db.session.delete(slot)
    audit.record(actor, "meeting.slot_deleted", obj=meeting, summary=f"Terminvorschlag für {meeting.title} entfernt")
    db.session.flush()


def get_slot_or_404(meeting: Meeting, slot_id) -> PollSlot:
    """A slot of this meeting's poll, else 404."""
    slot = db.session.get(PollSlot, slot_id) if _valid_id(slot_id) else None
    if slot is None or slot.meeting_id != meeting.id:
        abort(404)
    return slot


def cast_votes(actor, meeting: Meeting, answers: dict) -> int:
    """A member answers yes / if need be / no per slot; answering again replaces the earlier answer."""
    _require_member(actor, meeting.body, "meeting.vote")
    if meeting.status != "polling":
        raise Conflict({"votes": _("Die Terminumfrage ist beendet.")})
    own = {s.id: s for s in slots(meeting)}
    c = Checker()
    clean = {}
    for raw_id, answer in (answers or {}).items():
        try:
            sid = int(raw_id)
        except (TypeError, ValueError):
            sid = None
        if sid not in own:
            c.add("votes", _("Bitte antworten Sie nur zu Terminen dieser Umfrage."))
            continue
        if answer not in POLL_ANSWERS:
            c.add(f"slot-{sid}", _("Bitte wählen Sie ja, wenn nötig oder nein."))
            continue
        clean[sid] = answer
    if not clean and not c.errors:
        c.add("votes", _("Bitte beantworten Sie mindestens einen Termin."))
    c.done()
    existing = {v.slot_id: v for v in db.session.execute(sa.select(PollVote).where(
        PollVote.slot_id.in_(list(clean)), PollVote.user_id == actor.id)).scalars()}
    for sid, answer in clean.items():
        if sid in existing:
            existing[sid].answer = answer
        else:
            try:
                with db.session.begin_nested():
                    db.session.add(PollVote(slot_id=sid, user_id=actor.id, answer=answer))
            except IntegrityError:
                db.session.execute(sa.update(PollVote).where(PollVote.slot_id == sid, PollVote.user_id == actor.id)
                                   .values(answer=answer))
    db.session.flush()
    return len(clean)


def poll_table(meeting: Meeting) -> dict:
    """Slots, voters (grouped by city), each voter's answers and the totals per slot (two queries)."""
    the_slots = slots(meeting)
    votes = db.session.execute(sa.select(PollVote, User).join(User, User.id == PollVote.user_id)
                               .where(PollVote.slot_id.in_([s.id for s in the_slots]))).all() if the_slots else []
    answers, voters = {}, {}
    totals = {s.id: {"yes": 0, "maybe": 0, "no": 0} for s in the_slots}
    for vote, user in votes:
        answers[(user.id, vote.slot_id)] = vote.answer
        voters[user.id] = user
        totals[vote.slot_id][vote.answer] += 1
    people = sorted(voters.values(), key=lambda u: ((u.municipality.name if u.municipality else ""), u.name))
    best = None
    if the_slots:
        best = max(the_slots, key=lambda s: (totals[s.id]["yes"] + totals[s.id]["maybe"], totals[s.id]["yes"],
                                             -s.starts_at.timestamp()))
        if totals[best.id]["yes"] + totals[best.id]["maybe"] == 0:
            best = None
    return {"slots": the_slots, "people": people, "answers": answers, "totals": totals, "best": best}


def pick_slot(actor, meeting: Meeting, slot: PollSlot) -> Meeting:
    """Organiser: the chosen slot becomes the date; invitations go out."""
    _require_organiser(actor, meeting.body)
    if meeting.status != "polling":
        raise Conflict({"slot": _("Die Terminumfrage ist bereits beendet.")})
    meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
    meeting.status = "scheduled"
    audit.record(actor, "meeting.slot_picked", obj=meeting, summary=f"Termin für {meeting.title} festgelegt")
    flush_or_conflict()
    _scheduled(actor, meeting)
    db.session.flush()
    return meeting
