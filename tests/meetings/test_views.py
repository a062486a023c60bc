"""Pages end to end through the test client: schedule, poll, RSVP, agenda, minutes, history, tenant rules."""

import re

import sqlalchemy as sa

from network.core.models import OutboxMessage
from network.extensions import db
from network.meetings.models import ActionItem, Meeting, PollVote, Rsvp
from tests.conftest import row_count
from tests.meetings.conftest import form_times, future, meeting_data


def test_pages_render_for_members(as_user, lead_a, meeting, poll_meeting, fachgruppe):
    client = as_user(lead_a)
    for url in ["/n/readi/treffen/", "/n/readi/treffen/gremien/", f"/n/readi/treffen/gremien/{fachgruppe.id}", f"/n/readi/treffen/{meeting.id}",
                f"/n/readi/treffen/{meeting.id}/tagesordnung", f"/n/readi/treffen/{poll_meeting.id}/umfrage",
                f"/n/readi/treffen/{poll_meeting.id}", "/profil", "/"]:
        resp = client.get(url)
        assert resp.status_code == 200, url
    assert "34. Fachgruppentreffen" in client.get("/n/readi/treffen/").get_data(as_text=True)


def test_coordinator_schedules_with_suggestions_and_invitations(as_user, coordinator, fachgruppe, city_a,
                                                                city_b):
    client = as_user(coordinator)
    page = client.get(f"/n/readi/treffen/neu?gremium={fachgruppe.id}").get_data(as_text=True)
    assert 'value="1"' in page and "1. Fachgruppentreffen" in page
    # Bühl comes before Ettlingen by name? no: both never hosted -> alphabetical: Bühl
    assert re.search(r'<option selected value="%s">|<option value="%s" selected>' % (city_b.id, city_b.id), page)
    data = {"gremium": fachgruppe.id, **meeting_data(future(10), number="1", title="1. Fachgruppentreffen",
                                                      host_id=str(city_b.id))}
    resp = client.post("/n/readi/treffen/neu", data=data)
    assert resp.status_code == 302
    m = db.session.execute(sa.select(Meeting)).scalar_one()
    assert m.status == "scheduled" and m.sequence == 0
    mails = db.session.execute(sa.select(OutboxMessage)).scalars().all()
    assert len(mails) == 2 and all(x.attachments and "METHOD:REQUEST" in x.attachments[0]["content"] for x in mails)
    # the next suggestion: Ettlingen (Bühl hosted last), number 2
    page = client.get(f"/n/readi/treffen/neu?gremium={fachgruppe.id}").get_data(as_text=True)
    assert "2. Fachgruppentreffen" in page
    assert re.search(r'<option selected value="%s">|<option value="%s" selected>' % (city_a.id, city_a.id), page)


def test_bad_inputs_are_422_beside_the_field(as_user, coordinator, fachgruppe):
    client = as_user(coordinator)
    data = {"gremium": fachgruppe.id, "title": "", "number": "x", "date": "2026-13-40", "start_time": "10:00",
            "end_time": "09:00", "address": "", "online_url": "ftp://x"}
    resp = client.post("/n/readi/treffen/neu", data=data)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Bitte geben Sie einen Titel an." in html
    assert "laufende Nummer muss eine ganze Zahl" in html
    assert "als Datum an" in html
    assert "http:// oder https://" in html
    assert row_count(Meeting) == 0


def test_end_before_start_and_dst_gap(as_user, coordinator, fachgruppe):
    client = as_user(coordinator)
    base = {"gremium": fachgruppe.id, "title": "T", "address": "A"}
    resp = client.post("/n/readi/treffen/neu", data={**base, "date": "2027-05-01", "start_time": "10:00", "end_time": "09:00"})
    assert resp.status_code == 422 and "Das Ende muss nach dem Beginn liegen." in resp.get_data(as_text=True)
    resp = client.post("/n/readi/treffen/neu", data={**base, "date": "2027-03-28", "start_time": "02:30", "end_time": "04:00"})
    assert resp.status_code == 422 and "Sommerzeit" in resp.get_data(as_text=True)


