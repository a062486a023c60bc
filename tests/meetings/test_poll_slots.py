"""Date polls (issue #21, item 7): several slots in one form, weekly repetition, all-or-nothing validation,
duplicates skipped with a message, at most MAX_SLOTS per poll; the API keeps adding several slots."""

from datetime import timedelta

from network.extensions import db
from network.meetings import services
from network.meetings.ical import BERLIN
from network.meetings.models import PollSlot
from tests.conftest import row_count
from tests.meetings.conftest import form_times, future, meeting_data
from tests.meetings.test_api import api  # noqa: F401  (the fixture)


def _poll(coordinator, fachgruppe):
    m = services.create_meeting(coordinator, fachgruppe, meeting_data(None, number="36", title="36. Fachgruppe"))
    db.session.commit()
    return m


def _rows(*starts, minutes=120) -> dict:
    data = {}
    for i, start in enumerate(starts):
        for k, v in form_times(start, minutes).items():
            data[f"slots-{i}-{k}"] = v
    return data


def _starts(m):
    return [s.starts_at.astimezone(BERLIN) for s in services.slots(m)]


def test_form_offers_five_empty_rows_and_repeat(as_user, coordinator, fachgruppe):
    m = _poll(coordinator, fachgruppe)
    html = as_user(coordinator).get(f"/n/readi/treffen/{m.id}/umfrage").get_data(as_text=True)
    for i in range(5):
        assert f'id="slots-{i}-date"' in html and f'name="slots-{i}-end_time"' in html
    assert 'id="slots-5-date"' not in html
    assert 'name="repeat_weeks"' in html and "in den folgenden 8 Wochen" in html
    assert "<script" not in html.split("<main", 1)[1] and "style=" not in html.split("<main", 1)[1]


def test_several_slots_in_one_post_empty_rows_ignored(as_user, coordinator, fachgruppe):
    m = _poll(coordinator, fachgruppe)
    client = as_user(coordinator)
    a, b, c = future(20), future(21, 14), future(23, 9)
    data = _rows(a, b, c)
    data.update({"slots-3-date": "", "slots-3-start_time": "", "slots-3-end_time": ""})  # an empty row
    resp = client.post(f"/n/readi/treffen/{m.id}/umfrage", data=data)
    assert resp.status_code == 302
    assert _starts(m) == [a, b, c]
    html = client.get(f"/n/readi/treffen/{m.id}/umfrage").get_data(as_text=True)
    assert "3 Terminvorschläge wurden hinzugefügt." in html


def test_repeat_weekly_copies_the_rows_to_the_following_weeks(as_user, coordinator, fachgruppe):
    m = _poll(coordinator, fachgruppe)
    a, b = future(20), future(22, 14)
    resp = as_user(coordinator).post(f"/n/readi/treffen/{m.id}/umfrage", data={**_rows(a, b), "repeat_weeks": "3"})
    assert resp.status_code == 302
    starts = _starts(m)
    assert len(starts) == 8
    # the same Berlin wall time each week (also across a switch to or from summer time)
    expected = sorted((x.replace(tzinfo=None) + timedelta(weeks=w)).replace(tzinfo=BERLIN)
                      for x in (a, b) for w in range(4))
    assert [s.replace(tzinfo=None) for s in starts] == [e.replace(tzinfo=None) for e in expected]
    assert all(s.ends_at - s.starts_at == timedelta(hours=2) for s in services.slots(m))


def test_bad_row_is_422_at_that_row_and_nothing_saved(as_user, coordinator, fachgruppe):
    m = _poll(coordinator, fachgruppe)
    client = as_user(coordinator)
    data = _rows(future(20), future(21))
    data.update({"slots-2-date": future(22).date().isoformat(), "slots-2-start_time": "14:00",
                 "slots-2-end_time": "13:00", "repeat_weeks": "2"})
    resp = client.post(f"/n/readi/treffen/{m.id}/umfrage", data=data)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Es wurde nichts gespeichert." in html
    assert 'href="#slots-2-end_time">Termin 3, Ende (Uhrzeit): Das Ende muss nach dem Beginn liegen.' in html
    assert 'id="slots-2-end_time-error"' in html and 'id="slots-0-date-error"' not in html
    # what the user typed stays in the rows
    assert f'value="{future(21).date().isoformat()}"' in html and 'value="13:00"' in html
    assert row_count(PollSlot) == 0
    # a date in the past, an impossible date, a bad repetition
    resp = client.post(f"/n/readi/treffen/{m.id}/umfrage", data={**_rows(future(20), future(-3))})
    assert resp.status_code == 422 and "Termin 2, Tag: Der Termin liegt in der Vergangenheit." in resp.get_data(as_text=True)
    resp = client.post(f"/n/readi/treffen/{m.id}/umfrage", data={"slots-1-date": "2027-02-30",
                                                                 "slots-1-start_time": "10:00",
                                                                 "slots-1-end_time": "11:00"})
    assert resp.status_code == 422 and "als Datum an" in resp.get_data(as_text=True)
    resp = client.post(f"/n/readi/treffen/{m.id}/umfrage", data={**_rows(future(20)), "repeat_weeks": "9"})
    assert resp.status_code == 422 and "eine Zahl von 0 bis 8" in resp.get_data(as_text=True)
    # nothing entered at all
    resp = client.post(f"/n/readi/treffen/{m.id}/umfrage", data={"repeat_weeks": "0"})
    assert resp.status_code == 422 and "mindestens einen Termin" in resp.get_data(as_text=True)
    assert row_count(PollSlot) == 0


