"""API: funding calls (radar, record, edit, interest) and joint applications (workspace, partners)."""


from marshmallow import Schema, fields

from marshmallow import validate

from network.core.apiauth import (Amount as AmountIn, Bool, CityRef, link, Id, InputSchema as _In, Int, NamedRef, Str, Url, Version,
                                  api_user, error_answers, make_blueprint)
from network.core.errors import api_error
from network.core.pagination import link_header, paginated
from network.core.permissions import require
from network.extensions import db
from network.funding import services
from network.funding.models import (APPLICATION_STATUSES, CALL_STATUSES, FUNDERS, MEMBER_ROLES,
                                    MEMBER_STATUSES)
from network.funding.services._common import MAX_DEADLINES, MAX_TEXT
from network.municipalities.models import Municipality

blp = make_blueprint("funding_api", __name__, "", "Förderaufrufe, Interesse und Verbundanträge")

class Amount(fields.Decimal):
    """Euros as a string with two decimals ("1234.50"), null when not given."""

    def __init__(self, **kw):
        meta = {"type": "string", "pattern": r"^\d+\.\d{2}$", **kw.pop("metadata", {})}
        super().__init__(places=2, as_string=True, allow_none=True, metadata=meta, **kw)


class FundingDeadlineSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    due_on = fields.Date(metadata={"description": "letzter Tag; gilt bis 23:59:59 Uhr Europe/Berlin"})


class FundingInterestSchema(Schema):
    municipality = fields.Nested(CityRef)
    note = fields.String()
    created_at = fields.DateTime()


class FundingCallSchema(Schema):
    id = fields.Integer()
    url = link("funding_api.get_call", "API-Adresse des Förderaufrufs", call_id="id")
    html_url = link("funding.detail", "Seite des Förderaufrufs", call_id="id")
    title = fields.String()
    funder = fields.String(metadata={"description": "Fördergeber", "enum": list(FUNDERS)})
    funder_name = fields.String()
    website = fields.String(attribute="url", metadata={"description": "Link zum Förderaufruf beim Fördergeber "
                                                                     "(bis Version 1.1 im Feld url)"})
    summary = fields.String()
    eligibility = fields.String()
    joint_allowed = fields.Boolean()
    rate = Amount(metadata={"description": "Fördersatz in %"})
    min_amount = Amount()
    max_amount = Amount()
    opens_on = fields.Date(allow_none=True)
    source = fields.String()
    checked_on = fields.Date(allow_none=True, metadata={"description": "zuletzt geprüft am"})
    stale = fields.Function(lambda c: c.is_stale(), metadata={"type": "boolean",
                                                              "description": "länger als 90 Tage nicht geprüft"})
    status = fields.Function(lambda c: c.status(), metadata={"type": "string", "enum": list(CALL_STATUSES),
                                                             "description": "Stand"})
    next_deadline = fields.Function(lambda c: (d := c.next_deadline()) and d.due_on.isoformat(), allow_none=True,
                                    metadata={"type": "string", "format": "date", "description": "nächste Frist"})
    deadlines = fields.List(fields.Nested(FundingDeadlineSchema))
    fields_of_action = fields.List(fields.Nested(NamedRef), attribute="fields")
    topics = fields.List(fields.Nested(NamedRef))
    is_example = fields.Boolean()
    version = fields.Integer()
    interested = fields.List(fields.Nested(FundingInterestSchema), dump_only=True,
                             metadata={"description": "Kommunen, die eine Bewerbung prüfen"})


class FundingCallQuery(_In):
    status = Str(None, "current (Vorgabe: offen und angekündigt), open, announced, closed oder all",
                 enum=["current", "open", "announced", "closed", "all"])
    field = Str(80, "Slug oder ID eines Handlungsfelds", single_line=True)
    topic = Str(80, "Slug oder ID eines Themas", single_line=True)
    funder = Str(None, "Fördergeber", enum=list(FUNDERS))
    page = fields.Integer(validate=validate.Range(1, 10_000, error="Die Seite muss zwischen 1 und 10000 liegen."),
                          metadata={"description": "Seite (ab 1, je 50)", "example": 1})


class FundingDeadlineIn(_In):
    label = Str(120, "Bezeichnung der Frist (Vorgabe: Frist)", single_line=True, example="Antragsfrist")
    due_on = fields.Date(required=True, error_messages={"required": "Diese Angabe fehlt.",
                                                        "invalid": "Bitte geben Sie ein Datum im Format JJJJ-MM-TT an."},
                         metadata={"description": "letzter Tag (JJJJ-MM-TT)", "example": "2026-06-30"})


