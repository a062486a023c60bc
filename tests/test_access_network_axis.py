"""The network axis of the access matrix (issue #16): every network-scoped route (pages under /n/<network>/, the
API under /api/v1/networks/<network>/) called on network B ("nord") by

* ``a``: the lead of Bühl, a city of network A (re@di) only,
* ``b``: the lead of Nordstadt, a city of network B only,
* ``both``: the lead of Ettlingen, a city of both networks,
* ``admin``: the platform administration (no city, no network role),
* ``coord_a``: the coordination of network A acting on network B (404: B's inner pages do not exist for it),
* ``coord_b``: the coordination of network B,
* ``left``: the lead of Altstadt, a city that left B (its history stays readable; it writes nothing).

A network-scoped route without a row here fails the test. The rows of the other principals (anonymous, staff,
network A's own pages) stay in tests/test_access_matrix.py and tests/access/*.py; city-owned content whose
visibility depends on networks (practices, projects, reports) has its axis in tests/test_access_network_axis_content.py.
"""

from datetime import date, timedelta

import pytest
from werkzeug.exceptions import Forbidden

from network.accounts.services import create_api_token
from network.extensions import db
from tests import factories
from tests.access import Case
from tests.conftest import login

AXIS = ("a", "b", "both", "admin", "coord_a", "coord_b", "left")

B = "/n/nord"
API = "/api/v1/networks/nord"


def row(a, b, both, admin, coord_a, coord_b, left):
    return dict(zip(AXIS, (a, b, both, admin, coord_a, coord_b, left)))


@pytest.fixture
def axis(app, city_a, city_b, lead_a, lead_b, coordinator, nord, coordinator_nord, admin):
    """Network B with a field, a topic, a body of Nordstadt, Ettlingen and Altstadt, a meeting with agenda and action
    items, a meeting with a poll; then Altstadt leaves B."""
    from tests.snapshot import reuse
    return reuse("network-axis", lambda: _build_axis(app, city_a, city_b, lead_a, lead_b, coordinator, nord,
                                                     coordinator_nord, admin))


