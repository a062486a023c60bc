"""Dates and times from forms (Berlin wall time) and the API (ISO 8601), checked."""

from datetime import datetime, time, timedelta, timezone

from flask_babel import gettext as _

from network.core.validation import Checker, parse_day
from network.meetings.ical import BERLIN


def local_datetime(c: Checker, field: str, day: str, clock: str, *, label: str) -> datetime | None:
    """Berlin wall time -> aware datetime; a time skipped by the spring DST switch is an error."""
    try:
        d = parse_day(day)
    except ValueError:
        c.add(field, _("Bitte geben Sie %(label)s als Datum an (TT.MM.JJJJ).", label=label))
        return None
    try:
        t = time.fromisoformat((clock or "").strip()[:5])
    except ValueError:
        c.add(field, _("Bitte geben Sie für %(label)s eine Uhrzeit an (HH:MM).", label=label))
        return None
    naive = datetime.combine(d, t)
    aware = naive.replace(tzinfo=BERLIN)
    if aware.astimezone(timezone.utc).astimezone(BERLIN).replace(tzinfo=None) != naive:
        c.add(field, _("Diese Uhrzeit gibt es wegen der Umstellung auf Sommerzeit nicht."))
        return None
    return aware.astimezone(timezone.utc)  # as it comes back from the database


def parse_iso(c: Checker, field: str, value, *, label: str) -> datetime | None:
    """ISO 8601 from the API; without an offset it is Berlin wall time."""
    if value in (None, ""):
        return None
    try:
        dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        c.add(field, _("Bitte geben Sie %(label)s als Zeitpunkt nach ISO 8601 an (z. B. 2026-03-29T10:00).",
                       label=label))
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=BERLIN)
    return dt.astimezone(timezone.utc)


def _times(c: Checker, data: dict, *, required: bool) -> tuple[datetime | None, datetime | None]:
    """Start and end from form fields (date, start_time, end_time) or the API (starts_at, ends_at)."""
    if "starts_at" in data or "ends_at" in data:
        start = parse_iso(c, "starts_at", data.get("starts_at"), label=_("den Beginn"))
        end = parse_iso(c, "ends_at", data.get("ends_at"), label=_("das Ende"))
        s_field, e_field = "starts_at", "ends_at"
    else:
        day = (data.get("date") or "").strip()
        if not day and not (data.get("start_time") or "").strip() and not required:
            return None, None
        start = local_datetime(c, "date", day, data.get("start_time"), label=_("den Tag"))
        end = local_datetime(c, "end_time", day, data.get("end_time"), label=_("das Ende")) if start else None
        s_field, e_field = "date", "end_time"
    if start is None and end is None and "starts_at" not in c.errors and "date" not in c.errors:
        if required:
            c.add(s_field, _("Bitte geben Sie den Beginn an."))
        return None, None
    if start and not end and e_field not in c.errors:
        c.add(e_field, _("Bitte geben Sie das Ende an."))
    if end and not start and s_field not in c.errors:
        c.add(s_field, _("Bitte geben Sie den Beginn an."))
    if start and end and end <= start:
        c.add(e_field, _("Das Ende muss nach dem Beginn liegen."))
    elif start and end and end - start > timedelta(days=3):
        c.add(e_field, _("Ein Treffen dauert höchstens drei Tage."))
    return start, end
