"""Shared constants and small helpers of the funding services (no public service here)."""

from decimal import Decimal

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from network.accounts.models import User
from network.core.validation import ValidationFailed
from network.extensions import db
from network.municipalities.models import Municipality

MAX_DEADLINES = 5
MAX_TEXT = 5000
#: the documented range of every amount (calls, applications, shares): 0 to 999.999.999.999,99 € fits
#: Numeric(14, 2); the rate is 0 to 100 (parsing.parse_rate)
MAX_AMOUNT = Decimal("999999999999.99")
#: calls per page of the API's radar (its documented page)
PAGE_SIZE = 50
#: calls per page of the radar page (a page shows what a person reads, issue #17: 50 rows rendered 58 KB)
RADAR_PAGE_SIZE = 25
#: application states in which deadlines still matter (reminders, calendar)
ACTIVE_APPLICATION = ("idea", "preparing")
#: member rows that see an application's inside (a declined city no longer does)
SEEING = ("invited", "accepted")


def _ids(values) -> list[int]:
    out = []
    for v in values or []:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            out.append(-1)
    return out


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "y", "yes", "on", "ja")
    return bool(value)


def _link(endpoint: str, **kw) -> str:
    """An absolute URL, or "" where none can be built (no request and no SERVER_NAME)."""
    try:
        return url_for(endpoint, _external=True, **kw)
    except RuntimeError:
        return ""


def _path(endpoint: str, **kw) -> str:
    try:
        return url_for(endpoint, **kw)
    except RuntimeError:
        return ""


def _member_city(actor) -> Municipality:
    city = getattr(actor, "municipality", None)
    if city is None or city.status != "member":
        raise ValidationFailed({"city": _("Sie handeln für keine Mitgliedskommune; das ist nur für die eigene "
                                          "Kommune möglich.")}, status=403)
    return city


def _city_leads(city_ids) -> list[User]:
    if not city_ids:
        return []
    return db.session.execute(
        sa.select(User).where(User.municipality_id.in_(list(city_ids)), User.role == "lead",
                              User.active.is_(True)).order_by(User.id)
    ).scalars().all()
