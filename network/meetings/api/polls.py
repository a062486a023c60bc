"""API: a meeting's date poll: its slots with totals, new slots, the pick, the votes."""

from marshmallow import Schema, fields, validate

from network.core.apiauth import MAX_ID, Id, Str, api_user
from network.core.apiauth import InputSchema as _In
from network.core.validation import ValidationFailed
from network.meetings import services
from network.meetings.api import MEETING, op
from network.meetings.api.meetings import DateTimeText
from network.meetings.models import MEETING_STATUSES, POLL_ANSWERS


class SlotIn(_In):
    starts_at = DateTimeText("Beginn, ISO 8601", required=True)
    ends_at = DateTimeText("Ende, ISO 8601 (nach dem Beginn)", required=True)


class PollIn(_In):
    slots = fields.List(fields.Nested(SlotIn), validate=validate.Length(min=1, max=50),
                        metadata={"description": "neue Termine (1 bis 50)"})
    pick_slot_id = Id("Termin festlegen: beendet die Umfrage und lädt ein", nullable=True)


class VoteItem(_In):
    slot_id = Id("ID des Termins", required=True)
    answer = Str(None, "yes (ja), maybe (wenn nötig) oder no (nein)", enum=list(POLL_ANSWERS), required=True)


class VotesField(fields.Field):
    """The answers: a list [{slot_id, answer}] or an object {"<slot_id>": answer}."""

    default_error_messages = {"invalid": "Bitte geben Sie Ihre Antworten an (votes)."}

    def _deserialize(self, value, attr, data, **kwargs):
        from marshmallow import ValidationError
        if isinstance(value, dict):
            value = [{"slot_id": int(k) if isinstance(k, str) and k.isdigit() and len(k) < 11 else k, "answer": v}
                     for k, v in value.items()]
            if any(not isinstance(v["slot_id"], int) for v in value):
                raise ValidationError("Die Schlüssel müssen IDs von Terminen sein.")
        if not isinstance(value, list) or not 1 <= len(value) <= 200:
            raise self.make_error("invalid")
        return VoteItem(many=True).load(value)


class VoteIn(_In):
    votes = VotesField(required=True, error_messages={"required": "Bitte geben Sie Ihre Antworten an (votes).",
                                                      "null": "Bitte geben Sie Ihre Antworten an (votes)."},
                       metadata={"description": "Antworten je Termin: eine Liste [{slot_id, answer}] oder ein Objekt "
                                                "{\"<slot_id>\": answer}",
                                 "oneOf": [{"type": "array", "minItems": 1, "maxItems": 200,
                                            "items": {"type": "object", "required": ["slot_id", "answer"],
                                                      "properties": {
                                                          "slot_id": {"type": "integer", "minimum": 1,
                                                                      "maximum": MAX_ID},
                                                          "answer": {"type": "string",
                                                                     "enum": list(POLL_ANSWERS)}}}},
                                           {"type": "object", "minProperties": 1, "maxProperties": 200,
                                            "additionalProperties": {"type": "string", "enum": list(POLL_ANSWERS)}}],
                                 "example": [{"slot_id": 1, "answer": "yes"}]})


class PollSlotOut(Schema):
    id = fields.Integer()
    starts_at = fields.String(metadata={"format": "date-time"})
    ends_at = fields.String(metadata={"format": "date-time"})
    totals = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "Antwort → Anzahl (yes, maybe, no)"})
    my_answer = fields.String(allow_none=True, metadata={"enum": [*POLL_ANSWERS, None],
                                                                    "description": "eigene Antwort"})


class PollOut(Schema):
    status = fields.String(metadata={"enum": list(MEETING_STATUSES)})
    slots = fields.List(fields.Nested(PollSlotOut))
    best_slot_id = fields.Integer(allow_none=True, metadata={"description": "Termin mit den meisten Zusagen"})


def _poll_out(meeting, user):
    t = services.poll_table(meeting)
    return {"status": meeting.status, "slots": [{
        "id": s.id, "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat(),
        "totals": t["totals"][s.id], "my_answer": t["answers"].get((user.id, s.id))} for s in t["slots"]],
        "best_slot_id": t["best"].id if t["best"] else None}


@op("/meetings/<int:meeting_id>/poll", "GET", answer=PollOut, errors=(401,), load=MEETING)
def get_poll(meeting):
    """The poll's slots with totals (yes / maybe / no) and the user's own answers."""
    return _poll_out(meeting, api_user())


def _new_slots(new):
    """The slots sent, each {starts_at, ends_at} (a poll request with neither a pick nor slots: 422)."""
    if not new or not isinstance(new, list):
        raise ValidationFailed({"slots": "Bitte geben Sie mindestens einen Termin an (slots)."})
    if not all(isinstance(s, dict) for s in new):
        raise ValidationFailed({"slots": "Jeder Termin braucht starts_at und ends_at."})
    return [{"starts_at": s.get("starts_at"), "ends_at": s.get("ends_at")} for s in new]


@op("/meetings/<int:meeting_id>/poll", "POST", body=PollIn, answer=PollOut, errors=(401,), load=MEETING)
def post_poll(data, meeting):
    """Organiser: add slots, or pick one (pick_slot_id), which schedules the meeting and sends invitations."""
    user = api_user()
    services.require_organiser(user, meeting.body)
    if not data:  # nothing to add or pick: the poll as it is
        return _poll_out(meeting, user)
    if data.get("pick_slot_id") not in (None, ""):
        try:
            slot_id = int(data["pick_slot_id"])
        except (TypeError, ValueError):
            raise ValidationFailed({"pick_slot_id": "Bitte geben Sie die ID eines Termins an."})
        services.pick_slot(user, meeting, services.get_slot_or_404(meeting, slot_id))
    else:
        new = data.get("slots")
        # all rows are checked before one is written; a date the poll has is refused (409), as before
        services.add_slots(user, meeting, _new_slots(new), skip_duplicates=False,
                           key=lambda i, field: field if len(new) == 1 else f"slots-{i}-{field}")
    return _poll_out(meeting, user)


@op("/meetings/<int:meeting_id>/poll/votes", "POST", body=VoteIn, answer=PollOut, errors=(401,), load=MEETING)
def post_votes(data, meeting):
    """Answer slots of the poll: yes, maybe (if need be) or no."""
    user = api_user()
    services.cast_votes(user, meeting, {str(v["slot_id"]): v["answer"] for v in data["votes"]})
    return _poll_out(meeting, user)