def _date(description):
    return fields.Date(allow_none=True, error_messages={"invalid": "Bitte geben Sie ein Datum im Format JJJJ-MM-TT an."},
                       metadata={"description": description, "example": "2026-03-01"})


def _call_in(create: bool):
    return {
        "title": Str(200, "Name des Programms", required=create, not_blank=True, example="Digitale Kommune 2026",
                     blank_message="Bitte geben Sie den Namen des Programms an."),
        "funder": Str(None, "Fördergeber: eu, bund, land, stiftung, other", enum=list(FUNDERS), required=create),
        "funder_name": Str(200, "Name des Fördergebers", single_line=True),
        "website": Url(300, "Link zum Förderaufruf beim Fördergeber"),
        "url": Url(300, "veraltet: frühere Bezeichnung von website", metadata={"deprecated": True}),
        "summary": Str(MAX_TEXT, "Zusammenfassung (Markdown)"),
        "eligibility": Str(MAX_TEXT, "Wer antragsberechtigt ist"),
        "joint_allowed": Bool("Verbundanträge zulässig"),
        "source": Str(300, "Quelle der Angaben", single_line=True),
        "rate": AmountIn("Fördersatz in Prozent (0 bis 100)", maximum=100),
        "min_amount": AmountIn("Mindestbetrag in Euro"),
        "max_amount": AmountIn("Höchstbetrag in Euro"),
        "opens_on": _date("Öffnungsdatum (JJJJ-MM-TT)"),
        "checked_on": _date("zuletzt geprüft am (JJJJ-MM-TT, nicht in der Zukunft)"),
        "deadlines": fields.List(fields.Nested(FundingDeadlineIn), validate=validate.Length(max=MAX_DEADLINES),
                                 metadata={"description": f"Fristen (höchstens {MAX_DEADLINES}, verschiedene Tage, "
                                                          "nach dem Öffnungsdatum)"}),
        "field_ids": fields.List(Id("ID eines Handlungsfelds"), validate=validate.Length(max=50),
                                 metadata={"description": "Handlungsfelder des Netzwerks"}),
        "topic_ids": fields.List(Id("ID eines Themas"), validate=validate.Length(max=50),
                                 metadata={"description": "aktive Themen des Netzwerks"}),
    }


#: a change: the fields sent change
FundingCallIn = type("FundingCallIn", (_In,), {
    **_call_in(create=False), "version": Version(description="die gelesene Version (veraltet: 409)")})
#: a new call
FundingCallCreate = type("FundingCallCreate", (_In,), _call_in(create=True))


class FundingInterestIn(_In):
    interested = Bool("true (Vorgabe): wir prüfen eine Bewerbung; false: nicht mehr")
    note = Str(500, "Anmerkung")


class FundingMemberSchema(Schema):
    municipality = fields.Nested(CityRef)
    role = fields.String(metadata={"description": "Rolle", "enum": list(MEMBER_ROLES)})
    status = fields.String(metadata={"description": "Stand der Einladung", "enum": list(MEMBER_STATUSES)})
    share_amount = Amount()
    share_note = fields.String()


class FundingItemSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    municipality = fields.Nested(CityRef, allow_none=True)
    due_on = fields.Date(allow_none=True)
    done = fields.Boolean()


class FundingEventSchema(Schema):
    action = fields.String()
    label = fields.String()
    detail = fields.String()
    municipality = fields.Nested(CityRef, allow_none=True)
    created_at = fields.DateTime()


class FundingApplicationSchema(Schema):
    id = fields.Integer()
    url = link("funding_api.get_application", "API-Adresse des Antrags", application_id="id")
    html_url = link("funding.application", "Seite des Antrags", application_id="id")
    call_id = fields.Integer()
    call_title = fields.Function(lambda a: a.call.title, metadata={"type": "string"})
    title = fields.String()
    description = fields.String()
    status = fields.String(metadata={"description": "Stand", "enum": list(APPLICATION_STATUSES)})
    requested_amount = Amount()
    granted_amount = Amount()
    municipality = fields.Nested(CityRef, metadata={"description": "antragstellende Kommune"})
    members = fields.List(fields.Nested(FundingMemberSchema))
    is_example = fields.Boolean()
    version = fields.Integer()


class FundingApplicationDetailSchema(FundingApplicationSchema):
    declined = fields.Boolean(metadata={"description": "nur nach einer Absage der Einladung: die Kommune sieht den "
                                                      "Antrag nicht mehr (dann fehlen die übrigen Angaben)"})
    checklist = fields.List(fields.Nested(FundingItemSchema))
    timeline = fields.List(fields.Nested(FundingEventSchema))


