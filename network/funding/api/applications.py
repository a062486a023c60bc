"""API: joint applications: the list, starting one, its workspace, changes by lead and members, partners."""

from marshmallow import Schema, fields

from network.core.apiauth import Amount as AmountIn
from network.core.apiauth import CityRef, Id, Str, Version, addresses, api_user
from network.core.apiauth import InputSchema as _In
from network.core.apiroutes import Load
from network.core.errors import api_error
from network.core.permissions import require
from network.extensions import db
from network.funding import services
from network.funding.api._common import Amount, _json, op
from network.funding.models import APPLICATION_STATUSES, MEMBER_ROLES, MEMBER_STATUSES
from network.funding.services._common import MAX_TEXT
from network.municipalities.models import Municipality


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
    url, html_url = addresses("funding_api.get_application", "funding.application", "des Antrags",
                              application_id="id")
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


#: the application of the address, if the token's user may see it (else 404)
APPLICATION = Load("application_id", "app_", services.get_application_or_404)


@op("/applications", answer=FundingApplicationSchema(many=True), errors=(401,), paged=True)
def list_applications():
    """Applications the token owner's city takes part in (lead, invited, accepted); the coordination: all."""
    return services.applications_for(api_user())


@op("/applications", "POST", body=FundingApplicationIn, status=201, answer=FundingApplicationDetailSchema,
    errors=(401, 403, 404, 422))
def create_application(data):
    """Start an application for a call; the token owner's city is the lead applicant."""
    user = api_user()
    require(user, "funding.apply")
    # call_id is an id (the schema refuses anything else): an unknown or invisible call answers 404
    app_ = services.create_application(user, services.get_call_or_404(user, data["call_id"]), data)
    return _json(_detail(app_), 201)


def _detail(app_):
    w = services.application_workspace(app_)
    out = FundingApplicationDetailSchema().dump(app_)
    out["checklist"] = FundingItemSchema(many=True).dump(w["checklist"])
    out["timeline"] = FundingEventSchema(many=True).dump(w["events"])
    return out


@op("/applications/<int:application_id>", answer=FundingApplicationDetailSchema, errors=(401, 404),
    load=APPLICATION)
def get_application(app_):
    """An application's inside: members and shares, checklist, timeline (its cities and the coordination)."""
    return _json(_detail(app_))


@op("/applications/<int:application_id>", "PATCH", body=FundingApplicationPatch,
    answer=FundingApplicationDetailSchema, errors=(401, 403, 404, 409, 422), load=APPLICATION)
def patch_application(data, app_):
    """Lead city: title, description, status, amounts. Any member city: its own share. Invited city: answer."""
    user = api_user()
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


@op("/applications/<int:application_id>/partners", "POST", body=FundingPartnerIn, status=201,
    answer=FundingMemberSchema, errors=(401, 403, 404, 409, 422), load=APPLICATION)
def add_partner(data, app_):
    """Lead city: invite a member city (by slug or id) as partner."""
    ref = data.get("municipality")
    city_id = None
    if ref is not None:
        city = db.session.query(Municipality).filter(
            (Municipality.slug == str(ref)) | (Municipality.id == (int(ref) if str(ref).isdigit() else -1))).first()
        city_id = city.id if city else -1
    return services.invite_partner(api_user(), app_, city_id)
