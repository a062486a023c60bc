"""Request ids and security headers on every response."""

import secrets

from flask import g, request, session
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _private(response) -> bool:
    """Personal answers: to a logged-in user, or carrying (possibly) the session cookie; static files are not."""
    if request.endpoint == "static" and not session.modified:
        return False
    if session.modified or any(h.startswith(_cookie_name()) for h in response.headers.getlist("Set-Cookie")):
        return True
    try:
        return bool(getattr(current_user, "is_authenticated", False))
    except Exception:  # the database is away (503 page): a session cookie was sent, treat the answer as private
        return bool(request.cookies)


def _cookie_name() -> str:
    from flask import current_app
    return current_app.config.get("SESSION_COOKIE_NAME") or "session"


def init_security(app):
    """Wire request ids and headers into the app."""

    def assign_request_id():
        g.request_id = secrets.token_hex(8)

    # first of all before_request functions: CSRFProtect (bound earlier) may answer 400 before ours
    # would run, and that error page must carry a request id too
    app.before_request_funcs.setdefault(None, []).insert(0, assign_request_id)

    @app.after_request
    def add_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if _private(response):
            # a logged-in user's answer of any type (JSON export, CSV) or one that sets the session cookie
            # must not stay in a shared or browser cache, whatever the view set
            if "no-store" not in response.headers.get("Cache-Control", ""):
                response.headers["Cache-Control"] = "no-store"
        elif request.path.startswith("/api/") or response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config.get("PREFERRED_URL_SCHEME") == "https":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
