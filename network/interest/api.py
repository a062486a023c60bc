"""API: public registration (no token, rate-limited), a city's registrations, own follows and data export."""

from flask import current_app
from flask_babel import get_locale
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from network.core.apiauth import CityRef, InputSchema as _In, NamedRef, Text, api_user, make_blueprint
from network.core.apiroutes import operations
from network.core.permissions import require
from network.core.validation import ValidationFailed
from network.extensions import csrf, limiter
from network.interest import privacy, services
from network.interest.models import EVENT_KINDS, MODES, REGISTRANT_KINDS, TARGET_TYPES

blp = make_blueprint("interest_api", __name__, "", "Interessensbekundungen, Folgen und Datenauskunft")
op = operations(blp)

#: the one endpoint without a token: registered by setup.init_app next to blp
public_blp = Blueprint("interest_public_api", __name__, url_prefix="/api/v1",
                       description="Öffentliche Interessensbekundung (ohne Token, begrenzt)")
csrf.exempt(public_blp)

_NO_NUL = r"^[^\x00]*$"
#: at least one character that is not white space (spelled out: JSON Schema and Python differ on \s)
_SPACE = "\\x09-\\x0d\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_VISIBLE = f"^[^\\x00]*[^\\x00{_SPACE}][^\\x00]*$"
_REQUIRED = {"required": "Diese Angabe fehlt.", "null": "Diese Angabe fehlt."}


class RegistrationIn(_In):
    name = Text(required=True, error_messages=_REQUIRED,
                validate=[validate.Length(min=1, max=120), validate.Regexp(_VISIBLE)],
                metadata={"description": "Name"})
    email = fields.Email(required=True, error_messages=dict(_REQUIRED, invalid="Bitte geben Sie eine gültige "
                                                                                "E-Mail-Adresse an."),
                         validate=validate.Length(max=254),
                         metadata={"description": "E-Mail-Adresse; erhält den Bestätigungslink (7 Tage gültig)"})
    kind = Text(required=True, error_messages=_REQUIRED, validate=validate.OneOf(list(REGISTRANT_KINDS)),
                metadata={"description": "citizen, company, association, science oder other"})
    organisation = Text(validate=[validate.Length(max=200), validate.Regexp(_NO_NUL)])
    municipality = Text(required=True, error_messages=_REQUIRED, validate=validate.Length(min=1, max=80),
                        metadata={"description": "Slug einer Mitgliedskommune oder „netzwerk“ für das gesamte "
                                                 "Netzwerk; eine unbekannte Kommune ergibt 404"})
    topics = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1)),
                         validate=validate.Length(max=50),
                         metadata={"description": "IDs aktiver Themen; ein unbekanntes Thema ergibt 404"})
    message = Text(validate=[validate.Length(max=2000), validate.Regexp(_NO_NUL)])
    consent = fields.Boolean(required=True, error_messages=_REQUIRED, validate=validate.Equal(True),
                             metadata={"description": "Zustimmung zur Verarbeitung (muss true sein)"})
    language = Text(validate=validate.OneOf(["de", "en"]), metadata={"description": "Sprache der E-Mails"})
    website = Text(validate=validate.Length(max=0), metadata={"description": "Honigtopf: muss leer bleiben"})


class RegistrationAccepted(Schema):
    status = fields.String(metadata={"description": "pending_confirmation"})
    message = fields.String()


class RegistrationSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    kind = fields.String()
    organisation = fields.String()
    message = fields.String()
    municipality = fields.Nested(CityRef, allow_none=True)
    topics = fields.List(fields.Nested(NamedRef))
    confirmed_at = fields.DateTime()
    contacted_at = fields.DateTime(allow_none=True)


class RegistrationQuery(_In):
    topic = Text(metadata={"description": "Slug eines Themas"})


class FollowItem(Schema):
    type = fields.String(metadata={"description": "topic, municipality, practice oder body"})
    id = fields.Integer()
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    available = fields.Boolean()


