"""The one request boundary: services raise, this module answers; a request commits once or rolls back.

Every view function (HTML blueprints and the JSON API alike) is wrapped by ``init_boundary`` after the
blueprints are registered, so no view and no API handler calls ``commit()`` or catches a service error:

* The view returns a response with a status below 400: the session is committed **before** the response
  leaves. A failing commit becomes an error answer (its flashed success message is withdrawn), never a
  success page over lost data.
* The view raises, or returns a status of 400 or more: everything is rolled back. A view that must keep a
  write although it answers with an error (a failed login's counter) calls ``keep_changes()``.
* A service raises ``ValidationFailed`` (or ``Conflict``, status 409): everything is rolled back, then
    - API (``/api/…``): the error envelope ``{"error": {"code", "message", "fields"}}`` with ``exc.status``;
    - HTML: the page the view declared with ``on_invalid(...)`` before calling the service is rendered again,
      the messages next to their fields (messages for no field above the form) and ``exc.status``; a view
      that declared nothing answers with the error page and the first message.

CLI commands and scheduler jobs are outside requests; they commit themselves (one transaction per unit of
work, see ``core/scheduler.py``).
"""

from __future__ import annotations

import functools
import logging

from flask import current_app, flash, g, render_template, request, session
from flask_babel import gettext as _

from network.core.validation import ValidationFailed

log = logging.getLogger(__name__)


class Conflict(ValidationFailed):
    """The object changed since the user loaded it, or the action no longer fits its state (409)."""

    def __init__(self, errors: dict[str, str], status: int = 409):
        super().__init__(errors, status)


def check_version(obj, version, message: str | None = None, *, field: str = "version") -> None:
    """The one stale-version check: ``version`` (sent back by a form or API body) must equal ``obj.version``.

    A missing or different version is a conflict (409); the caller's text stays in the form.
    """
    if str(version if version is not None else "") != str(obj.version):
        raise Conflict({field: message or _("Der Datensatz wurde inzwischen von jemand anderem geändert. "
                                            "Bitte laden Sie die Seite neu.")})


def on_invalid(page, *forms, **context) -> None:
    """Declare how this request answers a ``ValidationFailed`` from a service (HTML only).

    ``page`` is a template name (rendered with ``context``) or a callable ``page(exc)`` returning a response
    body or ``(body, status)``; ``forms`` receive the field messages before the page renders.
    """
    g._on_invalid = (page, forms, context)


def keep_changes() -> None:
    """Commit this request's writes although it answers with an error status (e.g. a login failure counter)."""
    g._keep_changes = True


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def invalid_response(exc: ValidationFailed):
    """Roll back and answer a service's German messages: envelope (API) or the declared form page (HTML)."""
    from network.core.errors import api_error, render_error
    from network.core.forms import apply_errors
    from network.extensions import db

    db.session.rollback()
    first = next(iter(exc.errors.values()), _("Die Eingaben sind ungültig."))
    if _wants_json():
        from network.core.apiauth import ERROR_CODES
        return api_error(exc.status, ERROR_CODES.get(exc.status, "invalid"), first, exc.errors)
    declared = g.pop("_on_invalid", None)
    if declared is None:
        return render_error(exc.status, first)
    page, forms, context = declared
    attached: set[str] = set()
    for form in forms:
        own = {k: v for k, v in exc.errors.items() if k in form._fields and k != "csrf_token"}
        apply_errors(form, own)
        attached.update(own)
    if forms:
        # messages that belong to no field of the given forms are shown above the form (first form)
        loose = {k: v for k, v in exc.errors.items() if k not in attached}
        if loose:
            forms[0].form_errors.extend(loose.values())
    if callable(page):
        rv = page(exc)
        if isinstance(rv, tuple):
            return rv
        return rv, exc.status
    return render_template(page, **context), exc.status


def _finish(response):
    """Commit a successful answer, roll back a failed one."""
    from network.extensions import db

    if response.status_code < 400 or g.pop("_keep_changes", False):
        flashes = list(session.get("_flashes", []))
        # the answer is rendered: what after_request handlers read (the logged-in user) stays loaded instead of
        # being expired and selected again after the commit
        sess = db.session()
        expire, sess.expire_on_commit = sess.expire_on_commit, False
        try:
            db.session.commit()
        except Exception:
            db.session.rollback()
            if flashes:  # no "gespeichert" over a write that did not happen
                session["_flashes"] = [f for f in session.get("_flashes", []) if f not in flashes]
            raise
        finally:
            sess.expire_on_commit = expire
    else:
        db.session.rollback()
    return response


def transactional(view):
    """Wrap one view function in the request boundary (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        from network.extensions import db
        try:
            rv = view(*args, **kwargs)
        except ValidationFailed as exc:
            return _finish(current_app.make_response(invalid_response(exc)))
        except BaseException:
            db.session.rollback()
            raise
        return _finish(current_app.make_response(rv))

    wrapper.__boundary__ = True
    return wrapper


def init_boundary(app) -> None:
    """Wrap every registered view function; answer a ValidationFailed raised outside a view the same way."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint == "static" or getattr(view, "__boundary__", False):
            continue
        app.view_functions[endpoint] = transactional(view)

    @app.errorhandler(ValidationFailed)
    def _validation_failed(exc):
        return invalid_response(exc)
