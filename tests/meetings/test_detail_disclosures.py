"""The meeting page (issue #21, item 8): the read view first, every form behind a <details> disclosure that is
closed until its form comes back with messages; the RSVP has no answer pre-selected until the user answered."""

import re

from network.extensions import db
from network.meetings import services
from network.meetings.models import ActionItem, Rsvp
from tests.conftest import row_count
from tests.meetings.conftest import future, meeting_data


def _disclosures(html: str) -> dict:
    """id -> open? for every disclosure of the page."""
    return {m.group(1): bool(m.group(2)) for m in
            re.finditer(r'<details class="kern-accordion disclosure" id="([a-z-]+)"( open)?>', html)}


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _checked(html: str) -> list[str]:
    return re.findall(r'<input class="kern-form-check__radio" type="radio" name="response" id="rsvp-(\w+)" '
                      r'value="\w+" checked>', html)


def test_forms_are_behind_closed_disclosures(as_user, coordinator, fachgruppe, city_a):
    m = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-1, 8), number="33",
                                                                      host_id=str(city_a.id)))
    m.ends_at = future(1)  # still running: the RSVP is open, the minutes may be written
    db.session.commit()
    html = as_user(coordinator).get(f"/n/readi/treffen/{m.id}").get_data(as_text=True)
    assert _disclosures(html) == {"rsvp-form": False, "decision-form": False, "action-form": False,
                                  "cancel-form": False}
    main = _main(html)
    # the read view comes first: date, place and attendees before any form
    assert main.index("Wann") < main.index('id="rsvp-form"') < main.index('id="h-att"')
    assert main.index('id="h-records"') < main.index('id="decision-form"') < main.index('id="cancel-form"')
    # each disclosure has a summary (keyboard-operable without JavaScript); no inline scripts or styles (CSP)
    assert main.count('<summary class="kern-accordion__header">') == 4
    assert "<script" not in main and "style=" not in main and " onclick" not in main


def test_the_form_with_errors_comes_back_open(as_user, coordinator, fachgruppe, city_a):
    m = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-3), number="33",
                                                                      host_id=str(city_a.id)))
    db.session.commit()
    client = as_user(coordinator)
    resp = client.post(f"/n/readi/treffen/{m.id}/aufgaben", data={"action_text": "", "action_city": ""})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert _disclosures(html) == {"decision-form": False, "action-form": True, "cancel-form": False}
    assert "verantwortliche Kommune" in html.split('id="action-form"', 1)[1]
    assert row_count(ActionItem) == 0
    resp = client.post(f"/n/readi/treffen/{m.id}/beschluesse", data={"decision_text": ""})
    assert resp.status_code == 422
    assert _disclosures(resp.get_data(as_text=True))["decision-form"] is True


def test_rsvp_not_preselected_until_answered(as_user, lead_b, meeting):
    client = as_user(lead_b)
    html = client.get(f"/n/readi/treffen/{meeting.id}").get_data(as_text=True)
    assert _checked(html) == []
    assert "noch nicht beantwortet" in html and "Zu- oder absagen" in html
    assert _disclosures(html) == {"rsvp-form": False}
    # no answer chosen: 422, the disclosure open with the message, nothing saved
    resp = client.post(f"/n/readi/treffen/{meeting.id}/zusage", data={"note": "x"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert _disclosures(html) == {"rsvp-form": True} and _checked(html) == []
    assert row_count(Rsvp) == 0
    # a bad value comes back open too, still without a selection
    resp = client.post(f"/n/readi/treffen/{meeting.id}/zusage", data={"response": "vielleicht"})
    assert resp.status_code == 422 and _disclosures(resp.get_data(as_text=True)) == {"rsvp-form": True}
    assert client.post(f"/n/readi/treffen/{meeting.id}/zusage", data={"response": "maybe"}).status_code == 302
    html = client.get(f"/n/readi/treffen/{meeting.id}").get_data(as_text=True)
    assert _checked(html) == ["maybe"] and "Antwort ändern" in html
    assert _disclosures(html) == {"rsvp-form": False}
    assert 'id="rsvp-status">vielleicht' in html


def test_agenda_proposal_behind_a_disclosure(as_user, lead_b, meeting):
    client = as_user(lead_b)
    html = client.get(f"/n/readi/treffen/{meeting.id}/tagesordnung").get_data(as_text=True)
    assert _disclosures(html) == {"propose-form": False}
    resp = client.post(f"/n/readi/treffen/{meeting.id}/tagesordnung", data={"title": ""})
    assert resp.status_code == 422 and _disclosures(resp.get_data(as_text=True)) == {"propose-form": True}