def _build_axis(app, city_a, city_b, lead_a, lead_b, coordinator, nord, coordinator_nord, admin):
    """Built by the first test of the process, its rows restored for every later one (tests/snapshot.py)."""
    from network.core.current import set_request_network
    from network.meetings import services as meetings
    from network.meetings.models import ActionItem, AgendaItem
    from network.networks.models import NetworkMembership
    from network.topics.models import LeadClaim, Participation
    from tests.topics.conftest import make_field, make_topic
    north = factories.make_city("Nordstadt", network=nord)
    old = factories.make_city("Altstadt", network=nord)
    factories.join_network(city_a, nord)
    lead_north = factories.make_user(north, "lead", email="lead@nordstadt.test")
    lead_old = factories.make_user(old, "lead", email="lead@altstadt.test")
    field = make_field("Häfen", network_id=nord.id)
    topic = make_topic(field, "Hafen", network_id=nord.id)
    led = make_topic(field, "Kaimauer", network_id=nord.id)
    db.session.add(Participation(topic_id=topic.id, municipality_id=north.id, status="participating"))
    db.session.add(LeadClaim(topic_id=led.id, municipality_id=north.id, kind="lead", status="confirmed"))
    claim = LeadClaim(topic_id=led.id, municipality_id=city_a.id, kind="colead", status="pending")
    offer = LeadClaim(topic_id=led.id, municipality_id=old.id, kind="handover", status="pending",
                      from_municipality_id=north.id)
    proposal = make_topic(field, "Vorschlag Nord", network_id=nord.id, status="proposed",
                          proposed_by_municipality_id=north.id, proposed_by_id=lead_north.id)
    db.session.add_all([claim, offer])
    db.session.flush()
    day = (date.today() + timedelta(days=20)).isoformat()
    with app.test_request_context("/n/nord/"):
        set_request_network("nord")
        body = meetings.create_body(coordinator_nord, {
            "kind": "fachgruppe", "name": "Fachgruppe Nord", "city_ids": [north.id, city_a.id, old.id],
            "person_ids": [lead_north.id, lead_a.id, lead_old.id]})
        meeting = meetings.create_meeting(coordinator_nord, body, {
            "title": "Treffen Nord", "address": "Nordstadt", "date": day, "start_time": "10:00", "end_time": "12:00",
            "host_id": str(north.id)})
        poll = meetings.create_meeting(coordinator_nord, body, {"title": "Umfrage Nord", "address": "Nordstadt"})
        slot = meetings.add_slot(coordinator_nord, poll, {"date": day, "start_time": "14:00", "end_time": "16:00"})
    factories.make_parking_services()
    item = AgendaItem(meeting_id=meeting.id, title="Vorschlag", status="proposed")
    action = ActionItem(meeting_id=meeting.id, text="Aufgabe", municipality_id=north.id)
    db.session.add_all([item, action])
    # Altstadt leaves B (the membership row stays: history)
    membership = db.session.execute(db.select(NetworkMembership).filter_by(network_id=nord.id,
                                                                          municipality_id=old.id)).scalar_one()
    membership.status = "left"
    old.status = "left"
    db.session.commit()
    people = {"a": lead_b, "b": lead_north, "both": lead_a, "admin": admin, "coord_a": coordinator,
              "coord_b": coordinator_nord, "left": lead_old}
    tokens = {}
    for key, user in people.items():
        try:
            with app.test_request_context(f"/n/{'readi' if key == 'coord_a' else 'nord'}/"):
                set_request_network("readi" if key == "coord_a" else "nord")
                tokens[key] = create_api_token(user, "axis")[1]
            db.session.commit()
        except Forbidden:  # an account that may hold no token calls the API without one (401)
            db.session.rollback()
    db.session.commit()
    return {"tokens": tokens, "a": lead_b, "b": lead_north, "both": lead_a, "admin": admin, "coord_a": coordinator,
            "coord_b": coordinator_nord, "left": lead_old, "field": field, "topic": topic, "led": led,
            "claim": claim, "offer": offer, "proposal": proposal, "body": body, "meeting": meeting, "poll": poll,
            "slot_id": slot.id, "item": item, "action": action, "north": north, "old": old,
            "other_day": (date.today() + timedelta(days=21)).isoformat()}


def _m(w):
    return w["meeting"].id


def _p(w):
    return w["poll"].id


