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


def test_statements_stay_bounded(sign_in, lead_a, coordinator, count_queries, poll_meeting, meeting):
    for user, bound in ((lead_a, 18), (coordinator, 8)):
        client = sign_in(user)
        client.get("/")
        with count_queries() as statements:
            assert client.get("/").status_code == 200
        assert len(statements) <= bound, (user.email, len(statements))
