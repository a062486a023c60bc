"""iCalendar output (RFC 5545) with the icalendar library: invitations, cancellations, feeds."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from network.core.hooks import CalendarEntry

BERLIN = ZoneInfo("Europe/Berlin")
PRODID = "-//Städtenetz//Treffen//DE"


def berlin_vtimezone() -> Timezone:
    """Europe/Berlin with the EU rules in force since 1996 as yearly RRULEs (last Sunday of March/October).

    icalendar's generated VTIMEZONE lists every transition as RDATE up to 2038; some parsers (vobject,
    older Outlook versions) ignore those lists and would shift summer meetings by an hour. RRULEs are read
    by every client.
    """
    tz = Timezone()
    tz.add("tzid", "Europe/Berlin")
    tz.add("x-lic-location", "Europe/Berlin")
    # summer time from the last Sunday of March 02:00, standard time from the last Sunday of October 03:00
    for kind, name, offset_from, offset_to, start in (
            (TimezoneDaylight, "CEST", 1, 2, datetime(1970, 3, 29, 2, 0)),
            (TimezoneStandard, "CET", 2, 1, datetime(1970, 10, 25, 3, 0))):
        part = kind()
        part.add("tzname", name)
        part.add("tzoffsetfrom", timedelta(hours=offset_from))
        part.add("tzoffsetto", timedelta(hours=offset_to))
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": start.month, "byday": "-1SU"})
        tz.add_component(part)
    return tz


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", "Europe/Berlin")
    return cal


def _event(entry: CalendarEntry, *, stamp: datetime, organizer: str | None = None,
           attendees: list[tuple[str, str]] = ()) -> Event:
    ev = Event()
    ev.add("uid", entry.uid)
    ev.add("dtstamp", stamp.astimezone(timezone.utc))
    start = entry.start
    if isinstance(start, datetime):
        ev.add("dtstart", start.astimezone(BERLIN))
        ev.add("dtend", (entry.end or start + timedelta(hours=1)).astimezone(BERLIN))
    else:
        ev.add("dtstart", start)
        ev.add("dtend", entry.end if isinstance(entry.end, date) else start + timedelta(days=1))
    ev.add("summary", entry.summary)
    ev.add("sequence", entry.sequence)
    ev.add("status", entry.status)
    if entry.description:
        ev.add("description", entry.description)
    if entry.location:
        ev.add("location", entry.location)
    if entry.url:
        ev.add("url", entry.url)
    if entry.last_modified:
        ev.add("last-modified", entry.last_modified.astimezone(timezone.utc))
    if organizer:
        org = vCalAddress(f"mailto:{organizer}")
        org.params["cn"] = vText("Städtenetz")
        ev["organizer"] = org
    for email, name in attendees:
        att = vCalAddress(f"mailto:{email}")
        att.params["cn"] = vText(name)
        att.params["role"] = vText("REQ-PARTICIPANT")
        att.params["rsvp"] = vText("FALSE")
        ev.add("attendee", att, encode=0)
    return ev


def to_ics(entries: list[CalendarEntry], *, method: str | None = None, name: str | None = None,
           organizer: str | None = None, attendees: list[tuple[str, str]] = (),
           stamp: datetime | None = None) -> str:
    """A VCALENDAR with the Europe/Berlin VTIMEZONE and one VEVENT per entry."""
    cal = _calendar(method, name)
    stamp = stamp or datetime.now(timezone.utc)
    for entry in entries:
        cal.add_component(_event(entry, stamp=stamp, organizer=organizer, attendees=attendees))
    if any(isinstance(e.start, datetime) for e in entries):
        cal.add_component(berlin_vtimezone())
    return cal.to_ical().decode("utf-8")