def test_non_member_city_gets_404_everywhere(as_user, lead_a, body_b_only, coordinator):
    from network.meetings import services
    m = services.create_meeting(coordinator, body_b_only, meeting_data(future(), number="1"))
    db.session.commit()
    client = as_user(lead_a)
    for url in [f"/n/readi/treffen/gremien/{body_b_only.id}", f"/n/readi/treffen/{m.id}", f"/n/readi/treffen/{m.id}/tagesordnung",
                f"/n/readi/treffen/{m.id}/umfrage", f"/n/readi/meetings/{m.id}.ics"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/n/readi/treffen/{m.id}/zusage", data={"response": "yes"}).status_code == 404
    assert "34. Fachgruppentreffen" not in client.get("/n/readi/treffen/").get_data(as_text=True)
    assert "Nur Bühl" not in client.get("/n/readi/treffen/gremien/").get_data(as_text=True)


def test_poll_vote_totals_and_pick(as_user, lead_a, lead_b, staff_a, coordinator, poll_meeting):
    from network.meetings import services
    slots = services.slots(poll_meeting)
    for user, answers in ((lead_a, ("yes", "no", "maybe")), (lead_b, ("yes", "maybe", "no")),
                          (staff_a, ("no", "yes", "maybe"))):
        client = as_user(user)
        resp = client.post(f"/n/readi/treffen/{poll_meeting.id}/umfrage/stimmen",
                           data={f"slot-{s.id}": a for s, a in zip(slots, answers)})
        assert resp.status_code == 302
    # answering again replaces, never adds
    client = as_user(lead_a)
    client.post(f"/n/readi/treffen/{poll_meeting.id}/umfrage/stimmen", data={f"slot-{slots[0].id}": "yes"})
    assert row_count(PollVote) == 9
    t = services.poll_table(poll_meeting)
    assert t["totals"][slots[0].id] == {"yes": 2, "maybe": 0, "no": 1}
    assert t["totals"][slots[1].id] == {"yes": 1, "maybe": 1, "no": 1}
    assert t["totals"][slots[2].id] == {"yes": 0, "maybe": 2, "no": 1}
    assert t["best"].id == slots[0].id
    html = client.get(f"/n/readi/treffen/{poll_meeting.id}/umfrage").get_data(as_text=True)
    assert "ja: 2, wenn nötig: 0, nein: 1" in html
    # bad answer
    resp = client.post(f"/n/readi/treffen/{poll_meeting.id}/umfrage/stimmen", data={f"slot-{slots[0].id}": "vielleicht"})
    assert resp.status_code == 422 and "ja, wenn nötig oder nein" in resp.get_data(as_text=True)
    # a member may not pick
    assert client.post(f"/n/readi/treffen/{poll_meeting.id}/umfrage/{slots[0].id}/festlegen").status_code == 403
    client = as_user(coordinator)
    assert client.post(f"/n/readi/treffen/{poll_meeting.id}/umfrage/{slots[0].id}/festlegen").status_code == 302
    db.session.expire_all()
    m = db.session.get(Meeting, poll_meeting.id)
    assert m.status == "scheduled" and m.starts_at == slots[0].starts_at
    assert row_count(OutboxMessage) == 2
    # the poll is over
    client = as_user(lead_b)
    assert client.post(f"/n/readi/treffen/{poll_meeting.id}/umfrage/stimmen",
                       data={f"slot-{slots[1].id}": "yes"}).status_code == 409


def test_rsvp_capacity_waiting_list_and_grouping(as_user, coordinator, meeting, lead_a, staff_a, lead_b):
    from network.meetings import services
    meeting.capacity = 1
    db.session.commit()
    client = as_user(lead_a)
    assert client.post(f"/n/readi/treffen/{meeting.id}/zusage", data={"response": "yes", "note": "komme mit Bahn"}).status_code == 302
    client = as_user(lead_b)
    client.post(f"/n/readi/treffen/{meeting.id}/zusage", data={"response": "yes"})
    att = services.attendees(meeting)
    assert att["counts"]["yes"] == 1 and att["counts"]["waiting"] == 1
    assert [r.user_id for r in att["waiting"]] == [lead_b.id]
    # A cancels: B moves up
    client = as_user(lead_a)
    client.post(f"/n/readi/treffen/{meeting.id}/zusage", data={"response": "no"})
    att = services.attendees(meeting)
    assert att["counts"] == {"yes": 1, "waiting": 0, "maybe": 0, "no": 1}
    html = client.get(f"/n/readi/treffen/{meeting.id}").get_data(as_text=True)
    assert "Bühl" in html and "Ettlingen" in html
    resp = client.post(f"/n/readi/treffen/{meeting.id}/zusage", data={"response": "vielleicht"})
    assert resp.status_code == 422 and "gültigen Wert für Ihre Antwort" in resp.get_data(as_text=True)
    assert row_count(Rsvp) == 2


def test_no_answers_after_the_meeting(as_user, coordinator, fachgruppe, lead_a):
    from network.meetings import services
    past = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-2), number="1"))
    db.session.commit()
    client = as_user(lead_a)
    assert 'name="response"' not in client.get(f"/n/readi/treffen/{past.id}").get_data(as_text=True)
    resp = client.post(f"/n/readi/treffen/{past.id}/zusage", data={"response": "yes"})
    assert resp.status_code == 409 and "vorbei" in resp.get_data(as_text=True)
    assert row_count(Rsvp) == 0


