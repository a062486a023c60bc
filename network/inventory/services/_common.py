"""Constants and private helpers shared by the inventory's service modules."""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden

from network.municipalities.models import Municipality

MAX_SUMMARY = 20_000
#: the copied columns of a report entry (every field of the project at freeze time)
SNAPSHOT_FIELDS = ("title", "summary", "status", "priority", "start_month", "end_month", "department", "contact",
                   "budget_eur", "funding_source", "visibility", "is_lighthouse")
#: statuses that count as "still to do" for the funding radar
OPEN_STATUSES = ("idea", "in_progress")


def int_or_none(value):
    """An id from a form, API body or CSV cell; anything that is no whole number is None."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def acting_city(actor) -> Municipality:
    """The actor's own city; an account without one may not write."""
    city = getattr(actor, "municipality", None)
    if city is None:
        raise Forbidden()
    return city


def csv_header() -> list[str]:
    """The columns of a project CSV (export and report), the same the import understands."""
    return [_("Titel"), _("Handlungsfeld"), _("Thema"), _("Status"), _("Priorität"), _("Beginn"), _("Ende"),
            _("Amt"), _("Ansprechperson"), _("Budget (Euro)"), _("Finanzierung"), _("Sichtbarkeit"),
            _("Leuchtturmprojekt"), _("Zusammenfassung")]


def csv_cells(item, field_name: str, topic_name: str) -> list:
    """One project or report entry as the cells under csv_header()."""
    from network.inventory.services.parsers import format_month
    return [item.title, field_name, topic_name, item.status_label, item.priority_label,
            format_month(item.start_month), format_month(item.end_month), item.department, item.contact,
            item.budget_eur if item.budget_eur is not None else "", item.funding_source, item.visibility_label,
            _("ja") if item.is_lighthouse else _("nein"), item.summary]