class FundingApplicationIn(_In):
    call_id = Id("ID des Förderaufrufs", required=True)
    title = Str(200, "Titel (Vorgabe: der Name des Aufrufs)")
    description = Str(MAX_TEXT, "Beschreibung (Markdown)")
    requested_amount = AmountIn("beantragter Betrag in Euro")


class FundingApplicationPatch(_In):
    title = Str(200, "Titel", not_blank=True)
    description = Str(MAX_TEXT, "Beschreibung (Markdown)")
    status = Str(None, "Stand (nur die Leitung der antragstellenden Kommune)", enum=list(APPLICATION_STATUSES))
    requested_amount = AmountIn("beantragter Betrag in Euro")
    granted_amount = AmountIn("bewilligter Betrag in Euro, nur beim Status granted")
    version = Version(description="die gelesene Version (veraltet: 409)")
    share_amount = AmountIn("Eigenanteil der eigenen Kommune in Euro")
    share_note = Str(1000, "Beschreibung des eigenen Beitrags")
    invitation = Str(None, "accept (annehmen) oder decline (ablehnen), als eingeladene Kommune",
                     enum=["accept", "decline"])


class FundingPartnerIn(_In):
    municipality = Str(80, "Slug (oder ID als Text) der einzuladenden Mitgliedskommune", required=True,
                       not_blank=True, single_line=True, example="ettlingen")


#: endpoint -> permission checked before the body is parsed (a missing right is 403 whatever the body)
_BEFORE_BODY = {"funding_api.create_call": "funding.record", "funding_api.patch_call": "funding.record",
                "funding_api.create_application": "funding.apply"}


@blp.before_request
def check_right_first():
    """Runs after the token check of make_blueprint."""
    from flask import g, request
    permission = _BEFORE_BODY.get(request.endpoint)
    if permission and getattr(g, "api_user", None) is not None:
        require(g.api_user, permission)


def _errors(*codes):
    """The documented error answers of a route (core/apiauth.error_answers)."""
    return error_answers(blp, *codes)


def _website(data: dict) -> dict:
    """The programme's link is `website` (the older name `url` is still read; website wins)."""
    data = dict(data)
    if "website" in data:
        data["url"] = data.pop("website")
    return data


def _json(data, status=200):
    """An answer already dumped by the schemas (smorest documents the schema and passes a Response through)."""
    from flask import jsonify
    resp = jsonify(data)
    resp.status_code = status
    return resp


class FundingInterestOut(Schema):
    interested = fields.Boolean(metadata={"description": "die eigene Kommune prüft eine Bewerbung"})
    note = fields.String(metadata={"description": "Anmerkung"})
    municipality = fields.Nested(CityRef)


def _call_out(calls):
    interests = services.interests_by_call([c.id for c in calls])
    out = FundingCallSchema(many=True, exclude=("interested",)).dump(calls)
    for row, call in zip(out, calls):
        row["interested"] = FundingInterestSchema(many=True).dump(interests.get(call.id, []))
    return out


@blp.route("/funding-calls")
@blp.arguments(FundingCallQuery, location="query")
@blp.response(200, FundingCallSchema(many=True))
@_errors(401)
@blp.doc(**{"x-paginated": "link"})
def list_calls(query):
    """The radar: calls by the nearest deadline (filters: status, field, topic, funder); 50 per page."""
    page = query.get("page") or 1
    data = services.radar(api_user(), status=query.get("status") or "current", funder=query.get("funder"),
                          field=query.get("field"), topic=query.get("topic"), page=page)
    resp = _json(_call_out(data["calls"]))
    resp.headers["Link"] = link_header(page, has_next=data["has_next"])
    return resp


@blp.route("/funding-calls", methods=["POST"])
@blp.arguments(FundingCallCreate)
@blp.response(201, FundingCallSchema)
@_errors(401, 403, 422)
def create_call(data):
    """Record a call (coordination, city leads)."""
    call = services.create_call(api_user(), _website(data))
    return _json(_call_out([call])[0], 201)


@blp.route("/funding-calls/<int:call_id>")
@blp.response(200, FundingCallSchema)
@_errors(401, 404)
def get_call(call_id):
    """One call with deadlines and interested cities."""
    return _json(_call_out([services.get_call_or_404(api_user(), call_id)])[0])


@blp.route("/funding-calls/<int:call_id>", methods=["PATCH"])
@blp.arguments(FundingCallIn)
@blp.response(200, FundingCallSchema)
@_errors(401, 403, 404, 409, 422)
def patch_call(data, call_id):
    """Change the given fields; send the version you read (a stale one answers 409)."""
    user = api_user()
    call = services.get_call_or_404(user, call_id)
    version = data.pop("version", None)
    services.update_call(user, call, _website(data), version=call.version if version is None else version)
    return _json(_call_out([call])[0])


