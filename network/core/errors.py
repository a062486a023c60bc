"""German error pages (HTML) and the JSON error envelope (API); never a traceback."""

import logging

from flask import g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


def _messages():
    return {
        400: _("Die Anfrage war fehlerhaft."),
        401: _("Bitte melden Sie sich an."),
        403: _("Dafür fehlt Ihnen die Berechtigung."),
        404: _("Diese Seite gibt es nicht, oder sie ist für Sie nicht sichtbar."),
        405: _("Diese Aktion ist hier nicht möglich."),
        409: _("Der Datensatz wurde inzwischen von jemand anderem geändert."),
        413: _("Die Datei ist zu groß.") if request.mimetype == "multipart/form-data" else _("Die Anfrage ist zu groß."),
        422: _("Die Eingaben sind ungültig."),
        429: _("Zu viele Versuche. Bitte warten Sie einen Moment."),
        503: _("Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es in einer Minute erneut."),
        500: _("Ein interner Fehler ist aufgetreten. Wir kümmern uns darum."),
    }


def _titles():
    return {
        400: _("Fehlerhafte Anfrage"), 401: _("Anmeldung erforderlich"), 403: _("Kein Zugriff"),
        404: _("Nicht gefunden"), 405: _("Methode nicht erlaubt"), 409: _("Konflikt"),
        413: _("Zu groß"), 422: _("Ungültige Eingaben"), 429: _("Zu viele Anfragen"),
        500: _("Interner Fehler"),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, code: str, message: str, fields: dict | None = None, headers=None):
    """The API's error envelope."""
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    resp = jsonify(body)
    resp.status_code = status
    if status == 401:
        resp.headers["WWW-Authenticate"] = "Bearer"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def render_error(status: int, message: str | None = None, headers=None):
    """Render an error page or JSON envelope for `status`."""
    message = message or _messages().get(status, _messages()[500])
    if wants_json():
        data = g.pop("_api_error_fields", None)  # once: g outlives the request where an app context is held
        return api_error(status, _code(status), message, data, headers)
    from network.core.health import is_outage, unavailable_response
    if g.get("_database_unavailable"):
        return unavailable_response()
    try:
        html = render_template("errors/error.html", status=status, title=_titles().get(status, str(status)),
                               message=message, request_id=g.get("request_id", "-"))
    except Exception as exc:
        # the error page itself needs the database (the header loads the user): without it, the 503 page
        if is_outage(exc):
            _rollback_quietly()
            return unavailable_response()
        raise
    return html, status, headers or {}


def _rollback_quietly():
    try:
        from network.extensions import db
        db.session.rollback()
    except Exception:  # the connection is gone; the pool replaces it (pool_pre_ping)
        pass


def _code(status):
    return {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
            429: "rate_limited", 503: "unavailable"}.get(status, "server_error")


