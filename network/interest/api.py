"""API: public registration (no token, rate-limited), a city's registrations, own follows and data export."""

from flask import current_app
from flask_babel import get_locale
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields

from network.core.apiauth import api_user, make_blueprint
from network.core.errors import api_error
from network.core.validation import ValidationFailed
from network.extensions import csrf, db, limiter
from network.interest import privacy, services

blp = make_blueprint("interest_api", __name__, "", "Interessensbekundungen, Folgen und Datenauskunft")

#: the one endpoint without a token: registered by setup.init_app next to blp
public_blp = Blueprint("interest_public_api", __name__, url_prefix="/api/v1",
                       description="Öffentliche Interessensbekundung (ohne Token, begrenzt)")
csrf.exempt(public_blp)

_CODES = {403: "forbidden", 404: "not_found", 409: "conflict", 410: "gone", 422: "invalid"}


def _error(exc: ValidationFailed):
    db.session.rollback()
    return api_error(exc.status, _CODES.get(exc.status, "invalid"), next(iter(exc.errors.values())), exc.errors)


class _In(Schema):
    class Meta:
        unknown = EXCLUDE


class Text(fields.String):
    default_error_messages = {"invalid": "Bitte geben Sie hier einen Text an.",
                              "invalid_utf8": "Der Text ist kein gültiges UTF-8."}


class RegistrationIn(_In):
    name = Text(metadata={"description": "Name (erforderlich)"})
    email = Text(metadata={"description": "E-Mail-Adresse (erforderlich); erhält den Bestätigungslink"})
    kind = Text(metadata={"description": "citizen, company, association, science oder other"})
    organisation = Text()
    municipality = Text(metadata={"description": "Slug der Kommune oder „netzwerk“ für das gesamte Netzwerk"})
    topics = fields.Raw(metadata={"description": "Liste von Themen-IDs"})
    message = Text()
    consent = fields.Raw(metadata={"description": "true: Zustimmung zur Verarbeitung (erforderlich)"})
    language = Text(metadata={"description": "de oder en: Sprache der E-Mails"})
    website = Text(metadata={"description": "Honigtopf: muss leer bleiben"})


class RegistrationAccepted(Schema):
    status = fields.String(metadata={"description": "pending_confirmation"})
    message = fields.String()


class InterestCityRef(Schema):
    slug = fields.String()
    name = fields.String()


class InterestTopicRef(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()


class RegistrationSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    kind = fields.String()
    organisation = fields.String()
    message = fields.String()
    municipality = fields.Nested(InterestCityRef, allow_none=True)
    topics = fields.List(fields.Nested(InterestTopicRef))
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


class FollowsIn(_In):
    follows = fields.Raw(metadata={"description": "Liste von {type, id}; ersetzt alle bisherigen"})
    preferences = fields.Raw(metadata={"description": "Ereignisart → immediately, weekly oder off"})
    digest = fields.Raw(metadata={"description": "true/false"})


def _follows_answer(user):
    prefs = services.preferences(user)
    digest = prefs.pop("digest") != "off"
    return {"follows": services.list_follows(user), "preferences": prefs, "digest": digest}


@public_blp.route("/interest", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_INTEREST"])
@public_blp.arguments(RegistrationIn)
@public_blp.response(202, RegistrationAccepted)
@public_blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@public_blp.alt_response(429, response="TOO_MANY_REQUESTS")
def register(data):
    """Register interest without login; the address must be confirmed with the emailed link (7 days)."""
    if (data.get("website") or "").strip():
        return _error(ValidationFailed({"website": "Dieses Feld muss leer bleiben."}))
    language = data.get("language") or str(get_locale() or "de")
    try:
        services.register_interest(data, language=language, check_timing=False)
    except ValidationFailed as exc:
        return _error(exc)
    db.session.commit()
    return {"status": "pending_confirmation",
            "message": "Danke! Bitte bestätigen Sie Ihre Angaben mit dem Link, den wir Ihnen geschickt haben."}


@blp.route("/municipalities/<slug>/interest")
@blp.arguments(RegistrationQuery, location="query")
@blp.response(200, RegistrationSchema(many=True))
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
def city_registrations(query, slug):
    """Confirmed registrations addressed to a city (its leads and the coordination)."""
    rows, _more, _city = services.list_registrations(api_user(), city_slug=slug, topic_slug=query.get("topic"),
                                                     limit=None)
    return rows


@blp.route("/me/follows", methods=["GET"])
@blp.response(200, FollowsSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def get_follows():
    """What the caller follows and how they are notified."""
    from network.core.permissions import require
    require(api_user(), "follow.use")
    return _follows_answer(api_user())


@blp.route("/me/follows", methods=["PUT"])
@blp.arguments(FollowsIn)
@blp.response(200, FollowsSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def put_follows(data):
    """Replace the caller's follows and/or preferences (omitted keys stay as they are)."""
    user = api_user()
    try:
        if "follows" in data:
            services.replace_follows(user, data["follows"])
        if "preferences" in data or "digest" in data:
            services.set_preferences(user, data.get("preferences") or {}, digest=data.get("digest"))
        else:
            from network.core.permissions import require
            require(user, "follow.use")
    except ValidationFailed as exc:
        return _error(exc)
    db.session.commit()
    return _follows_answer(user)


@blp.route("/me/export")
@blp.response(200)
@blp.alt_response(401, response="UNAUTHORIZED")
def export():
    """Every personal data record held about the caller (the same JSON as /profil/daten.json)."""
    return privacy.export_personal_data(api_user())