class FollowsSchema(Schema):
    follows = fields.List(fields.Nested(FollowItem))
    preferences = fields.Dict(keys=fields.String(), values=fields.String(),
                              metadata={"description": "Ereignisart → immediately, weekly oder off"})
    digest = fields.Boolean(metadata={"description": "wöchentliche Zusammenfassung an"})


class FollowRef(_In):
    type = Text(required=True, error_messages=_REQUIRED, validate=validate.OneOf(list(TARGET_TYPES)),
                metadata={"description": "topic, municipality, practice oder body"})
    id = fields.Integer(required=True, strict=True, error_messages=_REQUIRED,
                        validate=validate.Range(min=1, max=2**31 - 1))


#: marshmallow would nest dotted attribute names: the fields are named practice_published etc.
PreferencesIn = type("PreferencesIn", (_In,), {
    kind.replace(".", "_"): Text(data_key=kind, validate=validate.OneOf(list(MODES)),
                                 metadata={"description": "immediately, weekly oder off"})
    for kind in EVENT_KINDS})
_KIND_BY_ATTR = {kind.replace(".", "_"): kind for kind in EVENT_KINDS}


class FollowsIn(_In):
    follows = fields.List(fields.Nested(FollowRef), validate=validate.Length(max=500),
                          metadata={"description": "ersetzt alle bisherigen; was es nicht gibt oder Sie nicht sehen "
                                                   "dürfen, ergibt 404"})
    preferences = fields.Nested(PreferencesIn, metadata={"description": "Ereignisart → immediately, weekly oder off"})
    digest = fields.Boolean(metadata={"description": "wöchentliche Zusammenfassung an (true) oder aus (false)"})


def _follows_answer(user):
    prefs = services.preferences(user)
    digest = prefs.pop("digest") != "off"
    return {"follows": services.list_follows(user), "preferences": prefs, "digest": digest}


@public_blp.route("/interest", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_INTEREST"])
@public_blp.arguments(RegistrationIn)
@public_blp.response(202, RegistrationAccepted)
@public_blp.alt_response(404, response="NOT_FOUND")
@public_blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@public_blp.alt_response(429, response="TOO_MANY_REQUESTS")
def register(data):
    """Register interest without login; the address must be confirmed with the emailed link (7 days)."""
    if (data.get("website") or "").strip():
        raise ValidationFailed({"website": "Dieses Feld muss leer bleiben."})
    language = data.get("language") or str(get_locale() or "de")
    # a city or topic that does not exist is a missing resource here (404); the form says 422 next to its list
    services.register_interest(data, language=language, check_timing=False, unknown_status=404)
    return {"status": "pending_confirmation",
            "message": "Danke! Bitte bestätigen Sie Ihre Angaben mit dem Link, den wir Ihnen geschickt haben."}


@op("/municipalities/<slug>/interest", query=RegistrationQuery, answer=RegistrationSchema(many=True),
    errors=(401, 403, 404), paged=True)
def city_registrations(query, slug):
    """Confirmed registrations addressed to a city (its leads and the coordination)."""
    rows, _more, _city = services.list_registrations(api_user(), city_slug=slug, topic_slug=query.get("topic"),
                                                     limit=None)
    return rows


@op("/me/follows", "GET", answer=FollowsSchema, errors=(401,))
def get_follows():
    """What the caller follows and how they are notified."""
    require(api_user(), "follow.use")
    return _follows_answer(api_user())


@op("/me/follows", "PUT", body=FollowsIn, answer=FollowsSchema, errors=(401, 404, 422))
def put_follows(data):
    """Replace the caller's follows and/or preferences (omitted keys stay as they are)."""
    user = api_user()
    if "follows" in data:
        services.replace_follows(user, data["follows"])
    if "preferences" in data or "digest" in data:
        modes = {_KIND_BY_ATTR[k]: v for k, v in (data.get("preferences") or {}).items()}
        services.set_preferences(user, modes, digest=data.get("digest"))
    else:
        require(user, "follow.use")
    return _follows_answer(user)


@op("/me/export", errors=(401,))
def export():
    """Every personal data record held about the caller (the same JSON as /profil/daten.json)."""
    return privacy.export_personal_data(api_user())