@blp.route("/funding-calls/<int:call_id>/interest", methods=["PUT"])
@blp.arguments(FundingInterestIn)
@blp.response(200, FundingInterestOut)
@_errors(401, 403, 404, 422)
def put_interest(data, call_id):
    """Mark ({"interested": true}) or unmark "wir prüfen eine Bewerbung" for the token owner's city."""
    user = api_user()
    call = services.get_call_or_404(user, call_id)
    interested = data.get("interested", True)
    interested = services._bool(interested) if interested is not None else True
    row = services.set_interest(user, call, interested, data.get("note") or "")
    return _json({"interested": row is not None, "note": row.note if row else "",
                  "municipality": CityRef().dump(user.municipality)})


@blp.route("/applications")
@blp.response(200, FundingApplicationSchema(many=True))
@_errors(401)
@paginated(blp)
def list_applications():
    """Applications the token owner's city takes part in (lead, invited, accepted); the coordination: all."""
    return services.applications_for(api_user())


@blp.route("/applications", methods=["POST"])
@blp.arguments(FundingApplicationIn)
@blp.response(201, FundingApplicationDetailSchema)
@_errors(401, 403, 404, 422)
def create_application(data):
    """Start an application for a call; the token owner's city is the lead applicant."""
    user = api_user()
    require(user, "funding.apply")
    try:
        call_id = int(data.get("call_id"))
    except (TypeError, ValueError):
        return api_error(422, "invalid", "Bitte geben Sie den Förderaufruf an (call_id).",
                         {"call_id": "Bitte geben Sie den Förderaufruf an (call_id)."})
    call = services.get_call_or_404(user, call_id)
    app_ = services.create_application(user, call, data)
    return _json(_detail(app_), 201)


def _detail(app_):
    w = services.application_workspace(app_)
    out = FundingApplicationDetailSchema().dump(app_)
    out["checklist"] = FundingItemSchema(many=True).dump(w["checklist"])
    out["timeline"] = FundingEventSchema(many=True).dump(w["events"])
    return out


@blp.route("/applications/<int:application_id>")
@blp.response(200, FundingApplicationDetailSchema)
@_errors(401, 404)
def get_application(application_id):
    """An application's inside: members and shares, checklist, timeline (its cities and the coordination)."""
    return _json(_detail(services.get_application_or_404(api_user(), application_id)))


@blp.route("/applications/<int:application_id>", methods=["PATCH"])
@blp.arguments(FundingApplicationPatch)
@blp.response(200, FundingApplicationDetailSchema)
@_errors(401, 403, 404, 409, 422)
def patch_application(data, application_id):
    """Lead city: title, description, status, amounts. Any member city: its own share. Invited city: answer."""
    user = api_user()
    app_ = services.get_application_or_404(user, application_id)
    require(user, "funding.contribute")  # the coordination reads applications, it does not change them
    if not data:
        return api_error(422, "invalid", "Nichts zu ändern: Bitte senden Sie mindestens ein Feld.")
    if "invitation" in data:
        services.answer_invitation(user, app_, data["invitation"])
    if "share_amount" in data or "share_note" in data:
        member = services.membership(user, app_)
        services.set_share(user, app_, data.get("share_amount", member.share_amount if member else None),
                           data.get("share_note", member.share_note if member else ""))
    lead_keys = {k: data[k] for k in ("title", "description", "status", "requested_amount", "granted_amount")
                 if k in data}
    if lead_keys:
        services.update_application(user, app_, lead_keys, version=data.get("version"))
    if not services.may_see_application(user, app_):
        return _json({"id": app_.id, "declined": True})
    return _json(_detail(app_))


@blp.route("/applications/<int:application_id>/partners", methods=["POST"])
@blp.arguments(FundingPartnerIn)
@blp.response(201, FundingMemberSchema)
@_errors(401, 403, 404, 409, 422)
def add_partner(data, application_id):
    """Lead city: invite a member city (by slug or id) as partner."""
    user = api_user()
    app_ = services.get_application_or_404(user, application_id)
    ref = data.get("municipality")
    city_id = None
    if ref is not None:
        city = db.session.query(Municipality).filter(
            (Municipality.slug == str(ref)) | (Municipality.id == (int(ref) if str(ref).isdigit() else -1))).first()
        city_id = city.id if city else -1
    member = services.invite_partner(user, app_, city_id)
    return member