def test_duplicates_are_skipped_with_a_message(as_user, coordinator, fachgruppe):
    m = _poll(coordinator, fachgruppe)
    client = as_user(coordinator)
    a, b = future(20), future(21)
    assert client.post(f"/n/readi/treffen/{m.id}/umfrage", data=_rows(a)).status_code == 302
    # a (already there) and b twice: b is added once, two are skipped
    resp = client.post(f"/n/readi/treffen/{m.id}/umfrage", data=_rows(a, b, b), follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "1 Terminvorschlag wurde hinzugefügt." in html
    assert "2 Termine gab es in der Umfrage schon; sie wurden übersprungen." in html
    assert _starts(m) == [a, b]
    # only dates the poll has: 409, nothing written
    resp = client.post(f"/n/readi/treffen/{m.id}/umfrage", data=_rows(a))
    assert resp.status_code == 409 and "Diesen Termin gibt es in der Umfrage schon." in resp.get_data(as_text=True)
    assert row_count(PollSlot) == 2


def test_at_most_max_slots_per_poll(as_user, coordinator, fachgruppe):
    m = _poll(coordinator, fachgruppe)
    client = as_user(coordinator)
    # 4 rows, each in 9 weeks: 36 dates
    starts = [future(20 + d, 8 + d) for d in range(4)]
    assert client.post(f"/n/readi/treffen/{m.id}/umfrage", data={**_rows(*starts), "repeat_weeks": "8"}).status_code == 302
    assert row_count(PollSlot) == 36 == services.MAX_SLOTS - 4
    # five more would make 41: refused, nothing written
    more = [future(19, 8 + h) for h in range(5)]
    resp = client.post(f"/n/readi/treffen/{m.id}/umfrage", data=_rows(*more, minutes=30))
    assert resp.status_code == 422
    assert "höchstens 40 Terminvorschläge" in resp.get_data(as_text=True)
    assert row_count(PollSlot) == 36
    assert client.post(f"/n/readi/treffen/{m.id}/umfrage", data=_rows(*more[:4], minutes=30)).status_code == 302
    assert row_count(PollSlot) == 40


def test_only_the_organiser_and_only_while_polling(as_user, coordinator, lead_a, fachgruppe):
    m = _poll(coordinator, fachgruppe)
    assert as_user(lead_a).post(f"/n/readi/treffen/{m.id}/umfrage", data=_rows(future(20))).status_code == 403
    html = as_user(lead_a).get(f"/n/readi/treffen/{m.id}/umfrage").get_data(as_text=True)
    assert 'name="slots-0-date"' not in html
    assert row_count(PollSlot) == 0


def test_api_adds_several_slots_atomically(api, coordinator, fachgruppe):
    m = _poll(coordinator, fachgruppe)
    c = api(coordinator)
    url = f"/api/v1/meetings/{m.id}/poll"
    good = [{"starts_at": future(20).isoformat(), "ends_at": future(20, 12).isoformat()},
            {"starts_at": future(21).isoformat(), "ends_at": future(21, 12).isoformat()}]
    bad = {"starts_at": future(22, 12).isoformat(), "ends_at": future(22, 10).isoformat()}
    resp = c.post(url, json={"slots": [*good, bad]})
    assert resp.status_code == 422 and "slots-2-ends_at" in resp.get_json()["error"]["fields"]
    assert row_count(PollSlot) == 0
    resp = c.post(url, json={"slots": good})
    assert resp.status_code == 200 and len(resp.get_json()["slots"]) == 2
    # the API refuses a date the poll has (as before)
    resp = c.post(url, json={"slots": good[:1]})
    assert resp.status_code == 409 and "starts_at" in resp.get_json()["error"]["fields"]
    assert row_count(PollSlot) == 2
