"""API: funding calls (radar, record, edit, interest) and joint applications (workspace, partners)."""


from marshmallow import INCLUDE, Schema, fields

from network.core.apiauth import (LINE_NOT_BLANK_PATTERN, error_answers, LINE_PATTERN, CityRef, InputSchema as _In, NamedRef, Text,
                                  api_user, make_blueprint)
from network.core.errors import api_error
from network.core.permissions import require
from network.extensions import db
from network.funding import services
from network.funding.models import FUNDERS
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
    title = fields.String()
    funder = fields.String(metadata={"description": "eu, bund, land, stiftung oder other"})
    funder_name = fields.String()
    url = fields.String()
    summary = fields.String()
    eligibility = fields.String()
    joint_allowed = fields.Boolean()
    rate = Amount(metadata={"description": "Fördersatz in %"})
    min_amount = Amount()
    max_amount = Amount()
    opens_on = fields.Date(allow_none=True)
    source = fields.String()
    checked_on = fields.Date(allow_none=True, metadata={"description": "zuletzt geprüft am"})
    stale = fields.Function(lambda c: c.is_stale(), metadata={"description": "länger als 90 Tage nicht geprüft"})
    status = fields.Function(lambda c: c.status(), metadata={"description": "announced, open oder closed"})
    next_deadline = fields.Function(lambda c: (d := c.next_deadline()) and d.due_on.isoformat(), allow_none=True)
    deadlines = fields.List(fields.Nested(FundingDeadlineSchema))
    fields_of_action = fields.List(fields.Nested(NamedRef), attribute="fields")
    topics = fields.List(fields.Nested(NamedRef))
    is_example = fields.Boolean()
    version = fields.Integer()
    interested = fields.List(fields.Nested(FundingInterestSchema), dump_only=True,
                             metadata={"description": "Kommunen, die eine Bewerbung prüfen"})


class FundingCallQuery(_In):
    status = Text(metadata={"description": "current (Vorgabe: offen und angekündigt), open, announced, closed, all"})
    field = Text(metadata={"description": "Slug oder ID eines Handlungsfelds"})
    topic = Text(metadata={"description": "Slug oder ID eines Themas"})
    funder = Text(metadata={"description": "eu, bund, land, stiftung, other"})
    page = fields.Integer(metadata={"description": "Seite (je 50)"})


_NO_NUL = r"^[^\x00]*$"


def _text(max_len, *, required=False, pattern=_NO_NUL, **meta):
    return fields.Raw(required=required, error_messages={"required": "Dieses Feld ist erforderlich."},
                      metadata={"type": "string", "maxLength": max_len, "pattern": pattern, **meta})


def _amount(description="Euro"):
    """An amount in: a JSON number or text ("1234.50", German "1.234,56"); outside the range a German 422."""
    return fields.Raw(allow_none=True, metadata={
        "description": f"{description}; 0 bis 999.999.999.999,99 (Zahl oder Text wie \"1.234,56\")"})


class FundingCallIn(Schema):
    """The documented fields; the services also take rate (percent, 0 to 100), min_amount and max_amount (euro,
    0 to 999.999.999.999,99; a number or text such as "1.234,56"), opens_on, checked_on (YYYY-MM-DD), deadlines
    ([{label, due_on}]), field_ids, topic_ids and url, and answer every bad value with a German message per field
    (see docs/funding.md)."""

    class Meta:
        unknown = INCLUDE

    title = _text(200, pattern=LINE_NOT_BLANK_PATTERN, description="Name des Programms")
    funder = fields.Raw(metadata={"type": "string", "enum": list(FUNDERS)})
    funder_name = _text(200, pattern=LINE_PATTERN)
    summary = _text(5000)
    eligibility = _text(5000, description="Wer antragsberechtigt ist")
    source = _text(300, pattern=LINE_PATTERN)
    joint_allowed = fields.Raw(metadata={"type": "boolean", "description": "Verbundanträge zulässig"})
    version = fields.Raw(metadata={"type": "integer", "description": "bei PATCH: die gelesene Version (sonst 409)"})


class FundingCallCreate(FundingCallIn):
    title = _text(200, required=True, pattern=LINE_NOT_BLANK_PATTERN, description="Name des Programms")
    funder = fields.Raw(required=True, error_messages={"required": "Dieses Feld ist erforderlich."},
                        metadata={"type": "string", "enum": list(FUNDERS)})


class FundingInterestIn(_In):
    interested = fields.Raw(metadata={"description": "true (Vorgabe) oder false"})
    note = fields.Raw()


class FundingMemberSchema(Schema):
    municipality = fields.Nested(CityRef)
    role = fields.String(metadata={"description": "lead oder partner"})
    status = fields.String(metadata={"description": "invited, accepted oder declined"})
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
    call_id = fields.Integer()
    call_title = fields.Function(lambda a: a.call.title)
    title = fields.String()
    description = fields.String()
    status = fields.String(metadata={"description": "idea, preparing, submitted, granted, rejected, withdrawn"})
    requested_amount = Amount()
    granted_amount = Amount()
    municipality = fields.Nested(CityRef, metadata={"description": "antragstellende Kommune"})
    members = fields.List(fields.Nested(FundingMemberSchema))
    is_example = fields.Boolean()
    version = fields.Integer()


