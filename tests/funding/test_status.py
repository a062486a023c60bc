"""Status from dates in Europe/Berlin: a deadline date runs until 23:59:59 Berlin time that day."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from network.funding.models import FundingCall, FundingDeadline, berlin_today, deadline_end

BERLIN = ZoneInfo("Europe/Berlin")


def _call(deadlines=(), opens_on=None, checked_on=None):
    call = FundingCall(title="x", funder="land", opens_on=opens_on, checked_on=checked_on)
    call.deadlines = [FundingDeadline(label=f"F{i}", due_on=d) for i, d in enumerate(deadlines)]
    return call


def at(y, m, d, hh, mm, ss=0):
    """A Berlin wall-clock moment as an aware UTC datetime."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=BERLIN).astimezone(timezone.utc)


@pytest.mark.parametrize("moment, expected", [
    (at(2026, 6, 30, 23, 59, 0), "open"),     # the last minute of the deadline day
    (at(2026, 6, 30, 23, 59, 59), "open"),
    (at(2026, 7, 1, 0, 0, 0), "closed"),      # midnight Berlin: closed
    (datetime(2026, 6, 30, 21, 59, tzinfo=timezone.utc), "open"),   # 23:59 CEST
    (datetime(2026, 6, 30, 22, 0, tzinfo=timezone.utc), "closed"),  # 22:00 UTC = 00:00 CEST
])
def test_deadline_boundary_summer(moment, expected):
    assert _call([date(2026, 6, 30)]).status(moment) == expected


@pytest.mark.parametrize("moment, expected", [
    (datetime(2026, 1, 15, 22, 59, tzinfo=timezone.utc), "open"),    # 23:59 CET
    (datetime(2026, 1, 15, 23, 0, tzinfo=timezone.utc), "closed"),   # 00:00 CET
])
def test_deadline_boundary_winter(moment, expected):
    assert _call([date(2026, 1, 15)]).status(moment) == expected


def test_deadline_on_the_day_summer_time_begins():
    """29 March 2026: clocks jump from 02:00 to 03:00; the day still ends at 24:00 CEST (22:00 UTC)."""
    call = _call([date(2026, 3, 29)])
    assert call.status(at(2026, 3, 29, 23, 59)) == "open"
    assert call.status(datetime(2026, 3, 29, 21, 59, 59, tzinfo=timezone.utc)) == "open"
    assert call.status(datetime(2026, 3, 29, 22, 0, tzinfo=timezone.utc)) == "closed"
    assert deadline_end(date(2026, 3, 29)) == datetime(2026, 3, 29, 22, 0, tzinfo=timezone.utc)
    # the day before ends at 24:00 CET (23:00 UTC)
    assert deadline_end(date(2026, 3, 28)) == datetime(2026, 3, 28, 23, 0, tzinfo=timezone.utc)


def test_deadline_on_the_day_summer_time_ends():
    """25 October 2026: 03:00 CEST becomes 02:00 CET; the day ends at 24:00 CET (23:00 UTC)."""
    call = _call([date(2026, 10, 25)])
    assert call.status(datetime(2026, 10, 25, 22, 59, 59, tzinfo=timezone.utc)) == "open"
    assert call.status(datetime(2026, 10, 25, 23, 0, tzinfo=timezone.utc)) == "closed"
    assert deadline_end(date(2026, 10, 25)) == datetime(2026, 10, 25, 23, 0, tzinfo=timezone.utc)


def test_announced_until_opening_day_in_berlin():
    call = _call([date(2026, 9, 30)], opens_on=date(2026, 9, 1))
    assert call.status(at(2026, 8, 31, 23, 59)) == "announced"
    assert call.status(at(2026, 9, 1, 0, 0)) == "open"
    assert call.status_label(at(2026, 8, 31, 12, 0)) == "angekündigt"


def test_several_deadlines_next_and_closed_after_last():
    call = _call([date(2026, 5, 1), date(2026, 7, 1)])
    assert call.next_deadline(at(2026, 4, 30, 12, 0)).due_on == date(2026, 5, 1)
    assert call.next_deadline(at(2026, 5, 2, 0, 0)).due_on == date(2026, 7, 1)
    assert call.status(at(2026, 5, 2, 0, 0)) == "open"  # the full application is still due
    assert call.status(at(2026, 7, 2, 0, 0)) == "closed"


def test_without_deadline_stays_open():
    assert _call([]).status(at(2030, 1, 1, 0, 0)) == "open"


def test_berlin_today_differs_from_utc_date_around_midnight():
    assert berlin_today(datetime(2026, 6, 30, 22, 30, tzinfo=timezone.utc)) == date(2026, 7, 1)


def test_stale_after_90_days():
    now = at(2026, 6, 1, 12, 0)
    assert not _call(checked_on=date(2026, 3, 3)).is_stale(now)   # 90 days ago
    assert _call(checked_on=date(2026, 3, 2)).is_stale(now)       # 91 days
    assert _call(checked_on=None).is_stale(now)