def test_agenda_proposal_cutoff_and_carried_action_items(as_user, coordinator, fachgruppe, lead_b, city_a):
    from network.meetings import services
    past = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-30), number="33", title="33. FG"))
    services.add_action_item(coordinator, past, {"text": "Leistungsbeschreibung verteilen",
                                                 "municipality_id": city_a.id, "due_date": "2030-01-01"})
    nxt = services.create_meeting(coordinator, fachgruppe, meeting_data(future(5), number="34"))
    db.session.commit()
    ag = services.agenda(nxt)
    assert [a.text for a in ag["carried"]] == ["Leistungsbeschreibung verteilen"]
    client = as_user(lead_b)
    resp = client.post(f"/n/readi/treffen/{nxt.id}/tagesordnung", data={"title": "Open Data", "duration_minutes": "20",
                                                               "link_path": "/praxis/12", "link_label": "Bericht"})
    assert resp.status_code == 302
    resp = client.post(f"/n/readi/treffen/{nxt.id}/tagesordnung", data={"title": "X", "link_path": "https://evil.example/"})
    assert resp.status_code == 422 and "/praxis/ oder /vorhaben/" in resp.get_data(as_text=True)
    item = services.agenda(nxt)["proposed"][0]
    assert client.post(f"/n/readi/treffen/{nxt.id}/tagesordnung/{item.id}", data={"action": "accept"}).status_code == 403
    client = as_user(coordinator)
    assert client.post(f"/n/readi/treffen/{nxt.id}/tagesordnung/{item.id}", data={"action": "accept"}).status_code == 302
    resp = client.post(f"/n/readi/treffen/{nxt.id}/tagesordnung/{item.id}", data={"action": "duration",
                                                                         "duration_minutes": "900"})
    assert resp.status_code == 422 and "zwischen 1 und 480 Minuten" in resp.get_data(as_text=True)
    ag = services.agenda(nxt)
    (accepted, start), = ag["items"]
    assert accepted.title == "Open Data" and start == nxt.starts_at + __import__("datetime").timedelta(minutes=10)
    # cutoff passed: members may no longer propose
    nxt.proposal_cutoff = future(-1)
    db.session.commit()
    client = as_user(lead_b)
    resp = client.post(f"/n/readi/treffen/{nxt.id}/tagesordnung", data={"title": "Zu spät"})
    assert resp.status_code == 409 and "Einsendeschluss" in resp.get_data(as_text=True)


