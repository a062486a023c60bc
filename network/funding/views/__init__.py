"""Funding pages: the radar and calls (views/calls.py), joint applications and their workspace
(views/applications.py). Template filters and the German form values live here, shared by both."""

from decimal import Decimal

from flask import Blueprint
from flask_babel import format_currency, format_decimal

bp = Blueprint("funding", __name__, url_prefix="/foerderung")


@bp.app_template_filter("euro")
def euro(value):
    """1.234,56 € (German) / €1,234.56 (English); "–" when empty."""
    return "–" if value is None else format_currency(value, "EUR")


@bp.app_template_filter("percent")
def percent(value):
    """62,5 % ; "–" when empty."""
    return "–" if value is None else format_decimal(value, "#,##0.##") + " %"


def german_amount(value) -> str:
    """How an amount is put back into a form field (the services parse German input)."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return text[:-3] if text.endswith(",00") else text


def german_date(value) -> str:
    """A day as a date field's value (2026-03-31: <input type="date"> shows it in the reader's format), or ""."""
    return value.isoformat() if value else ""


from network.funding.views import applications, calls  # noqa: E402,F401  (the routes register on bp)
