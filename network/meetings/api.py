"""API: bodies, meetings, RSVPs, date polls and agendas (only for members of a body and the coordination)."""

from marshmallow import Schema, fields, validate

from network.core.apiauth import (MAX_ID, CityRef, deprecate, link, Id, InputSchema as _In, Int, Str, StrictInteger, Version,
                                  api_user, error_answers, make_blueprint)
from network.meetings.models import (AGENDA_STATUSES, BODY_KINDS, MEETING_STATUSES, MINUTES_STATUSES, POLL_ANSWERS,
                                     RSVP_RESPONSES)
from network.meetings.services._common import MAX_TEXT
from network.core.permissions import require
from network.core.pagination import paginated
from network.core.validation import ValidationFailed
from network.meetings import services

blp = make_blueprint("meetings_api", __name__, "", "Gremien, Treffen, Terminumfragen, Tagesordnungen, Zusagen")

#: endpoints of the addresses without a network (before issue #16): they answer for the default network
LEGACY_PREFIX = "legacy_"


def route(rule, **options):
    """Register a view under /networks/<network><rule> (the network's bodies and meetings) and, marked deprecated
    in the OpenAPI document, under the old address <rule>, which answers for the installation's default network."""
    def decorator(func):
        blp.route("/networks/<network>" + rule, **options)(func)
        blp.route(rule, endpoint=LEGACY_PREFIX + func.__name__, **options)(blp.doc(deprecated=True)(func))
        deprecate(f"{blp.name}.{LEGACY_PREFIX}{func.__name__}")
        return func
    return decorator


@blp.url_value_preprocessor
def _pull_network(endpoint, values):
    """The network named in the address is this request's; the old addresses are in the default network."""
    from network.core.current import default_network_slug, set_request_network
    set_request_network((values or {}).pop("network", None) or default_network_slug())


@blp.before_request
def _known_network():
    """An unknown network, or one the caller has no part in, answers 404 (after the token check: without a token,
    401); a city that left the network reads its history and writes nothing (403)."""
    from flask import g, request
    if g.get("api_user"):
        from network.networks.services import network_gate
        network_gate(g.api_user, request.method)  # 404 outside the caller's networks, 403 writes after leaving


@blp.before_request
def _visible_meeting_first():
    """A meeting the caller may not see answers 404 before its body is checked (422 would tell that it exists)."""
    from flask import g, request
    meeting_id = (request.view_args or {}).get("meeting_id")
    if meeting_id is not None and g.get("api_user"):
        services.get_meeting_or_404(g.api_user, meeting_id)


@blp.before_request
def _organisers_only():
    """Creating meetings: a missing right answers 403 before the body is validated (422)."""
    from flask import g, request
    if request.endpoint in ("meetings_api.create_meeting", "meetings_api." + LEGACY_PREFIX + "create_meeting") \
            and request.method == "POST" and g.get("api_user"):
        require(g.api_user, "meeting.organise")


class BodySchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "Art des Gremiums", "enum": list(BODY_KINDS)})
    name = fields.String()
    description = fields.String()
    topic = fields.Function(lambda b: b.topic.slug if b.topic else None, allow_none=True,
                            metadata={"type": "string", "description": "Slug des Themas (Projektgruppen)"})
    is_example = fields.Boolean()


class MeetingSchema(Schema):
    id = fields.Integer()
    url = link("meetings_api.get_meeting", "API-Adresse des Treffens", network=lambda m: m.body.network.slug,
               meeting_id="id")
    html_url = link("meetings.detail", "Seite des Treffens", network=lambda m: m.body.network.slug, meeting_id="id")
    ics_url = link("meetings.ics", "Kalenderdatei (iCalendar) des Treffens", network=lambda m: m.body.network.slug,
                   meeting_id="id")
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


class AgendaIn(_In):
    title = Str(200, "Titel des Tagesordnungspunkts", required=True, not_blank=True,
                blank_message="Bitte geben Sie einen Titel an.", example="Bericht aus den Projektgruppen")
    presenter_municipality_id = Id("ID der vortragenden Kommune", nullable=True)
    presenter_name = Str(120, "vortragende Person")
    duration_minutes = Int(1, 480, "Dauer in Minuten (Vorgabe 15)", nullable=True, example=15)
    topic_id = Id("ID eines aktiven Themas des Netzwerks", nullable=True)
    link_path = Str(300, "interner Pfad, beginnt mit /praxis/ oder /vorhaben/", single_line=True,
                    example="/praxis/1")
    link_label = Str(200, "Bezeichnung des Links (mit link_path erforderlich)")


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