def test_minutes_decisions_actions_dashboard_and_history_search(as_user, coordinator, fachgruppe, lead_a,
                                                                lead_b, city_a):
    from network.meetings import services
    m = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-3), number="33", host_id=str(city_a.id)))
    db.session.commit()
    client = as_user(lead_b)
    assert client.get(f"/n/readi/treffen/{m.id}/protokoll").status_code == 403
    client = as_user(lead_a)  # host city's lead writes the minutes
    resp = client.post(f"/n/readi/treffen/{m.id}/protokoll", data={"minutes": "# Protokoll\n\n**Zwiebelkuchen** <script>x</script>",
                                                           "version": str(m.version), "save": "1"})
    assert resp.status_code == 302
    client = as_user(lead_b)
    assert "Zwiebelkuchen" not in client.get(f"/n/readi/treffen/{m.id}").get_data(as_text=True)  # still a draft
    client = as_user(lead_a)
    assert client.post(f"/n/readi/treffen/{m.id}/beschluesse", data={"decision_text": "Wir bauen ein Datenportal"}).status_code == 302
    assert client.post(f"/n/readi/treffen/{m.id}/aufgaben", data={"action_text": "Portal ausschreiben",
                                                         "action_city": str(city_a.id), "due_date": "2031-02-01"}).status_code == 302
    resp = client.post(f"/n/readi/treffen/{m.id}/aufgaben", data={"action_text": "", "action_city": ""})
    assert resp.status_code == 422 and "verantwortliche Kommune" in resp.get_data(as_text=True)
    db.session.expire_all()
    m = db.session.get(Meeting, m.id)
    client.post(f"/n/readi/treffen/{m.id}/protokoll", data={"minutes": m.minutes, "version": str(m.version), "publish": "1"})
    client = as_user(lead_b)
    html = client.get(f"/n/readi/treffen/{m.id}").get_data(as_text=True)
    assert "<strong>Zwiebelkuchen</strong>" in html and "<script>x" not in html
    # the responsible city sees its open action item on the dashboard and ticks it off
    client = as_user(lead_a)
    dash = client.get("/").get_data(as_text=True)
    assert "Portal ausschreiben" in dash
    item = db.session.execute(sa.select(ActionItem)).scalar_one()
    client = as_user(lead_b)  # not responsible, not the minute writer
    assert client.post(f"/n/readi/treffen/aufgaben/{item.id}/stand", data={"status": "done"}).status_code == 403
    client = as_user(lead_a)
    assert client.post(f"/n/readi/treffen/aufgaben/{item.id}/stand", data={"status": "done", "next": "/"}).status_code == 302
    assert "Portal ausschreiben" not in client.get("/").get_data(as_text=True)
    # history search
    html = client.get(f"/n/readi/treffen/gremien/{fachgruppe.id}?q=Datenportal").get_data(as_text=True)
    assert "1 Treffen gefunden" in html
    html = client.get(f"/n/readi/treffen/gremien/{fachgruppe.id}?q=gibtsnicht").get_data(as_text=True)
    assert "Keine Treffen gefunden." in html


def test_stale_version_is_409_and_keeps_input(as_user, coordinator, meeting):
    client = as_user(coordinator)
    data = {**meeting_data(future(), title="Neuer Titel"), "version": str(meeting.version - 1 if meeting.version > 1 else 99)}
    resp = client.post(f"/n/readi/treffen/{meeting.id}/bearbeiten", data=data)
    assert resp.status_code == 409 and "Neuer Titel" in resp.get_data(as_text=True)


def test_change_raises_sequence_and_cancel_sends_cancel(as_user, coordinator, meeting):
    client = as_user(coordinator)
    before = row_count(OutboxMessage)
    data = {**meeting_data(future(15)), "version": str(meeting.version)}
    assert client.post(f"/n/readi/treffen/{meeting.id}/bearbeiten", data=data).status_code == 302
    db.session.expire_all()
    m = db.session.get(Meeting, meeting.id)
    assert m.sequence == 1
    updates = db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()[before:]
    assert len(updates) == 2 and "SEQUENCE:1" in updates[0].attachments[0]["content"]
    assert client.post(f"/n/readi/treffen/{meeting.id}/absagen", data={"confirm": "1", "reason": "Krankheit"}).status_code == 302
    cancels = db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()[before + 2:]
    assert len(cancels) == 2
    ics = cancels[0].attachments[0]["content"]
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and "SEQUENCE:2" in ics
    assert "Krankheit" in cancels[0].body_text


def test_body_management(as_user, coordinator, lead_a, city_a, city_b):
    client = as_user(lead_a)
    assert client.get("/n/readi/treffen/gremien/neu").status_code == 403
    client = as_user(coordinator)
    resp = client.post("/n/readi/treffen/gremien/neu", data={"kind": "projektgruppe", "name": "PG ohne Thema"})
    assert resp.status_code == 422 and "gehört zu einem Thema" in resp.get_data(as_text=True)
    resp = client.post("/n/readi/treffen/gremien/neu", data={"kind": "plenum", "name": "Plenum", "city_ids": [city_a.id, city_b.id]})
    assert resp.status_code == 302
    resp = client.post("/n/readi/treffen/gremien/neu", data={"kind": "plenum", "name": "plenum"})
    assert resp.status_code == 422 and "gibt es schon" in resp.get_data(as_text=True)
