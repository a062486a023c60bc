"""Dependency checks: is the database (and Redis, where configured) reachable? Used by /healthz and the 503 page."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app, g, jsonify, request

log = logging.getLogger(__name__)

#: seconds a client should wait before retrying while a dependency is down
RETRY_AFTER = 30


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` (or its cause) means the database cannot be reached, not that a query was wrong."""
    from sqlalchemy import exc as sa_exc

    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
            return True
        if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError)):
            # SQLite "database is locked" is a busy database, not an outage: it stays a normal error
            return "database is locked" not in str(exc)
        name = type(exc).__module__ + "." + type(exc).__name__
        if name.startswith("psycopg") and type(exc).__name__ in ("OperationalError", "InterfaceError"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def check_database() -> bool:
    """One round trip to the database, on a connection of its own (the request's session stays untouched)."""
    from network.extensions import db
    try:
        with db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception as exc:  # any failure means "not usable"
        log.warning("health check: database unavailable: %s", exc.__class__.__name__)
        return False


def check_redis(uri: str) -> bool:
    """PING the Redis behind the rate limiter."""
    try:
        import redis
        client = redis.Redis.from_url(uri, socket_connect_timeout=2, socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception as exc:
        log.warning("health check: redis unavailable: %s", exc.__class__.__name__)
        return False


def dependency_status() -> dict[str, str]:
    """{"database": "ok"|"unavailable", "redis": ...} (Redis only where the rate limiter stores in Redis)."""
    checks = {"database": "ok" if check_database() else "unavailable"}
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    if uri.startswith(("redis://", "rediss://", "redis+")):
        checks["redis"] = "ok" if check_redis(uri) else "unavailable"
    return checks


def health_response():
    """The /healthz answer: 200 when every dependency answers, else 503 naming the ones that are down."""
    checks = dependency_status()
    down = sorted(k for k, v in checks.items() if v != "ok")
    body = {"status": "ok" if not down else "unavailable", "checks": checks}
    if down:
        body["down"] = down
    resp = jsonify(body)
    resp.status_code = 503 if down else 200
    resp.headers["Cache-Control"] = "no-store"
    if down:
        resp.headers["Retry-After"] = str(RETRY_AFTER)
    return resp


def unavailable_response():
    """503 while the database is away: a German page (or the API envelope) that needs no database at all."""
    g._database_unavailable = True  # the locale selector must not load the user now
    from flask_babel import gettext as _
    try:
        message = _("Der Dienst ist vorübergehend nicht erreichbar, weil die Datenbank nicht antwortet. "
                    "Bitte versuchen Sie es in einer Minute erneut.")
        title = _("Vorübergehend nicht erreichbar")
    except Exception:  # the translation machinery itself failed: German is the default anyway
        message = ("Der Dienst ist vorübergehend nicht erreichbar, weil die Datenbank nicht antwortet. "
                   "Bitte versuchen Sie es in einer Minute erneut.")
        title = "Vorübergehend nicht erreichbar"
    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    if request.path.startswith("/api/"):
        resp = jsonify({"error": {"code": "unavailable", "message": message}})
        resp.status_code = 503
        resp.headers.update(headers)
        return resp
    try:
        # no render_template(): its context processors load the user (Flask-Login), which needs the database
        from flask_babel import get_locale
        html = current_app.jinja_env.get_template("errors/unavailable.html").render(
            title=title, message=message, request_id=g.get("request_id", "-"), request=request,
            ui_lang=str(get_locale() or "de"))
    except Exception:  # never fail while failing: a bare German page
        log.exception("rendering the 503 page failed")
        html = f"<!doctype html><html lang=\"de\"><title>{title}</title><h1>{title}</h1><p>{message}</p></html>"
    return html, 503, headers