class AgendaItemOut(Schema):
    id = fields.Integer()
    title = fields.String()
    status = fields.String(metadata={"enum": list(AGENDA_STATUSES)})
    position = fields.Integer(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True)
    presenter_name = fields.String(allow_none=True)
    presenter_municipality = fields.String(allow_none=True, metadata={"description": "Slug der Kommune"})
    topic = fields.String(allow_none=True, metadata={"description": "Slug des Themas"})
    link_path = fields.String(allow_none=True)
    link_label = fields.String(allow_none=True)
    starts_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class CarriedActionOut(Schema):
    id = fields.Integer()
    text = fields.String()
    municipality = fields.String(metadata={"description": "Slug der Kommune"})
    due_date = fields.String(allow_none=True, metadata={"format": "date"})


class AgendaOut(Schema):
    items = fields.List(fields.Nested(AgendaItemOut), metadata={"description": "angenommene Punkte mit Beginn"})
    proposed = fields.List(fields.Nested(AgendaItemOut), metadata={"description": "offene Vorschläge"})
    carried_action_items = fields.List(fields.Nested(CarriedActionOut),
                                       metadata={"description": "offene Aufgaben aus früheren Treffen"})
    proposals_open = fields.Boolean(metadata={"description": "Vorschläge sind noch möglich"})


class _MeetingOut:
    """A meeting with the RSVP counts and the user's own answer (MeetingDetail)."""

    def __init__(self, meeting, user):
        self._meeting = meeting
        self.rsvp_counts = services.attendees(meeting)["counts"]
        own = services.own_rsvp(user, meeting)
        self.my_rsvp = own.response if own else None

    def __getattr__(self, name):
        return getattr(self._meeting, name)


def _meeting_out(meeting, user):
    return _MeetingOut(meeting, user)


def _poll_out(meeting, user):
    t = services.poll_table(meeting)
    return {"status": meeting.status, "slots": [{
        "id": s.id, "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat(),
        "totals": t["totals"][s.id], "my_answer": t["answers"].get((user.id, s.id))} for s in t["slots"]],
        "best_slot_id": t["best"].id if t["best"] else None}


def _agenda_out(meeting):
    ag = services.agenda(meeting)

    def item(i, start=None):
        return {"id": i.id, "title": i.title, "status": i.status, "position": i.position,
                "duration_minutes": i.duration_minutes, "presenter_name": i.presenter_name,
                "presenter_municipality": i.presenter_municipality.slug if i.presenter_municipality else None,
                "topic": i.topic.slug if i.topic else None, "link_path": i.link_path, "link_label": i.link_label,
                "starts_at": start.isoformat() if start else None}
    return {"items": [item(i, s) for i, s in ag["items"]], "proposed": [item(i) for i in ag["proposed"]],
            "carried_action_items": [{"id": a.id, "text": a.text, "municipality": a.municipality.slug,
                                      "due_date": a.due_date.isoformat() if a.due_date else None}
                                     for a in ag["carried"]],
            "proposals_open": services.proposals_open(meeting)}


@route("/bodies")
@blp.response(200, BodySchema(many=True))
@error_answers(blp, 401)
@paginated(blp)
def list_bodies():
    """The bodies the token's user is a member of (all for the coordination)."""
    return services.visible_bodies(api_user())


@route("/meetings", methods=["GET"])
@blp.response(200, MeetingSchema(many=True))
@error_answers(blp, 401)
@paginated(blp)
def list_meetings():
    """Upcoming meetings and running polls of the user's bodies."""
    user = api_user()
    require(user, "meeting.view")
    return services.running_polls(user) + services.upcoming_meetings(user, limit=200)


@route("/meetings", methods=["POST"])
@blp.arguments(MeetingCreateIn)
@blp.response(201, MeetingDetail)
@error_answers(blp, 401)
def create_meeting(data):
    """Schedule a meeting (starts_at/ends_at) or start a date poll (without them)."""
    user = api_user()
    require(user, "meeting.organise")
    try:
        body_id = int(data.get("body_id"))
    except (TypeError, ValueError):
        raise ValidationFailed({"body_id": "Bitte geben Sie das Gremium an (body_id)."}) from None
    body = services.get_body_or_404(user, body_id)
    data = dict(data)
    data.setdefault("starts_at", None)
    meeting = services.create_meeting(user, body, data)
    return _meeting_out(meeting, user)


