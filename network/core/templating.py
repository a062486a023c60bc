"""Template globals and filters, and the one set of date and time formats (issue #21, item 16).

Every date a person reads goes through the named formats below, as a Jinja filter in templates and mails or as
a function in services (error messages, digest lines, CSV exports):

| filter / function          | German                                 | English (en-GB style)                |
|----------------------------|----------------------------------------|--------------------------------------|
| ``date`` / format_day      | 19.01.2027                             | 19 Jan 2027                          |
| ``weekday`` / format_weekday | Di., 19.01.2027                      | Tue 19 Jan 2027                      |
| ``time`` / format_clock    | 10:00 Uhr                              | 10:00                                |
| ``datetime`` / format_when | 19.01.2027, 10:00 Uhr                  | 19 Jan 2027, 10:00                   |
| ``weekday_datetime``       | Di., 19.01.2027, 10:00 Uhr             | Tue 19 Jan 2027, 10:00               |
| ``timespan`` / format_span | Di., 19.01.2027, 10:00–13:00 Uhr       | Tue 19 Jan 2027, 10:00–13:00         |

No seconds anywhere; the time zone is named only when the reader's zone is not Europe/Berlin (the zone the
network works in). Form fields keep their input formats (TT.MM.JJJJ, HH:MM); the ICS feed keeps RFC 5545.
"""

from datetime import date as _date
from datetime import datetime as _datetime

from flask import current_app, g, has_app_context
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user

from network.core.hooks import panels
from network.core.permissions import can

HOME_ZONE = "Europe/Berlin"

#: CLDR patterns per UI language (German first; English in the British order, day before month)
_PATTERNS = {
    "de": {"date": "dd.MM.yyyy", "weekday": "EEE, dd.MM.yyyy", "time": "HH:mm", "clock": "{time} Uhr",
           "when": "{date}, {time} Uhr", "span_day": "{date}, {start}–{end} Uhr",
           "span": "{start} – {end}"},
    "en": {"date": "d MMM yyyy", "weekday": "EEE d MMM yyyy", "time": "HH:mm", "clock": "{time}",
           "when": "{date}, {time}", "span_day": "{date}, {start}–{end}", "span": "{start} – {end}"},
}


def _patterns() -> dict:
    lang = str(get_locale() or "de").split("_")[0]
    return _PATTERNS.get(lang, _PATTERNS["de"])


def _zone_suffix(value) -> str:
    """" (UTC)" or " (GMT-05:00)" when the reader's zone is not Europe/Berlin; "" at home."""
    tz = get_timezone()
    if not isinstance(value, _datetime) or str(tz) == HOME_ZONE:
        return ""
    return " (" + format_datetime(value, "ZZZZ") + ")"


def format_day(value) -> str:
    """A date (or a moment, shown on its Berlin day): 19.01.2027 / 19 Jan 2027; "–" when empty."""
    if value is None or value == "":
        return "–"
    return format_date(value, _patterns()["date"])


def format_weekday(value) -> str:
    """A date with its weekday: Di., 19.01.2027 / Tue 19 Jan 2027."""
    if value is None or value == "":
        return "–"
    return format_date(value, _patterns()["weekday"])


def format_clock(value) -> str:
    """The time of a moment without seconds: 10:00 Uhr / 10:00."""
    if value is None:
        return "–"
    p = _patterns()
    return p["clock"].format(time=format_datetime(value, p["time"])) + _zone_suffix(value)


def format_when(value, weekday: bool = False) -> str:
    """A moment: 19.01.2027, 10:00 Uhr (Di., … with ``weekday``); a plain date falls back to format_day."""
    if value is None or value == "":
        return "–"
    if isinstance(value, _date) and not isinstance(value, _datetime):
        return format_weekday(value) if weekday else format_day(value)
    p = _patterns()
    day = format_date(value, p["weekday" if weekday else "date"])
    return p["when"].format(date=day, time=format_datetime(value, p["time"])) + _zone_suffix(value)


def format_span(start, end, weekday: bool = True) -> str:
    """From–to: Di., 19.01.2027, 10:00–13:00 Uhr on one day, else both moments in full."""
    if start is None:
        return "–"
    if end is None:
        return format_when(start, weekday)
    p = _patterns()
    if format_date(start, "yyyy-MM-dd") == format_date(end, "yyyy-MM-dd"):
        day = format_date(start, p["weekday" if weekday else "date"])
        return p["span_day"].format(date=day, start=format_datetime(start, p["time"]),
                                    end=format_datetime(end, p["time"])) + _zone_suffix(start)
    return p["span"].format(start=format_when(start, weekday), end=format_when(end, weekday))


def _style_filter(plain, full):
    """A filter that also takes the Babel style names older templates pass ("short", "medium", "full")."""
    def _filter(value, style=None):
        return full(value) if style == "full" else plain(value)
    return _filter


def init_templating(app):
    """Expose can(), dates in Europe/Berlin and the UI language to every template."""

    @app.context_processor
    def globals_():
        return {
            "can": lambda perm, obj=None: can(current_user, perm, obj),
            "network_name": current_app.config["NETWORK_NAME"],
            "ui_lang": str(get_locale() or "de"),
            "panels": lambda slot, **kw: panels(slot, current_user, **kw),
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions,
        }

    from network.core.markdown import render_markdown
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = _style_filter(format_day, format_weekday)
    app.jinja_env.filters["weekday"] = format_weekday
    app.jinja_env.filters["time"] = format_clock
    app.jinja_env.filters["datetime"] = _style_filter(format_when, lambda v: format_when(v, weekday=True))
    app.jinja_env.filters["weekday_datetime"] = lambda v: format_when(v, weekday=True)
    app.jinja_env.filters["timespan"] = format_span
    app.jinja_env.add_extension("jinja2.ext.do")  # {% do list.append(...) %}: the header builds its menu groups
    app.jinja_env.filters["number"] = lambda v: format_decimal(v or 0)  # 7.129 in German, 7,129 in English
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # Flask-Babel looks the translations up through four context look-ups on every _() in a template; a matrix
    # page called it 850 times (a fifth of its time). Once per request and locale is enough.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n))


def _translations():
    """The translations of the current locale, looked up once per locale and request (a mail rendered under
    flask_babel.force_locale in the recipient's language gets its own)."""
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    found = g.get("_translations")
    if found is None or found[0] is not locale:
        found = g._translations = (locale, get_translations())
    return found[1]
