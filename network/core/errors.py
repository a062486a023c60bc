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
        data = getattr(g, "_api_error_fields", None)
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
            g._api_error_fields = data["messages"].get("json", data["messages"])
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