#: marshmallow's and webargs' English messages -> ours (a request body is checked by the schema the OpenAPI
#: document is made of; its messages reach the client in German like the services' own)
_GERMAN = [
    (r"Missing data for required field\.", "Diese Angabe fehlt."),
    (r"Field may not be null\.", "Diese Angabe darf nicht null sein."),
    (r"Not a valid string\.", "Bitte geben Sie hier einen Text an."),
    (r"Not a valid integer\.", "Bitte geben Sie eine ganze Zahl an."),
    (r"Not a valid number\.", "Bitte geben Sie eine Zahl an."),
    (r"Not a valid boolean\.", "Bitte geben Sie true oder false an."),
    (r"Not a valid date\.", "Bitte geben Sie ein Datum im Format JJJJ-MM-TT an."),
    (r"Not a valid datetime\.", "Bitte geben Sie Datum und Uhrzeit nach ISO 8601 an (z. B. 2026-03-01T10:00:00+01:00)."),
    (r"Not a valid list\.", "Bitte geben Sie eine Liste an."),
    (r"Not a valid (mapping type|dict)\.|Invalid input type\.", "Bitte geben Sie ein JSON-Objekt an."),
    (r"Not a valid email address\.", "Bitte geben Sie eine gültige E-Mail-Adresse an (z. B. name@stadt.de)."),
    (r"Not a valid URL\.", "Bitte geben Sie eine Webadresse an, die mit http:// oder https:// beginnt."),
    (r"Number too large\.", "Die Zahl ist zu groß."),
    (r"Unknown field\.", "Dieses Feld gibt es nicht."),
    (r"Longer than maximum length (\d+)\.", "Bitte höchstens {0} Zeichen."),
    (r"Shorter than minimum length (\d+)\.", "Bitte mindestens {0} Zeichen."),
    (r"Length must be between (\d+) and (\d+)\.", "Bitte zwischen {0} und {1} Zeichen."),
    (r"Length must be (\d+)\.", "Bitte genau {0} Zeichen."),
    (r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.",
     "Der Wert muss zwischen {0} und {1} liegen."),
    (r"Must be greater than or equal to (\S+)\.", "Der Wert muss mindestens {0} sein."),
    (r"Must be less than or equal to (\S+)\.", "Der Wert darf höchstens {0} sein."),
    (r"Must be one of: (.*)\.", "Bitte wählen Sie einen dieser Werte: {0}."),
    (r"String does not match expected pattern\.", "Die Eingabe hat nicht das erwartete Format."),
    (r"Must be equal to (.*)\.", "Der Wert muss {0} sein."),
    (r"Invalid value\.", "Ungültiger Wert."),
    (r"Invalid JSON body\.", "Der Inhalt ist kein gültiges JSON."),
]


def german_message(message) -> str:
    """One of marshmallow's messages in German (ours, already German, stay as they are)."""
    import re
    text = str(message)
    for pattern, german in _GERMAN:
        if (m := re.fullmatch(pattern, text)):
            return german.format(*m.groups())
    return text


def german_field_messages(messages: dict) -> dict:
    """webargs' {location: {field: [messages] | {index/sub-field: …}}} as {"field" or "field.0.sub": message}."""
    out: dict[str, str] = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, (list, tuple)):
            if value and all(isinstance(v, str) for v in value):
                out.setdefault(prefix or "_schema", german_message(value[0]))
            else:
                for i, sub in enumerate(value):
                    walk(f"{prefix}.{i}" if prefix else str(i), sub)
        else:
            out.setdefault(prefix or "_schema", german_message(value))

    locations = ("json", "query", "form", "files", "headers", "path", "view_args", "json_or_form", "querystring")
    if isinstance(messages, dict) and any(k in locations for k in messages):
        for location in messages.values():
            walk("", location)
    else:
        walk("", messages)
    return out


def init_errors(app):
    """Register handlers for every HTTP error and for unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(400, _("Das Formular ist abgelaufen oder ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut."))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        status = exc.code or 500
        headers = {}
        if status == 405 and getattr(exc, "valid_methods", None):
            headers["Allow"] = ", ".join(exc.valid_methods)
        if status == 401 and wants_json():
            headers["WWW-Authenticate"] = "Bearer"
        if status == 429 and getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(exc.retry_after)
        # webargs/smorest validation errors (422) carry field messages
        data = getattr(exc, "data", None) or {}
        if data.get("messages") and wants_json():
            g._api_error_fields = german_field_messages(data["messages"])
        message = data.get("message") if isinstance(data, dict) and data.get("message") else None
        if message is None and getattr(exc, "description", None) and getattr(exc, "_network_message", False):
            message = exc.description
        return render_error(status, message, headers)

    @app.errorhandler(Exception)
    def unexpected(exc):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        from network.core.health import is_outage, unavailable_response
        if is_outage(exc):
            # database away (also while loading the logged-in user): 503 with Retry-After, no traceback
            log.warning("database unavailable (request %s): %s", g.get("request_id"), exc.__class__.__name__)
            _rollback_quietly()
            return unavailable_response()
        log.exception("unhandled error (request %s)", g.get("request_id"))
        _rollback_quietly()
        return render_error(500)


def abort_with(status: int, message: str):
    """Abort with a German message that the error page or JSON envelope shows."""
    from werkzeug.exceptions import default_exceptions
    exc = default_exceptions.get(status, InternalServerError)(description=message)
    exc._network_message = True
    raise exc
