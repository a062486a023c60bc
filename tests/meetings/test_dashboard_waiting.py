"""The dashboard's one ordered list "Was auf Sie wartet" (#21, item 10): polls to vote in, invitations to answer,
the city's action items (dated first), topic decisions, questions, the yearly report; no contradiction (no "nichts
zu tun" above a waiting item), no welcome banner on every login, empty states with the next action, and a
bounded number of statements."""

import re

import sqlalchemy as sa

from network.extensions import db
from network.meetings import services
from tests.conftest import login
from tests.meetings.conftest import future, meeting_data


def _waiting(html: str) -> str:
    m = re.search(r'<section[^>]*data-waiting>(.*?)</section>', html, re.S)
    assert m, "no waiting section"
    return m.group(1)


def test_poll_rsvp_and_action_in_one_ordered_list(as_user, coordinator, fachgruppe, city_a, lead_a, poll_meeting,
                                                   meeting):
    past = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-3), number="30", title="30. Treffen"))
    db.session.flush()
    services.add_action_item(coordinator, past, {"text": "Portal ausschreiben", "municipality_id": str(city_a.id),
                                                 "due_date": "2000-01-03"})
    services.save_minutes(coordinator, past, "Protokoll", publish=True, version=past.version)
    db.session.commit()
    client = as_user(lead_a)
    section = _waiting(client.get("/").get_data(as_text=True))
    kinds = re.findall(r'data-kind="([^"]+)"', section)
    # dated first (the overdue action item, then the meeting), then the undated poll
    assert kinds == ["meeting.action", "meeting.rsvp", "meeting.poll"], kinds
    assert "Stimmen Sie über den Termin von „35. Fachgruppe“ ab." in section
    assert "Sagen Sie zu oder ab: „34. Fachgruppentreffen“" in section
    assert "Aufgabe Ihrer Kommune: Portal ausschreiben" in section and "als erledigt markieren" in section
    assert "Im Moment wartet nichts auf Sie." not in section
    # answering removes the item; the meetings panel keeps the meeting without the marker
    services.record_rsvp(lead_a, meeting, "yes")
    slot = services.slots(poll_meeting)[0]
    services.cast_votes(lead_a, poll_meeting, {str(slot.id): "yes"})
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    kinds = re.findall(r'data-kind="([^"]+)"', _waiting(html))
    assert kinds == ["meeting.action"]
    panel = html.split('id="h-meetings-panel"')[1]
    assert "34. Fachgruppentreffen" in panel and "Antwort offen" not in panel


def test_nothing_waiting_says_so_once_and_offers_next_steps(sign_in, lead_a):
    html = sign_in(lead_a).get("/").get_data(as_text=True)
    assert "Im Moment wartet nichts auf Sie." in _waiting(html)
    assert "Gerade ist nichts zu tun" not in html
    # a new city: invite colleagues, import the inventory, claim a topic
    assert "Laden Sie Kolleginnen und Kollegen Ihrer Kommune ein." in html
    assert "Importieren Sie Ihre bestehende Vorhabenliste (CSV)" in html
    assert 'href="/vorhaben/ettlingen/import"' in html


def test_no_welcome_banner_on_login(client, lead_a):
    resp = login(client, lead_a)
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Willkommen" not in html


def test_report_due_from_october(sign_in, lead_a, staff_a, monkeypatch):
    from network.inventory import setup as inventory_setup
    from network.inventory.models import Project
    from network.core.models import utcnow
    from tests.topics.conftest import make_field
    db.session.add(Project(municipality_id=lead_a.municipality_id, field_id=make_field("Verwaltung").id,
                           title="e-Akte", status="in_progress"))
    db.session.commit()
    monkeypatch.setattr(inventory_setup, "REPORT_DUE_MONTH", 13)
    assert "Sachstandsbericht" not in _waiting(sign_in(lead_a).get("/").get_data(as_text=True))
    monkeypatch.setattr(inventory_setup, "REPORT_DUE_MONTH", 1)
    section = _waiting(sign_in(lead_a).get("/").get_data(as_text=True))
    assert f"Der Sachstandsbericht {utcnow().year} steht noch aus" in section
    assert 'href="/vorhaben/ettlingen/berichte/"' in section
    assert "Sachstandsbericht" not in _waiting(sign_in(staff_a).get("/").get_data(as_text=True))  # leads freeze


