"""Helpers shared by the meetings services: id checks, the coordination's role, URLs, the conflict check."""

import re

import sqlalchemy as sa

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from network.core.boundary import Conflict, check_version
from network.core.permissions import roles_of
from network.core.validation import ValidationFailed
from network.extensions import db


MAX_TEXT = 5000
MAX_MINUTES = 100_000
#: internal links on agenda items: a practice or a project of the inventory (built by other domains)
LINK_RE = re.compile(r"^/(praxis|vorhaben)/[A-Za-z0-9\-_/]{1,250}$")


#: ids beyond a 64-bit integer cannot exist (and would overflow the database driver)
MAX_ID = 2**63 - 1


def _valid_id(value) -> bool:
    """A whole number that can be a database id."""
    return isinstance(value, int) and 0 < value <= MAX_ID


def optional_id(raw) -> int | None:
    """An id from a form or API body: None when empty, -1 (matches no row) when not a whole number in range."""
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError, OverflowError):
        return -1
    return value if 0 < value < 2**31 else -1  # database ids are 32-bit integers: a larger one matches no row


def optional_int(c, field: str, raw, low: int, high: int, message: str, default: int | None = None) -> int | None:
    """An optional whole number from ``low`` to ``high``; anything else adds ``message`` to ``field``."""
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or not low <= value <= high:
        c.add(field, message)
        return default
    return value


def _is_coordinator(user, network=None) -> bool:
    """The coordination of a network sees and organises every body of that network (default: the request's)."""
    if network is None:
        return "coordinator" in roles_of(user)
    return network.slug in (getattr(user, "coordinated_networks", None) or frozenset())


def coordinated_clause(user, network_column):
    """SQL: the network in ``network_column`` is one the user coordinates (slugs loaded with the user)."""
    from network.networks.models import Network
    slugs = sorted(getattr(user, "coordinated_networks", None) or ())
    if not slugs:
        return sa.false()
    return network_column.in_(sa.select(Network.id).where(Network.slug.in_(slugs)))


def this_network():
    """The Network of this request (URL /n/<slug>/, else the switcher's choice, else the default; 404 if unknown)."""
    from network.networks.services import request_network
    return request_network()


def meeting_url(meeting, endpoint: str = "meetings.detail", *, external: bool = False, **kw) -> str:
    """Address of a meeting's page in the meeting's own network (mails, feeds and lists across networks)."""
    kw.setdefault("meeting_id", meeting.id)
    return (external_url if external else local_url)(endpoint, network=meeting.body.network.slug, **kw)


def external_url(endpoint, **kw) -> str:
    """Absolute URL of a page ('' outside a request, e.g. in a CLI without SERVER_NAME)."""
    try:
        return url_for(endpoint, _external=True, **kw)
    except RuntimeError:
        return ""


def local_url(endpoint, **kw) -> str:
    """Path of a page ('' outside a request)."""
    try:
        return url_for(endpoint, **kw)
    except RuntimeError:
        return ""


def check_stale(obj, version) -> None:
    """The version a form or API body loaded must still be current (409); none sent: nothing to compare."""
    if version in (None, ""):
        return
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationFailed({"version": _("Die Versionsangabe ist ungültig.")}, status=422) from None
    check_version(obj, version, _("Der Datensatz wurde inzwischen von jemand anderem geändert. "
                                  "Bitte laden Sie die Seite neu; Ihre Eingaben stehen noch im Formular."))


def flush_or_conflict() -> None:
    """Flush; a parallel change of the same row (version counter) is a conflict, rolled back by the boundary."""
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict({"version": _("Der Datensatz wurde inzwischen von jemand anderem geändert.")}) from None
