"""Forms (#21, item 17): labels say what is required, one date input style (native date/time fields, the server
reads ISO and German days), checkbox lists instead of Ctrl-click multi-selects, agenda items link a practice from a
select with a server-side search."""

import re

import sqlalchemy as sa

from network.extensions import db
from network.meetings import services
from network.meetings.models import AgendaItem
from tests.meetings.conftest import future, meeting_data


def _label(html: str, field_id: str) -> str:
    m = re.search(rf'<label class="kern-label" for="{field_id}">(.*?)</label>', html, re.S)
    assert m, field_id
    return m.group(1)


def test_meeting_form_marks_only_truly_optional_fields(as_user, coordinator, fachgruppe):
    html = as_user(coordinator).get(f"/n/readi/treffen/neu?gremium={fachgruppe.id}").get_data(as_text=True)
    for required in ("title", "start_time", "end_time", "address", "online_url"):
        assert "optional" not in _label(html, required), required
    for optional in ("number", "host_id", "date", "room", "capacity", "description"):
        assert "optional" in _label(html, optional), optional
    assert "Eine Adresse oder ein Online-Link ist nötig" in html
    assert 'id="date" name="date" type="date"' in html and 'id="end_time" name="end_time" type="time"' in html


def test_missing_end_time_and_place_answer_in_german(as_user, coordinator, fachgruppe):
    data = {**meeting_data(future()), "gremium": str(fachgruppe.id), "end_time": "", "address": "", "online_url": ""}
    resp = as_user(coordinator).post("/n/readi/treffen/neu", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Bitte geben Sie für das Ende eine Uhrzeit an (HH:MM)." in html and "Bitte geben Sie eine Adresse oder einen Online-Link an." in html


def test_days_are_read_in_iso_and_german(as_user, coordinator, fachgruppe, city_a):
    from network.core.validation import parse_day
    assert parse_day("2027-01-19") == parse_day("19.01.2027") == parse_day("19.1.2027")
    past = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-3), number="30"))
    db.session.commit()
    client = as_user(coordinator)
    ok = client.post(f"/n/readi/treffen/{past.id}/aufgaben", data={"action_text": "Portal", "action_city": str(city_a.id),
                                                                  "due_date": "01.02.2031"})
    assert ok.status_code == 302
    bad = client.post(f"/n/readi/treffen/{past.id}/aufgaben", data={"action_text": "Portal",
                                                                   "action_city": str(city_a.id), "due_date": "morgen"})
    assert bad.status_code == 422 and "Fälligkeitsdatum als Datum" in bad.get_data(as_text=True)


def test_funding_call_form_uses_date_fields_and_checkbox_lists(client, login_as, lead_a):
    from tests.topics.conftest import make_field, make_topic
    make_topic(make_field("Verwaltung"), "e-Akte")
    db.session.commit()
    login_as(lead_a)
    html = client.get("/foerderung/neu").get_data(as_text=True)
    assert "<select multiple" not in html and " multiple" not in html and "Strg" not in html
    assert 'type="checkbox" name="field_ids"' in html and 'type="checkbox" name="topic_ids"' in html
    for name in ("opens_on", "checked_on", "deadlines-0-due_on"):
        assert re.search(rf'name="{name}" type="date"', html), name
    assert "TT.MM.JJJJ" not in html


def test_agenda_links_a_practice_from_a_select(as_user, coordinator, meeting, lead_a, staff_b, lead_b):
    from tests.practices.conftest import write
    mine = write(lead_a, "Digitale Parkraumbewirtschaftung", publish_as=lead_a)
    other = write(lead_a, "Open Data Portal", publish_as=lead_a)
    private = write(staff_b, "Interner Entwurf")  # a draft of Bühl: nobody else may link it
    client = as_user(coordinator)
    html = client.get(f"/n/readi/treffen/{meeting.id}/tagesordnung").get_data(as_text=True)
    assert f'<option value="{mine.id}">Digitale Parkraumbewirtschaftung (Ettlingen)</option>' in html
    assert "Interner Entwurf" not in html
    # the search narrows the select (server-side, works without JavaScript)
    html = client.get(f"/n/readi/treffen/{meeting.id}/tagesordnung?praxis_suche=open").get_data(as_text=True)
    assert f'<option value="{other.id}">Open Data Portal' in html and "Digitale Parkraumbewirtschaftung (" not in html
    assert "1 Praxisbericht zu „open“ in der Auswahl." in html and "<details" in html and " open>" in html
    # choosing it links the practice, its title the label
    resp = client.post(f"/n/readi/treffen/{meeting.id}/tagesordnung", data={
        "title": "Bericht Parken", "duration_minutes": "15", "practice_id": str(mine.id)})
    assert resp.status_code == 302
    item = db.session.execute(sa.select(AgendaItem)).scalar_one()
    assert (item.link_path, item.link_label) == (f"/praxis/{mine.id}", "Digitale Parkraumbewirtschaftung")
    # a practice the organiser may not read, or both a practice and a path: 422 in German, nothing written
    for data, message in (({"practice_id": str(private.id)}, "Diesen Praxisbericht gibt es nicht."),
                          ({"practice_id": "abc"}, "Diesen Praxisbericht gibt es nicht."),
                          ({"practice_id": str(mine.id), "link_path": "/vorhaben/3", "link_label": "V"},
                           "nicht beides")):
        resp = client.post(f"/n/readi/treffen/{meeting.id}/tagesordnung",
                           data={"title": "X", "duration_minutes": "15", **data})
        assert resp.status_code == 422 and message in resp.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count(AgendaItem.id))) == 1
