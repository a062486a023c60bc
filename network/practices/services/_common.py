"""Helpers shared by the practices services: limits, id checks, the stale-edit answer, the authoring city."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from network.accounts.models import User
from network.core.boundary import Conflict
from network.core.validation import ValidationFailed
from network.extensions import db
from network.municipalities.models import Municipality
from network.practices.models import Practice

MAX_SECTION = 20_000
MAX_SUMMARY = 2_000
MAX_QUESTION = 4_000
VISIBLE_STATUSES = ("published", "archived")


def id_or_404(value) -> int:
    """URL ids beyond a 64-bit integer can name no row (and would overflow the database driver)."""
    if not isinstance(value, int) or not 0 < value < 2 ** 63:
        abort(404)
    return value


def part_or_404(model, practice: Practice, part_id):
    """A row of ``model`` (revision, attachment) that belongs to this practice, or 404."""
    id_or_404(part_id)
    row = db.session.execute(sa.select(model).where(model.id == part_id, model.practice_id == practice.id)
                             ).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


def int_or_none(value):
    """An optional whole number from a form or API body; "invalid" when it is none."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return "invalid"


def stale_message() -> str:
    """The 409 text of a stale edit (the user's text stays in the form)."""
    return _("Der Praxisbericht wurde inzwischen von jemand anderem geändert. Ihr Text ist unten erhalten; "
             "bitte laden Sie die aktuelle Fassung und übernehmen Sie Ihre Änderungen.")


def flush_or_stale() -> None:
    """Flush; a concurrent save (version counter) answers 409; the request boundary rolls back."""
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict({"version": stale_message()}) from None


def authoring_contacts(practice: Practice) -> list[User]:
    """The authoring city's active leads and the author: they hear of reuse and questions."""
    return db.session.execute(
        sa.select(User).where(User.municipality_id == practice.municipality_id, User.active.is_(True),
                              sa.or_(User.role == "lead", User.id == practice.author_id))
    ).scalars().all()


def practice_link(practice: Practice) -> str:
    """The practice's absolute address for mails (empty outside a request)."""
    if not has_request_context():
        return ""
    return url_for("practices.detail", practice_id=practice.id, _external=True)


def require_other_city_on_published(actor, practice: Practice, what: str) -> Municipality:
    """Reuse and questions: a member city other than the author's, on a published practice."""
    city = getattr(actor, "municipality", None)
    if city is None or city.status != "member":
        raise ValidationFailed({"city": _("Nur Mitgliedskommunen können das.")}, status=403)
    if practice.status not in VISIBLE_STATUSES:
        raise Conflict({"status": _("Das geht erst, wenn der Praxisbericht veröffentlicht ist.")})
    if city.id == practice.municipality_id:
        raise ValidationFailed({what: _("Das ist ein Praxisbericht Ihrer eigenen Kommune.")})
    return city