def _fill(n, start, coordinator, fachgruppe, city_a, city_b, lead_a, staff_a, lead_b):
    """`n` more of everything the dashboard shows to city A's lead and staff and to the coordination: topics the
    city leads with a co-lead request waiting, topics it takes part in, proposals, invitations to meetings, date
    polls, action items, drafts, questions to its practices, invitations to joint applications, deadlines of calls
    it marked, projects, status reports."""
    from network.funding import services as funding
    from network.funding.models import FundingInterest
    from network.inventory.models import Project, StatusReport
    from network.practices.models import PracticeQuestion
    from network.topics.models import Participation
    from tests.funding.conftest import make_call
    from tests.practices.conftest import write
    from tests.topics.conftest import give_lead, make_field, make_topic
    field = make_field(f"Feld {start}")
    for i in range(start, start + n):
        led = make_topic(field, f"Geführt {i:03d}")
        give_lead(led, city_a)
        give_lead(led, city_b, kind="colead", status="pending")
        db.session.add(Participation(topic_id=make_topic(field, f"Beteiligt {i:03d}").id, municipality_id=city_a.id,
                                     status="participating"))
        make_topic(field, f"Vorschlag {i:03d}", status="proposed")
        db.session.add(Project(municipality_id=city_a.id, field_id=field.id, title=f"Vorhaben {i:03d}",
                               status="in_progress"))
        db.session.add(StatusReport(municipality_id=city_a.id, year=2000 + i, title=f"Bericht {i:03d}"))
        call = make_call(title=f"Aufruf {i:03d}")
        db.session.add(FundingInterest(call_id=call.id, municipality_id=city_a.id, marked_by_id=lead_a.id))
        db.session.commit()
        services.create_meeting(coordinator, fachgruppe, meeting_data(future(10 + i), number=f"{100 + i}",
                                                                      title=f"Treffen {i:03d}"))
        services.create_meeting(coordinator, fachgruppe, meeting_data(None, number=f"{200 + i}",
                                                                      title=f"Umfrage {i:03d}"))
        past = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-3 - i), number=f"{300 + i}",
                                                                             title=f"Vergangen {i:03d}"))
        db.session.flush()
        services.add_action_item(coordinator, past, {"text": f"Aufgabe {i:03d}", "municipality_id": str(city_a.id),
                                                     "due_date": "2000-01-03"})
        services.save_minutes(coordinator, past, "Protokoll", publish=True, version=past.version)
        db.session.commit()
        write(staff_a, f"Entwurf {i:03d}")
        asked = write(staff_a, f"Praxis {i:03d}", publish_as=lead_a)
        db.session.add(PracticeQuestion(practice_id=asked.id, asked_by_id=lead_b.id, question="Wie?",
                                        municipality_id=city_b.id))
        application = funding.create_application(lead_b, make_call(title=f"Verbund {i:03d}"),
                                                 {"title": f"Antrag {i:03d}", "requested_amount": "100.000"})
        funding.invite_partner(lead_b, application, city_a.id)
        db.session.commit()


def test_statements_bounded_and_equal_at_two_sizes(sign_in, lead_a, staff_a, lead_b, coordinator, count_queries,
                                                   fachgruppe, city_a, city_b):
    """Issue #17: at most 10 statements for every role with every source and panel showing something, and the same
    number with 1 and with 12 of everything."""
    people = {"lead": lead_a, "staff": staff_a, "coordinator": coordinator}
    clients = {role: sign_in(user) for role, user in people.items()}

    def measure():
        counts = {}
        for role, client in clients.items():
            client.get("/")
            with count_queries() as statements:
                html = client.get("/").get_data(as_text=True)
            counts[role] = len(statements)
            assert "Im Moment wartet nichts auf Sie." not in html, role
        return counts, html

    _fill(1, 0, coordinator, fachgruppe, city_a, city_b, lead_a, staff_a, lead_b)
    few, _html = measure()
    lead_html = clients["lead"].get("/").get_data(as_text=True)
    kinds = set(re.findall(r'data-kind="([^"]+)"', _waiting(lead_html)))
    assert {"meeting.action", "meeting.rsvp", "meeting.poll", "topic.colead", "practice.question",
            "funding.invitation"} <= kinds, kinds  # and from October the status report
    for shown in ("Entwurf 000", "Geführt 000", "Beteiligt 000", "Aufruf 000"):
        assert shown in lead_html, shown
    _fill(11, 1, coordinator, fachgruppe, city_a, city_b, lead_a, staff_a, lead_b)
    many, coordinator_html = measure()
    assert "12 Themenvorschläge warten auf Ihre Entscheidung." in coordinator_html
    print(f"dashboard statements with 1 / 12 of everything: {few} / {many}")
    assert few == many
    # a lead's 10: the login session (with the user's networks), the counts (member cities, the city's accounts,
    # projects per status, reports, registrations) in one, the topic decisions, meetings and polls, action items,
    # invitations to joint applications, questions, the own topics (networks, claims, participations in one),
    # drafts, funding deadlines
    assert max(many.values()) <= 10, many
