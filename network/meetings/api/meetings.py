"""API: meetings (list, create, read, change) and the RSVP to one."""

from marshmallow import Schema, fields, validate

from network.core.apiauth import (
    MAX_ID,
    CityRef,
    Id,
    Int,
    Str,
    StrictInteger,
    Version,
    addresses,
    api_user,
    link,
)
from network.core.apiauth import InputSchema as _In
from network.core.permissions import require
from network.meetings import services
from network.meetings.api import MEETING, op
from network.meetings.models import MEETING_STATUSES, MINUTES_STATUSES, RSVP_RESPONSES
from network.meetings.services._common import MAX_TEXT

#: the arguments of a meeting's addresses
_MEETING_ARGS = {"network": lambda m: m.body.network.slug, "meeting_id": "id"}


class MeetingSchema(Schema):
    id = fields.Integer()
    url, html_url = addresses("meetings_api.get_meeting", "meetings.detail", "des Treffens", **_MEETING_ARGS)
    ics_url = link("meetings.ics", "Kalenderdatei (iCalendar) des Treffens", **_MEETING_ARGS)
    body_id = fields.Integer()
    number = fields.Integer(allow_none=True)
    title = fields.String()
    status = fields.String(metadata={"description": "polling (Terminumfrage), scheduled (geplant), cancelled "
                                                    "(abgesagt)", "enum": list(MEETING_STATUSES)})
    host = fields.Nested(CityRef, allow_none=True)
    address = fields.String()
    room = fields.String()
    online_url = fields.String()
    description = fields.String()
    starts_at = fields.DateTime(allow_none=True, metadata={"description": "ISO 8601 mit Zeitzone"})
    ends_at = fields.DateTime(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    proposal_cutoff = fields.DateTime(allow_none=True)
    sequence = fields.Integer(metadata={"description": "iCalendar SEQUENCE"})
    version = fields.Integer(metadata={"description": "für PATCH mitsenden (Schutz vor parallelem Ändern)"})
    minutes_status = fields.String(metadata={"description": "Protokoll", "enum": list(MINUTES_STATUSES)})
    is_example = fields.Boolean()


class RsvpCounts(Schema):
    yes = fields.Integer()
    maybe = fields.Integer()
    no = fields.Integer()
    waiting = fields.Integer()


class MeetingDetail(MeetingSchema):
    rsvp_counts = fields.Nested(RsvpCounts)
    my_rsvp = fields.String(allow_none=True, metadata={"description": "eigene Antwort",
                                                       "enum": [*RSVP_RESPONSES, None]})


def _iso_datetime(value):
    """ISO 8601 date and time (without an offset: local time Europe/Berlin)."""
    from datetime import datetime

    from marshmallow import ValidationError
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError("Bitte geben Sie Datum und Uhrzeit nach ISO 8601 an (z. B. "
                              "2026-03-01T10:00:00+01:00).") from None
    if len(value) < 16 or "T" not in value.upper():
        raise ValidationError("Bitte geben Sie Datum und Uhrzeit nach ISO 8601 an (z. B. 2026-03-01T10:00:00+01:00).")


def DateTimeText(description, **kw):
    """A date-time kept as the text sent (the service reads it; without an offset it is Berlin time)."""
    return Str(40, description, nullable=True, validate=[_iso_datetime], single_line=True,
               metadata={"format": "date-time"}, example="2026-03-01T10:00:00+01:00", **kw)


def _meeting_in(create: bool):
    return {
        "number": Int(1, 10_000, "laufende Nummer im Gremium (null: keine)", nullable=True, example=3),
        "title": Str(200, "Titel", required=create, not_blank=True, blank_message="Bitte geben Sie einen Titel an.",
                     example="Steuerungsgruppe Frühjahr"),
        "host_id": Id("ID der gastgebenden Mitgliedskommune (null: keine)", nullable=True),
        "address": Str(300, "Adresse (Adresse oder Online-Link ist erforderlich)", example="Marktplatz 2, Ettlingen"),
        "room": Str(200, "Raum"),
        "online_url": Str(300, "Online-Link (http:// oder https://)", metadata={"format": "uri"},
                          validate=[validate.Regexp(r"^(https?://[^\s/$.?#][^\s]*)?\Z",
                                                    error="Der Online-Link muss mit http:// oder https:// beginnen.")],
                          example="https://meet.example.org/steuerung"),
        "description": Str(MAX_TEXT, "Hinweise (Markdown)"),
        "starts_at": DateTimeText("Beginn, ISO 8601; ohne Offset gilt Ortszeit Berlin. Leer: Terminumfrage"),
        "ends_at": DateTimeText("Ende, ISO 8601"),
        "capacity": Int(1, 10_000, "höchste Zahl der Teilnehmenden (null: unbegrenzt)", nullable=True, example=30),
        "proposal_cutoff": DateTimeText("Einsendeschluss für Tagesordnungsvorschläge, ISO 8601 (vor dem Beginn)"),
        "version": Version(description="die zuletzt gelesene Version (veraltet: 409)"),
    }


#: a change: the fields sent change, the others stay
MeetingIn = type("MeetingIn", (_In,), _meeting_in(create=False))
#: a new meeting (with starts_at/ends_at) or date poll (without)
MeetingCreateIn = type("MeetingCreateIn", (_In,), {
    **_meeting_in(create=True),
    "body_id": StrictInteger(required=True, metadata={"description": "ID des Gremiums", "example": 1},
                             validate=validate.Range(min=1, max=MAX_ID, error="Dieses Gremium gibt es nicht."),
                             error_messages={"required": "Bitte geben Sie das Gremium an (body_id).",
                                             "invalid": "body_id muss eine ganze Zahl sein.",
                                             "null": "Bitte geben Sie das Gremium an (body_id)."})})


class RsvpIn(_In):
    response = Str(None, "Antwort: yes (Zusage), no (Absage) oder maybe (vielleicht)", enum=list(RSVP_RESPONSES),
                   required=True)
    note = Str(500, "Anmerkung")


class RsvpOut(Schema):
    response = fields.String(metadata={"enum": list(RSVP_RESPONSES), "description": "die Antwort"})
    note = fields.String(metadata={"description": "Anmerkung"})
    waiting_list = fields.Boolean(metadata={"description": "auf der Warteliste (Treffen voll)"})


class _MeetingOut:
    """A meeting with the RSVP counts and the user's own answer (MeetingDetail)."""

    def __init__(self, meeting, user):
        self._meeting = meeting
        self.rsvp_counts = services.attendees(meeting)["counts"]
        own = services.own_rsvp(user, meeting)
        self.my_rsvp = own.response if own else None

    def __getattr__(self, name):
        return getattr(self._meeting, name)


@op("/meetings", "GET", answer=MeetingSchema(many=True), errors=(401,), paged=True)
def list_meetings():
    """Upcoming meetings and running polls of the user's bodies."""
    user = api_user()
    require(user, "meeting.view")
    return services.running_polls(user) + services.upcoming_meetings(user, limit=200)


@op("/meetings", "POST", body=MeetingCreateIn, status=201, answer=MeetingDetail, errors=(401,))
def create_meeting(data):
    """Schedule a meeting (starts_at/ends_at) or start a date poll (without them)."""
    user = api_user()
    require(user, "meeting.organise")
    # body_id is an id (the schema refuses anything else): an unknown or invisible body answers 404
    body = services.get_body_or_404(user, data["body_id"])
    data = dict(data)
    data.setdefault("starts_at", None)
    return _MeetingOut(services.create_meeting(user, body, data), user)


@op("/meetings/<int:meeting_id>", "GET", answer=MeetingDetail, errors=(401,), load=MEETING)
def get_meeting(meeting):
    """One meeting with the RSVP counts and the user's own answer."""
    return _MeetingOut(meeting, api_user())


def _isoformat(value):
    return value.isoformat() if value else None


@op("/meetings/<int:meeting_id>", "PATCH", body=MeetingIn, answer=MeetingDetail, errors=(401,), load=MEETING)
def patch_meeting(data, meeting):
    """Change a meeting (fields not sent keep their value); send `version` to detect parallel edits (409)."""
    user = api_user()
    current = {"number": meeting.number, "title": meeting.title, "host_id": meeting.host_municipality_id,
               "address": meeting.address, "room": meeting.room, "online_url": meeting.online_url,
               "description": meeting.description, "capacity": meeting.capacity,
               "proposal_cutoff": _isoformat(meeting.proposal_cutoff), "starts_at": _isoformat(meeting.starts_at),
               "ends_at": _isoformat(meeting.ends_at)}
    current.update({k: v for k, v in data.items() if k not in ("version", "body_id")})
    services.update_meeting(user, meeting, current, version=data.get("version"))
    return _MeetingOut(meeting, user)


@op("/meetings/<int:meeting_id>/rsvp", "POST", body=RsvpIn, answer=RsvpOut, errors=(401,), load=MEETING)
def rsvp(data, meeting):
    """Answer the invitation: yes, no or maybe (answering again replaces the answer)."""
    row = services.record_rsvp(api_user(), meeting, data.get("response"), data.get("note", ""))
    return {"response": row.response, "note": row.note,
            "waiting_list": row.id in services.attendees(meeting)["waiting_ids"]}
