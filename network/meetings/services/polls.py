"""Date polls: slots, votes, the table of answers, and picking the date."""

from datetime import timedelta, timezone

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User
from network.core import audit
from network.core.boundary import Conflict
from network.core.models import utcnow
from network.core.templating import format_day
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.meetings.ical import BERLIN
from network.meetings.models import Meeting, POLL_ANSWERS, PollSlot, PollVote
from network.meetings.services._common import _valid_id, flush_or_conflict
from network.meetings.services.invitations import _scheduled
from network.meetings.services.membership import _require_member, _require_organiser
from network.meetings.services.times import _times


def slots(meeting: Meeting) -> list[PollSlot]:
    """The poll's proposed dates in order."""
    return db.session.execute(sa.select(PollSlot).where(PollSlot.meeting_id == meeting.id)
                              .order_by(PollSlot.starts_at)).scalars().all()


#: at most this many proposed dates per poll (a table wider than this helps nobody answer)
MAX_SLOTS = 40
#: "repeat weekly" copies the entered dates to at most this many following weeks
MAX_REPEAT_WEEKS = 8
_TIME_FIELDS = ("date", "start_time", "end_time", "starts_at", "ends_at")


def _row_key(i: int, field: str) -> str:
    return f"slots-{i}-{field}"


def _weeks_later(c: Checker, key: str, start, end, weeks: int):
    """The same Berlin wall time ``weeks`` weeks later (a DST switch in between keeps the clock time)."""
    out = []
    for moment in (start, end):
        naive = moment.astimezone(BERLIN).replace(tzinfo=None) + timedelta(weeks=weeks)
        aware = naive.replace(tzinfo=BERLIN)
        if aware.astimezone(timezone.utc).astimezone(BERLIN).replace(tzinfo=None) != naive:
            c.add(key, _("Die Wiederholung am %(day)s fällt in die Umstellung auf Sommerzeit.",
                         day=format_day(naive.date())))
            return None
        out.append(aware.astimezone(timezone.utc))
    return tuple(out)


def add_slots(actor, meeting: Meeting, rows: list[dict], *, repeat_weeks=0, skip_duplicates: bool = True,
              key=_row_key) -> tuple[list[PollSlot], int]:
    """Organiser: propose several dates at once, each optionally repeated in the following weeks.

    ``rows`` are form rows (date, start_time, end_time) or API rows (starts_at, ends_at); rows with no value
    at all are ignored. Every row is checked before anything is written: one bad row refuses all (422, the
    message under ``key(index, field)``). A date the poll already has (or that the input names twice) is
    skipped when ``skip_duplicates`` (the count comes back), else refused (409); if nothing new is left, 409.
    At most MAX_SLOTS dates per poll. Returns the new slots and the number of skipped duplicates.
    """
    _require_organiser(actor, meeting.body)
    if meeting.status != "polling":
        raise Conflict({key(0, "date"): _("Die Terminumfrage ist beendet.")})
    c = Checker()
    try:
        weeks = int(str(repeat_weeks if repeat_weeks not in (None, "") else 0).strip())
    except ValueError:
        weeks = -1
    if not 0 <= weeks <= MAX_REPEAT_WEEKS:
        c.add("repeat_weeks", _("Bitte geben Sie für die Wiederholung eine Zahl von 0 bis %(n)s an.",
                                n=MAX_REPEAT_WEEKS))
        weeks = 0
    now = utcnow()
    wanted = []  # (the row's message key, start, end)
    first_row = None
    for i, data in enumerate(rows or []):
        if not isinstance(data, dict):
            c.add(key(i, "starts_at"), _("Jeder Termin braucht Beginn und Ende."))
            continue
        if not any(str(data.get(f) or "").strip() for f in _TIME_FIELDS):
            continue  # an empty row of the form
        first_row = i if first_row is None else first_row
        rc = Checker()
        start, end = _times(rc, data, required=True)
        start_field = "starts_at" if "starts_at" in data or "ends_at" in data else "date"
        if start and start < now and not rc.errors:
            rc.add(start_field, _("Der Termin liegt in der Vergangenheit."))
        for field, message in rc.errors.items():
            c.add(key(i, field), message)
        if rc.errors or not (start and end):
            continue
        for w in range(weeks + 1):
            moved = (start, end) if w == 0 else _weeks_later(c, key(i, start_field), start, end, w)
            if moved:
                wanted.append((key(i, start_field), *moved))
    if first_row is None and not c.errors:
        c.add(key(0, "date"), _("Bitte geben Sie mindestens einen Termin an."))
    c.done()
    existing = {s for (s,) in db.session.execute(sa.select(PollSlot.starts_at)
                                                  .where(PollSlot.meeting_id == meeting.id))}
    fresh, skipped, seen = [], 0, set(existing)
    for row_key, start, end in wanted:
        if start in seen:
            if not skip_duplicates:
                raise Conflict({row_key: _("Diesen Termin gibt es in der Umfrage schon.")})
            skipped += 1
            continue
        seen.add(start)
        fresh.append((start, end))
    if not fresh:
        raise Conflict({wanted[0][0]: _("Diesen Termin gibt es in der Umfrage schon.") if len(wanted) == 1
                        else _("Diese Termine gibt es in der Umfrage schon.")})
    if len(existing) + len(fresh) > MAX_SLOTS:
        raise ValidationFailed({"slots": _(
            "Eine Umfrage hat höchstens %(max)s Terminvorschläge. Sie hat schon %(have)s; Sie wollten %(new)s "
            "hinzufügen.", max=MAX_SLOTS, have=len(existing), new=len(fresh))})
    new = [PollSlot(meeting_id=meeting.id, starts_at=start, ends_at=end) for start, end in sorted(fresh)]
    db.session.add_all(new)
    audit.record(actor, "meeting.slot_added", obj=meeting,
                 summary=f"{len(new)} Terminvorschlag/-vorschläge für {meeting.title}")
    try:
        db.session.flush()
    except IntegrityError:  # a parallel request added the same date first
        raise Conflict({wanted[0][0]: _("Diesen Termin gibt es in der Umfrage schon.")}) from None
    return new, skipped


def add_slot(actor, meeting: Meeting, data: dict) -> PollSlot:
    """Organiser: propose one date (errors under the plain field names; a date the poll has is a 409)."""
    return add_slots(actor, meeting, [data], skip_duplicates=False, key=lambda i, field: field)[0][0]


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
