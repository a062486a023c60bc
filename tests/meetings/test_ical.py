"""The .ics output, parsed by icalendar and by vobject (independent parser): required properties, DST, feeds."""

from datetime import datetime, timezone

import icalendar
import pytest
import vobject

from network.core.hooks import CalendarEntry
from network.extensions import db
from network.meetings import services
from network.meetings.ical import BERLIN
from tests.meetings.conftest import berlin, form_times, meeting_data, new_feed_url


def _events_both(text):
    cal = icalendar.Calendar.from_ical(text)
    ical_events = list(cal.walk("VEVENT"))
    vcal = vobject.readOne(text)
    return cal, ical_events, vcal, list(vcal.vevent_list)


def _meeting_at(coordinator, body, start, **kw):
    m = services.create_meeting(coordinator, body, meeting_data(start, **kw))
    db.session.commit()
    return m


@pytest.mark.parametrize("day", [(2027, 3, 28), (2027, 10, 31), (2027, 3, 27), (2027, 10, 30), (2027, 7, 1),
                                 (2028, 1, 15)])
def test_ten_o_clock_stays_ten_o_clock_across_dst(coordinator, fachgruppe, day):
    """A meeting at 10:00 Berlin on DST switch weekends is 10:00 local in both parsers; UTC offset right."""
    start = berlin(*day, 10)
    m = _meeting_at(coordinator, fachgruppe, start, number=None)
    text = services.meeting_ics(m)
    assert "DTSTART;TZID=Europe/Berlin:%04d%02d%02dT100000" % day in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Berlin" in text
    cal, events, vcal, vevents = _events_both(text)
    (ev,), (vev,) = events, vevents
    dt = ev.decoded("dtstart")
    assert (dt.hour, dt.minute) == (10, 0) and dt.utcoffset() == start.utcoffset()
    vdt = vev.dtstart.value
    assert (vdt.hour, vdt.minute) == (10, 0)
    assert vdt.astimezone(timezone.utc) == start.astimezone(timezone.utc)
    summer = day[1] in (4, 5, 6, 7, 8, 9) or day in ((2027, 3, 28), (2027, 10, 30))
    assert start.astimezone(timezone.utc).hour == (8 if summer else 9)


def test_required_properties_in_both_parsers(coordinator, fachgruppe, app):
    m = _meeting_at(coordinator, fachgruppe, berlin(2027, 5, 4, 14), online_url="https://konf.example/x")
    text = services.meeting_ics(m, "REQUEST", attendees=[("a@x.example", "A")])
    cal, (ev,), vcal, (vev,) = _events_both(text)
    assert str(cal["method"]) == "REQUEST"
    assert str(ev["uid"]) == f"meeting-{m.id}@staedtenetz.test" == vev.uid.value
    assert ev.decoded("dtstamp").tzinfo is not None and vev.dtstamp.value.tzinfo is not None
    assert int(ev["sequence"]) == 0 == int(vev.sequence.value)
    assert ev["dtstart"].params["TZID"] == "Europe/Berlin"
    assert vev.dtstart.value.tzname() == "CEST" and vev.dtstart.value.hour == 14  # vobject resolves the TZID
    assert str(ev["url"]).endswith(f"/n/readi/treffen/{m.id}")
    assert "https://konf.example/x" in str(ev["location"])


def test_sequence_rises_and_uid_stays(coordinator, fachgruppe):
    m = _meeting_at(coordinator, fachgruppe, berlin(2027, 5, 4, 14))
    uid = str(icalendar.Calendar.from_ical(services.meeting_ics(m)).walk("VEVENT")[0]["uid"])
    services.update_meeting(coordinator, m, meeting_data(berlin(2027, 5, 5, 14)), version=m.version)
    db.session.commit()
    services.update_meeting(coordinator, m, meeting_data(berlin(2027, 5, 5, 14), room="Neuer Raum"), version=m.version)
    db.session.commit()
    ev = icalendar.Calendar.from_ical(services.meeting_ics(m)).walk("VEVENT")[0]
    assert str(ev["uid"]) == uid and int(ev["sequence"]) == 2
    # a save without changes of time or place does not raise it
    services.update_meeting(coordinator, m, meeting_data(berlin(2027, 5, 5, 14), room="Neuer Raum",
                                                         description="nur Hinweis"), version=m.version)
    assert m.sequence == 2


def test_ics_download_and_personal_feed(as_user, client, coordinator, fachgruppe, body_b_only, lead_a, app):
    from network.core.hooks import register_calendar_source
    mine = _meeting_at(coordinator, fachgruppe, berlin(2027, 3, 28, 10))
    other = _meeting_at(coordinator, body_b_only, berlin(2027, 4, 1, 10), number="1", title="Geheimes Treffen")
    c = as_user(lead_a)
    resp = c.get(f"/n/readi/meetings/{mine.id}.ics")
    assert resp.status_code == 200 and resp.mimetype == "text/calendar"
    assert c.get(f"/n/readi/meetings/{other.id}.ics").status_code == 404
    url = new_feed_url(c)
    # a funding deadline from another domain's calendar source joins the feed
    deadline = CalendarEntry(uid="funding-1@x", summary="Frist Förderaufruf", start=datetime(2027, 6, 1).date())
    register_calendar_source(app, lambda user: [deadline])
    try:
        resp = client.get(url)  # no cookies
    finally:
        app.extensions["staedtenetz_hooks"]["calendar"].pop()
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    cal, events, vcal, vevents = _events_both(text)
    assert "X-WR-CALNAME" in text
    summaries = {str(e["summary"]) for e in events}
    assert f"re@di – regional.digital – {mine.title}" in summaries and "Frist Förderaufruf" in summaries and "Geheimes Treffen" not in summaries
    assert {v.summary.value for v in vevents} == summaries
    # renewing: the old address stops working
    new = new_feed_url(c)
    db.session.expire_all()
    assert client.get(url).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/calendar/raten.ics").status_code == 404


def test_invitation_mail_carries_the_ics(app, coordinator, fachgruppe, outbox):
    from network.core.outbox import deliver_outbox
    _meeting_at(coordinator, fachgruppe, berlin(2027, 5, 4, 14))
    stats = deliver_outbox()
    assert stats["sent"] == 2
    msg = outbox[0].message()
    parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert parts and parts[0].get_param("method") == "REQUEST"
    ics = parts[0].get_payload(decode=True).decode()
    assert "BEGIN:VEVENT" in ics and vobject.readOne(ics).vevent.summary.value == "34. Fachgruppentreffen"
