"""One set of date and time formats (issue #21, item 16): German and English (en-GB), no seconds, no zone at home."""

from datetime import date, datetime, timezone

import pytest
from flask import render_template_string
from flask_babel import force_locale

from network.core.templating import format_clock, format_day, format_span, format_weekday, format_when

START = datetime(2027, 1, 19, 9, 0, tzinfo=timezone.utc)   # 10:00 in Berlin (winter)
END = datetime(2027, 1, 19, 12, 0, tzinfo=timezone.utc)    # 13:00
SUMMER = datetime(2027, 7, 6, 22, 30, tzinfo=timezone.utc)  # 00:30 on 7 July in Berlin

CASES = {
    "de": {"day": "19.01.2027", "weekday": "Di., 19.01.2027", "clock": "10:00 Uhr", "when": "19.01.2027, 10:00 Uhr",
           "span": "Di., 19.01.2027, 10:00–13:00 Uhr",
           "two_days": "Di., 19.01.2027, 10:00 Uhr – Mi., 20.01.2027, 13:00 Uhr", "summer_day": "07.07.2027"},
    "en": {"day": "19 Jan 2027", "weekday": "Tue 19 Jan 2027", "clock": "10:00", "when": "19 Jan 2027, 10:00",
           "span": "Tue 19 Jan 2027, 10:00–13:00",
           "two_days": "Tue 19 Jan 2027, 10:00 – Wed 20 Jan 2027, 13:00", "summer_day": "7 Jul 2027"},
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_named_formats(app, lang):
    want = CASES[lang]
    with app.test_request_context(), force_locale(lang):
        assert format_day(START) == want["day"]
        assert format_day(date(2027, 1, 19)) == want["day"]
        assert format_weekday(date(2027, 1, 19)) == want["weekday"]
        assert format_clock(START) == want["clock"]
        assert format_when(START) == want["when"]
        assert format_span(START, END) == want["span"]
        assert format_span(START, datetime(2027, 1, 20, 12, 0, tzinfo=timezone.utc)) == want["two_days"]
        assert format_day(SUMMER) == want["summer_day"]  # the Berlin day, not the UTC one
        assert format_day(None) == "–" and format_when(None) == "–" and format_span(None, None) == "–"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_template_filters(app, lang):
    want = CASES[lang]
    with app.test_request_context(), force_locale(lang):
        out = render_template_string(
            "{{ s|date }}|{{ s|datetime }}|{{ s|time }}|{{ s|timespan(e) }}|{{ s|weekday_datetime }}|{{ d|weekday }}"
            "|{{ s|datetime('short') }}|{{ s|date('full') }}", s=START, e=END, d=date(2027, 1, 19))
    weekday_when = want["weekday"] + ", " + want["when"].split(", ", 1)[1]
    assert out.split("|") == [want["day"], want["when"], want["clock"], want["span"], weekday_when, want["weekday"],
                              want["when"], want["weekday"]]
    assert ":00:00" not in out and "/27" not in out and "Mitteleuropäische" not in out


def test_no_seconds_and_no_zone_at_home(app):
    with app.test_request_context(), force_locale("de"):
        text = format_span(START, END)
    assert text.count(":") == 2 and "MEZ" not in text and "GMT" not in text


def test_zone_named_when_the_reader_is_elsewhere(app):
    """A reader outside Europe/Berlin sees which zone the time is in."""
    from flask import g
    from pytz import timezone as tz
    with app.test_request_context(), force_locale("de"):
        format_day(START)  # creates Flask-Babel's per-request cache
        g._flask_babel.babel_tzinfo = tz("America/New_York")
        assert format_clock(START) == "04:00 Uhr (GMT-05:00)"
        assert format_span(START, END) == "Di., 19.01.2027, 04:00–07:00 Uhr (GMT-05:00)"