ROWS = []
#: expected answers (a, b, both, admin, coord_a, coord_b, left) per endpoint and method, on network B
EXPECT = {
    ("networks.net.page", "GET"): row(200, 200, 200, 200, 200, 200, 200),
    ("networks.net.members", "GET"): row(403, 403, 403, 403, 404, 200, 403),
    ("networks.net.join", "POST"): row(403, 403, 403, 403, 404, 302, 403),
    ("networks.net.admit_new", "GET"): row(403, 403, 403, 403, 404, 200, 403),
    ("networks.net.admit_new", "POST"): row(403, 403, 403, 403, 404, 422, 403),
    ("networks.net.leave", "POST"): row(403, 403, 403, 403, 404, 302, 403),
    ("networks.net.settings", "GET"): row(403, 403, 403, 200, 404, 200, 403),
    ("networks.net.settings", "POST"): row(403, 403, 403, 422, 404, 422, 403),
    ("networks.net.coordinators", "GET"): row(403, 403, 403, 200, 404, 200, 403),
    ("networks.net.coordinators", "POST"): row(403, 403, 403, 422, 404, 422, 403),
    ("networks.net.remove_coordinator", "POST"): row(403, 403, 403, 302, 404, 302, 403),
    ("networks_api.get_network", "GET"): row(200, 200, 200, 200, 200, 200, 200),
    ("topics.list", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("topics.matrix", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("topics.matrix_csv", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("topics.detail", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    # the OZG matrix (issue #19) is one of the network's inner pages, like the topic matrix
    ("ozg_net.matrix", "GET"): row(404, 200, 200, 404, 404, 200, 404),
    ("ozg_net.matrix_csv", "GET"): row(404, 200, 200, 404, 404, 200, 404),
    ("ozg_net.service", "GET"): row(404, 200, 200, 404, 404, 200, 404),
    ("topics.new", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("topics.new", "POST"): row(404, 403, 403, 404, 404, 422, 403),
    ("topics.edit", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("topics.edit", "POST"): row(404, 403, 403, 404, 404, 422, 403),
    ("topics.fields", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("topics.fields", "POST"): row(404, 403, 403, 404, 404, 422, 403),
    ("topics.edit_field", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("topics.edit_field", "POST"): row(404, 403, 403, 404, 404, 422, 403),
    ("topics.propose", "GET"): row(404, 200, 200, 404, 404, 200, 403),
    ("topics.propose", "POST"): row(404, 422, 422, 404, 404, 403, 403),
    ("topics.proposals", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("topics.decide_proposal", "POST"): row(404, 403, 404, 404, 404, 422, 403),
    ("topics.claim", "POST"): row(404, 302, 409, 404, 404, 403, 403),
    ("topics.decide_claim", "POST"): row(404, 422, 403, 404, 404, 422, 403),
    # giving up a lead and cancelling a meeting ask first (issue #21, item 6): GET shows what will happen
    ("topics.withdraw", "GET"): row(404, 200, 200, 404, 404, 403, 403),
    ("topics.withdraw", "POST"): row(404, 302, 302, 404, 404, 403, 403),
    ("topics.hand_over", "POST"): row(404, 422, 403, 404, 404, 403, 403),
    ("topics.answer_handover", "POST"): row(404, 404, 404, 404, 404, 404, 403),
    ("topics.participate", "POST"): row(404, 302, 302, 404, 404, 403, 403),
    ("topics.leave", "POST"): row(404, 302, 404, 404, 404, 403, 403),
    ("topics_api.network_list_fields", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("topics_api.network_list_topics", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("topics_api.network_get_topic", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("topics_api.network_create_claim", "POST"): row(404, 201, 409, 404, 404, 403, 403),
    # the typed API (issue #20) checks the body against its schema before the permission: an empty body answers 422
    # to whoever may see the claim; who may not see it still meets 404
    ("topics_api.network_decide_claim", "POST"): row(404, 422, 422, 404, 404, 422, 403),
    ("topics_api.network_put_participation", "PUT"): row(404, 422, 422, 404, 404, 422, 403),
    ("topics_api.network_delete_participation", "DELETE"): row(404, 204, 404, 404, 404, 403, 403),
    ("meetings.list", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings.bodies", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings.new_body", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("meetings.person_search", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("meetings.body_city_search", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings.new_body", "POST"): row(404, 403, 403, 404, 404, 422, 403),
    ("meetings.body", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings.edit_body", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("meetings.edit_body", "POST"): row(404, 403, 403, 404, 404, 422, 403),
    ("meetings.new", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("meetings.new", "POST"): row(404, 403, 403, 404, 404, 422, 403),
    ("meetings.detail", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings.edit", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("meetings.edit", "POST"): row(404, 403, 403, 404, 404, 422, 403),
    ("meetings.rsvp", "POST"): row(404, 302, 302, 404, 404, 302, 403),
    ("meetings.cancel", "GET"): row(404, 403, 403, 404, 404, 200, 403),
    ("meetings.cancel", "POST"): row(404, 403, 403, 404, 404, 302, 403),
    ("meetings.poll", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings.poll", "POST"): row(404, 403, 403, 404, 404, 302, 403),
    ("meetings.vote", "POST"): row(404, 302, 302, 404, 404, 302, 403),
    ("meetings.pick_slot", "POST"): row(404, 403, 403, 404, 404, 302, 403),
    ("meetings.delete_slot", "POST"): row(404, 403, 403, 404, 404, 302, 403),
    ("meetings.agenda", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings.agenda", "POST"): row(404, 302, 302, 404, 404, 302, 403),
    ("meetings.agenda_item", "POST"): row(404, 403, 403, 404, 404, 302, 403),
    ("meetings.minutes", "GET"): row(404, 200, 403, 404, 404, 200, 403),
    ("meetings.minutes", "POST"): row(404, 302, 403, 404, 404, 302, 403),
    ("meetings.add_decision", "POST"): row(404, 302, 403, 404, 404, 302, 403),
    ("meetings.add_action", "POST"): row(404, 302, 403, 404, 404, 302, 403),
    ("meetings.action_status", "POST"): row(404, 302, 403, 404, 404, 302, 403),
    ("meetings.ics", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings_api.list_bodies", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings_api.list_meetings", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings_api.create_meeting", "POST"): row(404, 422, 422, 404, 404, 422, 403),
    ("meetings_api.get_meeting", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings_api.patch_meeting", "PATCH"): row(404, 403, 403, 404, 404, 200, 403),
    ("meetings_api.rsvp", "POST"): row(404, 422, 422, 404, 404, 422, 403),
    ("meetings_api.get_poll", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings_api.post_poll", "POST"): row(404, 403, 403, 404, 404, 200, 403),
    ("meetings_api.post_votes", "POST"): row(404, 422, 422, 404, 404, 422, 403),
    ("meetings_api.get_agenda", "GET"): row(404, 200, 200, 404, 404, 200, 200),
    ("meetings_api.post_agenda", "POST"): row(404, 422, 422, 404, 404, 422, 403),
}


def c(endpoint, method, url, data=lambda w: {}):
    ROWS.append(Case(endpoint, method, url, EXPECT[endpoint, method], data))


T = f"{B}/themen"
M = f"{B}/treffen"
V = f"{B}/verwaltung"
# --- the network's page and its coordination
c("networks.net.page", "GET", lambda w: f"{B}/")
c("networks.net.members", "GET", lambda w: f"{V}/mitglieder")
c("networks.net.join", "POST", lambda w: f"{V}/mitglieder/aufnehmen",
  data=lambda w: {"municipality": str(w["old"].id), "status": "guest"})
c("networks.net.admit_new", "GET", lambda w: f"{V}/mitglieder/neu")
c("networks.net.admit_new", "POST", lambda w: f"{V}/mitglieder/neu", data=lambda w: {"name": ""})
c("networks.net.leave", "POST", lambda w: f"{V}/mitglieder/nordstadt/austritt",
  data=lambda w: {"reason": "Beschluss des Gemeinderats"})
c("networks.net.settings", "GET", lambda w: f"{V}/einstellungen")
c("networks.net.settings", "POST", lambda w: f"{V}/einstellungen", data=lambda w: {"name": ""})
c("networks.net.coordinators", "GET", lambda w: f"{V}/koordination")
c("networks.net.coordinators", "POST", lambda w: f"{V}/koordination", data=lambda w: {"email": ""})
c("networks.net.remove_coordinator", "POST", lambda w: f"{V}/koordination/{w['coord_b'].id}/entfernen")
c("networks_api.get_network", "GET", lambda w: "/api/v1/networks/nord")
# --- topics
c("topics.list", "GET", lambda w: f"{T}/")
c("topics.matrix", "GET", lambda w: f"{T}/matrix")
c("topics.matrix_csv", "GET", lambda w: f"{T}/matrix.csv")
c("topics.detail", "GET", lambda w: f"{T}/hafen")
c("ozg_net.matrix", "GET", lambda w: f"{B}/ozg/")
c("ozg_net.matrix_csv", "GET", lambda w: f"{B}/ozg/matrix.csv")
c("ozg_net.service", "GET", lambda w: f"{B}/ozg/leistung/10173")
c("topics.new", "GET", lambda w: f"{T}/neu")
c("topics.new", "POST", lambda w: f"{T}/neu", data=lambda w: {"name": ""})
c("topics.edit", "GET", lambda w: f"{T}/hafen/bearbeiten")
c("topics.edit", "POST", lambda w: f"{T}/hafen/bearbeiten", data=lambda w: {"name": ""})
c("topics.fields", "GET", lambda w: f"{T}/handlungsfelder/")
c("topics.fields", "POST", lambda w: f"{T}/handlungsfelder/", data=lambda w: {"name": ""})
c("topics.edit_field", "GET", lambda w: f"{T}/handlungsfelder/{w['field'].id}/bearbeiten")
c("topics.edit_field", "POST", lambda w: f"{T}/handlungsfelder/{w['field'].id}/bearbeiten",
  data=lambda w: {"name": ""})
c("topics.propose", "GET", lambda w: f"{T}/vorschlagen")
c("topics.propose", "POST", lambda w: f"{T}/vorschlagen", data=lambda w: {"name": ""})
c("topics.proposals", "GET", lambda w: f"{T}/vorschlaege")
c("topics.decide_proposal", "POST", lambda w: f"{T}/vorschlag-nord/vorschlag/entscheidung")
c("topics.claim", "POST", lambda w: f"{T}/hafen/federfuehrung")
c("topics.decide_claim", "POST", lambda w: f"{T}/kaimauer/antraege/{w['claim'].id}/entscheidung")
c("topics.withdraw", "GET", lambda w: f"{T}/kaimauer/federfuehrung/abgeben")
c("topics.withdraw", "POST", lambda w: f"{T}/kaimauer/federfuehrung/abgeben", lambda w: {"confirm": "1"})
c("topics.hand_over", "POST", lambda w: f"{T}/kaimauer/federfuehrung/uebergeben",
  data=lambda w: {"handover-target": str(w["north"].id)})
c("topics.answer_handover", "POST", lambda w: f"{T}/kaimauer/uebergaben/{w['offer'].id}/antwort")
c("topics.participate", "POST", lambda w: f"{T}/hafen/teilnahme", data=lambda w: {"part-status": "interested"})
c("topics.leave", "POST", lambda w: f"{T}/hafen/teilnahme/beenden")
c("topics_api.network_list_fields", "GET", lambda w: f"{API}/fields-of-action")
c("topics_api.network_list_topics", "GET", lambda w: f"{API}/topics")
c("topics_api.network_get_topic", "GET", lambda w: f"{API}/topics/hafen")
c("topics_api.network_create_claim", "POST", lambda w: f"{API}/topics/hafen/claims")
c("topics_api.network_decide_claim", "POST", lambda w: f"{API}/topics/kaimauer/claims/{w['claim'].id}/decision")
c("topics_api.network_put_participation", "PUT", lambda w: f"{API}/topics/hafen/participation")
c("topics_api.network_delete_participation", "DELETE", lambda w: f"{API}/topics/hafen/participation")
# --- bodies and meetings
c("meetings.list", "GET", lambda w: f"{M}/")
c("meetings.bodies", "GET", lambda w: f"{M}/gremien/")
c("meetings.new_body", "GET", lambda w: f"{M}/gremien/neu")
c("meetings.new_body", "POST", lambda w: f"{M}/gremien/neu")
c("meetings.person_search", "GET", lambda w: f"{M}/gremien/personen-suche?q=le")
c("meetings.body_city_search", "GET", lambda w: f"{M}/gremien/{w['body'].id}/kommunen-suche?q=no")
c("meetings.body", "GET", lambda w: f"{M}/gremien/{w['body'].id}")
c("meetings.edit_body", "GET", lambda w: f"{M}/gremien/{w['body'].id}/bearbeiten")
c("meetings.edit_body", "POST", lambda w: f"{M}/gremien/{w['body'].id}/bearbeiten", data=lambda w: {"name": ""})
c("meetings.new", "GET", lambda w: f"{M}/neu")
c("meetings.new", "POST", lambda w: f"{M}/neu", data=lambda w: {"gremium": w["body"].id})
c("meetings.detail", "GET", lambda w: f"{M}/{_m(w)}")
c("meetings.edit", "GET", lambda w: f"{M}/{_m(w)}/bearbeiten")
c("meetings.edit", "POST", lambda w: f"{M}/{_m(w)}/bearbeiten", data=lambda w: {"title": ""})
c("meetings.rsvp", "POST", lambda w: f"{M}/{_m(w)}/zusage", data=lambda w: {"response": "yes"})
c("meetings.cancel", "GET", lambda w: f"{M}/{_m(w)}/absagen")
c("meetings.cancel", "POST", lambda w: f"{M}/{_m(w)}/absagen", lambda w: {"confirm": "1"})
c("meetings.poll", "GET", lambda w: f"{M}/{_p(w)}/umfrage")
c("meetings.poll", "POST", lambda w: f"{M}/{_p(w)}/umfrage", data=lambda w: {
  "slots-0-date": w["other_day"], "slots-0-start_time": "14:00", "slots-0-end_time": "16:00", "repeat_weeks": "0"})
c("meetings.vote", "POST", lambda w: f"{M}/{_p(w)}/umfrage/stimmen", data=lambda w: {f"slot-{w['slot_id']}": "maybe"})
c("meetings.pick_slot", "POST", lambda w: f"{M}/{_p(w)}/umfrage/{w['slot_id']}/festlegen")
c("meetings.delete_slot", "POST", lambda w: f"{M}/{_p(w)}/umfrage/{w['slot_id']}/entfernen")
c("meetings.agenda", "GET", lambda w: f"{M}/{_m(w)}/tagesordnung")
c("meetings.agenda", "POST", lambda w: f"{M}/{_m(w)}/tagesordnung",
  data=lambda w: {"title": "Bericht", "duration_minutes": "10"})
c("meetings.agenda_item", "POST", lambda w: f"{M}/{_m(w)}/tagesordnung/{w['item'].id}",
  data=lambda w: {"action": "accept"})
c("meetings.minutes", "GET", lambda w: f"{M}/{_m(w)}/protokoll")
c("meetings.minutes", "POST", lambda w: f"{M}/{_m(w)}/protokoll", data=lambda w: {"minutes": "Notizen", "save": "1"})
c("meetings.add_decision", "POST", lambda w: f"{M}/{_m(w)}/beschluesse", data=lambda w: {"decision_text": "Ja"})
c("meetings.add_action", "POST", lambda w: f"{M}/{_m(w)}/aufgaben",
  data=lambda w: {"action_text": "Machen", "action_city": str(w["north"].id)})
c("meetings.action_status", "POST", lambda w: f"{M}/aufgaben/{w['action'].id}/stand", data=lambda w: {"status": "done"})
c("meetings.ics", "GET", lambda w: f"{B}/meetings/{_m(w)}.ics")
c("meetings_api.list_bodies", "GET", lambda w: f"{API}/bodies")
c("meetings_api.list_meetings", "GET", lambda w: f"{API}/meetings")
c("meetings_api.create_meeting", "POST", lambda w: f"{API}/meetings")
c("meetings_api.get_meeting", "GET", lambda w: f"{API}/meetings/{_m(w)}")
c("meetings_api.patch_meeting", "PATCH", lambda w: f"{API}/meetings/{_m(w)}")
c("meetings_api.rsvp", "POST", lambda w: f"{API}/meetings/{_m(w)}/rsvp")
c("meetings_api.get_poll", "GET", lambda w: f"{API}/meetings/{_p(w)}/poll")
c("meetings_api.post_poll", "POST", lambda w: f"{API}/meetings/{_p(w)}/poll")
c("meetings_api.post_votes", "POST", lambda w: f"{API}/meetings/{_p(w)}/poll/votes")
c("meetings_api.get_agenda", "GET", lambda w: f"{API}/meetings/{_m(w)}/agenda")
c("meetings_api.post_agenda", "POST", lambda w: f"{API}/meetings/{_m(w)}/agenda")


def _scoped(rule) -> bool:
    return "<network>" in rule.rule or rule.rule.startswith("/api/v1/networks/<")


def test_every_network_scoped_route_has_a_row(app):
    covered = {(c.endpoint, c.method) for c in ROWS}
    missing = sorted((r.endpoint, m) for r in app.url_map.iter_rules() if _scoped(r)
                     for m in r.methods - {"HEAD", "OPTIONS"} if (r.endpoint, m) not in covered)
    assert not missing, f"network-scoped routes without a row on the network axis: {missing}"


def _call(app, w, case, principal):
    client = app.test_client()
    headers = {}
    user = w[principal]
    if case.url(w).startswith("/api/"):
        if principal in w["tokens"]:
            headers["Authorization"] = f"Bearer {w['tokens'][principal]}"
    else:
        login(client, user)
    return client.open(case.url(w), method=case.method, data=case.data(w), headers=headers)


@pytest.mark.parametrize("case", ROWS, ids=lambda c: f"{c.method} {c.endpoint} {c.url.__code__.co_firstlineno}")
def test_network_axis(app, axis, case):
    got = {p: _call(app, axis, case, p).status_code for p in AXIS}
    assert got == case.expect