@route("/meetings/<int:meeting_id>", methods=["GET"])
@blp.response(200, MeetingDetail)
@error_answers(blp, 401)
def get_meeting(meeting_id):
    """One meeting with the RSVP counts and the user's own answer."""
    user = api_user()
    return _meeting_out(services.get_meeting_or_404(user, meeting_id), user)


@route("/meetings/<int:meeting_id>", methods=["PATCH"])
@blp.arguments(MeetingIn)
@blp.response(200, MeetingDetail)
@error_answers(blp, 401)
def patch_meeting(data, meeting_id):
    """Change a meeting (fields not sent keep their value); send `version` to detect parallel edits (409)."""
    user = api_user()
    meeting = services.get_meeting_or_404(user, meeting_id)
    current = {"number": meeting.number, "title": meeting.title, "host_id": meeting.host_municipality_id,
               "address": meeting.address, "room": meeting.room, "online_url": meeting.online_url,
               "description": meeting.description, "capacity": meeting.capacity,
               "proposal_cutoff": meeting.proposal_cutoff.isoformat() if meeting.proposal_cutoff else None,
               "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
               "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None}
    current.update({k: v for k, v in data.items() if k not in ("version", "body_id")})
    services.update_meeting(user, meeting, current, version=data.get("version"))
    return _meeting_out(meeting, user)


@route("/meetings/<int:meeting_id>/rsvp", methods=["POST"])
@blp.arguments(RsvpIn)
@blp.response(200, RsvpOut)
@error_answers(blp, 401)
def rsvp(data, meeting_id):
    """Answer the invitation: yes, no or maybe (answering again replaces the answer)."""
    user = api_user()
    meeting = services.get_meeting_or_404(user, meeting_id)
    row = services.record_rsvp(user, meeting, data.get("response"), data.get("note", ""))
    return {"response": row.response, "note": row.note,
            "waiting_list": row.id in services.attendees(meeting)["waiting_ids"]}


@route("/meetings/<int:meeting_id>/poll", methods=["GET"])
@blp.response(200, PollOut)
@error_answers(blp, 401)
def get_poll(meeting_id):
    """The poll's slots with totals (yes / maybe / no) and the user's own answers."""
    user = api_user()
    return _poll_out(services.get_meeting_or_404(user, meeting_id), user)


@route("/meetings/<int:meeting_id>/poll", methods=["POST"])
@blp.arguments(PollIn)
@blp.response(200, PollOut)
@error_answers(blp, 401)
def post_poll(data, meeting_id):
    """Organiser: add slots, or pick one (pick_slot_id), which schedules the meeting and sends invitations."""
    user = api_user()
    meeting = services.get_meeting_or_404(user, meeting_id)
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
        if not new or not isinstance(new, list):
            raise ValidationFailed({"slots": "Bitte geben Sie mindestens einen Termin an (slots)."})
        for s in new:
            if not isinstance(s, dict):
                raise ValidationFailed({"slots": "Jeder Termin braucht starts_at und ends_at."})
        # all rows are checked before one is written; a date the poll has is refused (409), as before
        services.add_slots(user, meeting, [{"starts_at": s.get("starts_at"), "ends_at": s.get("ends_at")}
                                           for s in new], skip_duplicates=False,
                           key=lambda i, field: field if len(new) == 1 else f"slots-{i}-{field}")
    return _poll_out(meeting, user)


@route("/meetings/<int:meeting_id>/poll/votes", methods=["POST"])
@blp.arguments(VoteIn)
@blp.response(200, PollOut)
@error_answers(blp, 401)
def post_votes(data, meeting_id):
    """Answer slots of the poll: yes, maybe (if need be) or no."""
    user = api_user()
    meeting = services.get_meeting_or_404(user, meeting_id)
    votes = {str(v["slot_id"]): v["answer"] for v in data["votes"]}
    services.cast_votes(user, meeting, votes)
    return _poll_out(meeting, user)


@route("/meetings/<int:meeting_id>/agenda", methods=["GET"])
@blp.response(200, AgendaOut)
@error_answers(blp, 401)
def get_agenda(meeting_id):
    """Accepted items with start times, open proposals and the carried-over open action items."""
    return _agenda_out(services.get_meeting_or_404(api_user(), meeting_id))


@route("/meetings/<int:meeting_id>/agenda", methods=["POST"])
@blp.arguments(AgendaIn)
@blp.response(201, AgendaOut)
@error_answers(blp, 401)
def post_agenda(data, meeting_id):
    """Propose an item (members, until the cutoff) or add it (organiser)."""
    user = api_user()
    meeting = services.get_meeting_or_404(user, meeting_id)
    services.add_agenda_item(user, meeting, data)
    return _agenda_out(meeting)