class FundingApplicationDetailSchema(FundingApplicationSchema):
    checklist = fields.List(fields.Nested(FundingItemSchema))
    timeline = fields.List(fields.Nested(FundingEventSchema))


class FundingApplicationIn(_In):
    call_id = fields.Raw(metadata={"description": "ID des Förderaufrufs (erforderlich)"})
    title = fields.Raw()
    description = fields.Raw()
    requested_amount = _amount("beantragter Betrag in Euro")


class FundingApplicationPatch(_In):
    title = fields.Raw()
    description = fields.Raw()
    status = fields.Raw(metadata={"description": "nur die Leitung der antragstellenden Kommune"})
    requested_amount = _amount("beantragter Betrag in Euro")
    granted_amount = _amount("bewilligter Betrag in Euro, nur beim Status granted")
    version = fields.Raw()
    share_amount = _amount("Eigenanteil der eigenen Kommune in Euro")
    share_note = fields.Raw()
    invitation = fields.Raw(metadata={"description": "accept oder decline (eingeladene Kommune)"})


class FundingPartnerIn(_In):
    municipality = fields.Raw(metadata={"description": "Slug oder ID der einzuladenden Mitgliedskommune"})


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


def _call_out(calls):
    interests = services.interests_by_call([c.id for c in calls])
    out = FundingCallSchema(many=True, exclude=("interested",)).dump(calls)
    for row, call in zip(out, calls):
        row["interested"] = FundingInterestSchema(many=True).dump(interests.get(call.id, []))
    return out


@blp.route("/funding-calls")
@blp.arguments(FundingCallQuery, location="query")
@blp.response(200)
@_errors(401)
def list_calls(query):
    """The radar: calls by the nearest deadline (filters: status, field, topic, funder); 50 per page."""
    data = services.radar(api_user(), status=query.get("status") or "current", funder=query.get("funder"),
                          field=query.get("field"), topic=query.get("topic"), page=query.get("page") or 1)
    return _call_out(data["calls"])


@blp.route("/funding-calls", methods=["POST"])
@blp.arguments(FundingCallCreate)
@blp.response(201)
@_errors(401, 403, 422)
def create_call(data):
    """Record a call (coordination, city leads)."""
    call = services.create_call(api_user(), data)
    return _call_out([call])[0]


@blp.route("/funding-calls/<int:call_id>")
@blp.response(200)
@_errors(401, 404)
def get_call(call_id):
    """One call with deadlines and interested cities."""
    return _call_out([services.get_call_or_404(api_user(), call_id)])[0]


@blp.route("/funding-calls/<int:call_id>", methods=["PATCH"])
@blp.arguments(FundingCallIn)
@blp.response(200)
@_errors(401, 403, 404, 409, 422)
def patch_call(data, call_id):
    """Change the given fields; send the version you read (a stale one answers 409)."""
    user = api_user()
    call = services.get_call_or_404(user, call_id)
    version = data.pop("version", None)
    services.update_call(user, call, data, version=call.version if version is None else version)
    return _call_out([call])[0]


@blp.route("/funding-calls/<int:call_id>/interest", methods=["PUT"])
@blp.arguments(FundingInterestIn)
@blp.response(200)
@_errors(401, 403, 404, 422)
def put_interest(data, call_id):
    """Mark ({"interested": true}) or unmark "wir prüfen eine Bewerbung" for the token owner's city."""
    user = api_user()
    call = services.get_call_or_404(user, call_id)
    interested = data.get("interested", True)
    interested = services._bool(interested) if interested is not None else True
    row = services.set_interest(user, call, interested, data.get("note") or "")
    return {"interested": row is not None, "note": row.note if row else "",
            "municipality": CityRef().dump(user.municipality)}


@blp.route("/applications")
@blp.response(200, FundingApplicationSchema(many=True))
@_errors(401)
def list_applications():
    """Applications the token owner's city takes part in (lead, invited, accepted); the coordination: all."""
    return services.applications_for(api_user())


@blp.route("/applications", methods=["POST"])
@blp.arguments(FundingApplicationIn)
@blp.response(201)
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
    return _detail(app_)


def _detail(app_):
    w = services.application_workspace(app_)
    out = FundingApplicationDetailSchema().dump(app_)
    out["checklist"] = FundingItemSchema(many=True).dump(w["checklist"])
    out["timeline"] = FundingEventSchema(many=True).dump(w["events"])
    return out


@blp.route("/applications/<int:application_id>")
@blp.response(200)
@_errors(401, 404)
def get_application(application_id):
    """An application's inside: members and shares, checklist, timeline (its cities and the coordination)."""
    return _detail(services.get_application_or_404(api_user(), application_id))


@blp.route("/applications/<int:application_id>", methods=["PATCH"])
@blp.arguments(FundingApplicationPatch)
@blp.response(200)
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
        return {"id": app_.id, "declined": True}
    return _detail(app_)


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
