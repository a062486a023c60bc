"""Access-matrix rows of the meetings domain. World: a Fachgruppe whose only member city is A (city B's lead is
not a member: 404), a project group of a topic led by A, a scheduled meeting hosted by A with a proposed agenda
item and an action item of A, a meeting with a running poll and one slot, and staff A's calendar feed."""

from tests.access import Case, coordinator_only, logged_in, same

MEMBER = {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 200}
ORGANISER = {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 404, "coordinator": 302}
MEMBER_POST = {"anonymous": 302, "staff_a": 302, "lead_a": 302, "lead_b": 404, "coordinator": 302}
MINUTES = {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 302}
API_MEMBER = {"anonymous": 401, "staff_a": 200, "lead_a": 200, "lead_b": 404, "coordinator": 200}
API_INVALID = {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 404, "coordinator": 422}

#: the calendar feed (its secret is the key) and the redirects of the old addresses (/treffen/…, /meetings/…)
PUBLIC = {"my_meetings.feed", "meetings_legacy", "meetings_legacy_root", "meetings_ics_legacy",
          "meetings_ics_legacy_root"}


def _m(w):
    return w["mt_meeting"].id


def _p(w):
    return w["mt_poll"].id


ROWS = [
    Case("meetings.list", "GET", lambda w: "/n/readi/treffen/", logged_in()),
    Case("meetings.bodies", "GET", lambda w: "/n/readi/treffen/gremien/", logged_in()),
    Case("meetings.new_body", "GET", lambda w: "/n/readi/treffen/gremien/neu", coordinator_only()),
    Case("meetings.new_body", "POST", lambda w: "/n/readi/treffen/gremien/neu", coordinator_only(422)),
    Case("meetings.body", "GET", lambda w: f"/n/readi/treffen/gremien/{w['mt_body'].id}", MEMBER),
    Case("meetings.edit_body", "GET", lambda w: f"/n/readi/treffen/gremien/{w['mt_body'].id}/bearbeiten",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 404, "coordinator": 200}),
    Case("meetings.edit_body", "POST", lambda w: f"/n/readi/treffen/gremien/{w['mt_body'].id}/bearbeiten",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 404, "coordinator": 422},
         data=lambda w: {"name": ""}),
    # the forms' suggestions (issue #17): accounts for the coordination, a body's cities for its members
    Case("meetings.person_search", "GET", lambda w: "/n/readi/treffen/gremien/personen-suche?q=le",
         coordinator_only()),
    Case("meetings.body_city_search", "GET",
         lambda w: f"/n/readi/treffen/gremien/{w['mt_body'].id}/kommunen-suche?q=et", MEMBER),
    # lead A organises the project group of the topic its city leads; lead B organises nothing
    Case("meetings.new", "GET", lambda w: "/n/readi/treffen/neu",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 403, "coordinator": 200}),
    Case("meetings.new", "POST", lambda w: "/n/readi/treffen/neu",
         {"anonymous": 302, "staff_a": 403, "lead_a": 422, "lead_b": 403, "coordinator": 422},
         data=lambda w: {"gremium": w["mt_group"].id}),
    Case("meetings.detail", "GET", lambda w: f"/n/readi/treffen/{_m(w)}", MEMBER),
    Case("meetings.edit", "GET", lambda w: f"/n/readi/treffen/{_m(w)}/bearbeiten",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 404, "coordinator": 200}),
    Case("meetings.edit", "POST", lambda w: f"/n/readi/treffen/{_m(w)}/bearbeiten",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 404, "coordinator": 422},
         data=lambda w: {"title": ""}),
    Case("meetings.rsvp", "POST", lambda w: f"/n/readi/treffen/{_m(w)}/zusage", MEMBER_POST,
         data=lambda w: {"response": "yes"}),
    Case("meetings.cancel", "POST", lambda w: f"/n/readi/treffen/{_m(w)}/absagen", ORGANISER,
         data=lambda w: {"confirm": "1"}),
    # the confirmation step (issue #21 item 6): GET and a POST without confirm=1 show it, for the organiser only
    Case("meetings.cancel", "GET", lambda w: f"/n/readi/treffen/{_m(w)}/absagen",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 404, "coordinator": 200}),
    Case("meetings.poll", "GET", lambda w: f"/n/readi/treffen/{_p(w)}/umfrage", MEMBER),
    Case("meetings.poll", "POST", lambda w: f"/n/readi/treffen/{_p(w)}/umfrage", ORGANISER,
         data=lambda w: w["mt_slot_data"]),
    Case("meetings.vote", "POST", lambda w: f"/n/readi/treffen/{_p(w)}/umfrage/stimmen", MEMBER_POST,
         data=lambda w: {f"slot-{w['mt_slot'].id}": "maybe"}),
    Case("meetings.pick_slot", "POST", lambda w: f"/n/readi/treffen/{_p(w)}/umfrage/{w['mt_slot'].id}/festlegen", ORGANISER),
    Case("meetings.delete_slot", "POST", lambda w: f"/n/readi/treffen/{_p(w)}/umfrage/{w['mt_slot'].id}/entfernen",
         ORGANISER),
    Case("meetings.agenda", "GET", lambda w: f"/n/readi/treffen/{_m(w)}/tagesordnung", MEMBER),
    Case("meetings.agenda", "POST", lambda w: f"/n/readi/treffen/{_m(w)}/tagesordnung", MEMBER_POST,
         data=lambda w: {"title": "Bericht", "duration_minutes": "10"}),
    Case("meetings.agenda_item", "POST", lambda w: f"/n/readi/treffen/{_m(w)}/tagesordnung/{w['mt_item'].id}", ORGANISER,
         data=lambda w: {"action": "accept"}),
    # the host city's lead writes the minutes, like the organiser
    Case("meetings.minutes", "GET", lambda w: f"/n/readi/treffen/{_m(w)}/protokoll",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 404, "coordinator": 200}),
    Case("meetings.minutes", "POST", lambda w: f"/n/readi/treffen/{_m(w)}/protokoll", MINUTES,
         data=lambda w: {"minutes": "Notizen", "save": "1"}),
    Case("meetings.add_decision", "POST", lambda w: f"/n/readi/treffen/{_m(w)}/beschluesse", MINUTES,
         data=lambda w: {"decision_text": "Beschlossen"}),
    Case("meetings.add_action", "POST", lambda w: f"/n/readi/treffen/{_m(w)}/aufgaben", MINUTES,
         data=lambda w: {"action_text": "Machen", "action_city": str(w["city_a"].id)}),
    # the responsible city (A) or the minute writers tick an action item off
    Case("meetings.action_status", "POST", lambda w: f"/n/readi/treffen/aufgaben/{w['mt_action'].id}/stand", MEMBER_POST,
         data=lambda w: {"status": "done"}),
    Case("meetings.ics", "GET", lambda w: f"/n/readi/meetings/{_m(w)}.ics", MEMBER),
    # calendar clients call the feed without cookies: the secret is the key, for everybody
    Case("my_meetings.feed", "GET", lambda w: f"/calendar/{w['mt_feed']}.ics", same(200)),
    Case("my_meetings.index", "GET", lambda w: "/meine-treffen/", logged_in()),
    Case("my_meetings.renew_feed", "POST", lambda w: "/meine-treffen/kalender/erneuern", logged_in(302)),
    Case("meetings_api.list_bodies", "GET", lambda w: "/api/v1/networks/readi/bodies", logged_in(200, anon=401)),
    Case("meetings_api.list_meetings", "GET", lambda w: "/api/v1/networks/readi/meetings", logged_in(200, anon=401)),
    Case("meetings_api.create_meeting", "POST", lambda w: "/api/v1/networks/readi/meetings",
         {"anonymous": 401, "staff_a": 403, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("meetings_api.get_meeting", "GET", lambda w: f"/api/v1/networks/readi/meetings/{_m(w)}", API_MEMBER),
    Case("meetings_api.patch_meeting", "PATCH", lambda w: f"/api/v1/networks/readi/meetings/{_m(w)}",
         {"anonymous": 401, "staff_a": 403, "lead_a": 403, "lead_b": 404, "coordinator": 200}),
    Case("meetings_api.rsvp", "POST", lambda w: f"/api/v1/networks/readi/meetings/{_m(w)}/rsvp", API_INVALID),
    Case("meetings_api.get_poll", "GET", lambda w: f"/api/v1/networks/readi/meetings/{_p(w)}/poll", API_MEMBER),
    # an empty body adds and picks nothing: the organiser gets the poll as it is
    Case("meetings_api.post_poll", "POST", lambda w: f"/api/v1/networks/readi/meetings/{_p(w)}/poll",
         {"anonymous": 401, "staff_a": 403, "lead_a": 403, "lead_b": 404, "coordinator": 200}),
    Case("meetings_api.post_votes", "POST", lambda w: f"/api/v1/networks/readi/meetings/{_p(w)}/poll/votes", API_INVALID),
    Case("meetings_api.get_agenda", "GET", lambda w: f"/api/v1/networks/readi/meetings/{_m(w)}/agenda", API_MEMBER),
    Case("meetings_api.post_agenda", "POST", lambda w: f"/api/v1/networks/readi/meetings/{_m(w)}/agenda", API_INVALID),
]

# the API's addresses without a network (deprecated) answer like the default network's
ROWS += [Case(c.endpoint.replace("meetings_api.", "meetings_api.legacy_"), c.method,
              (lambda url: lambda w: url(w).replace("/api/v1/networks/readi/", "/api/v1/"))(c.url), c.expect, c.data)
         for c in list(ROWS) if c.endpoint.startswith("meetings_api.")]


def build(w):
    from datetime import date, timedelta

    from network.meetings import services
    from network.meetings.models import ActionItem, AgendaItem
    from tests.topics.conftest import give_lead, make_topic

    coord = w["coordinator"]
    body = services.create_body(coord, {"kind": "fachgruppe", "name": "Fachgruppe A", "city_ids": [w["city_a"].id],
                                        "person_ids": [w["lead_a"].id]})
    topic = make_topic(w["field"], "Parkraum")
    give_lead(topic, w["city_a"])
    group = services.create_body(coord, {"kind": "projektgruppe", "name": "PG Parkraum", "topic_id": topic.id,
                                         "city_ids": [w["city_a"].id]})
    day = (date.today() + timedelta(days=20)).isoformat()
    meeting = services.create_meeting(coord, body, {"title": "Treffen A", "address": "Ettlingen", "date": day,
                                                    "start_time": "10:00", "end_time": "12:00",
                                                    "host_id": str(w["city_a"].id)})
    item = AgendaItem(meeting_id=meeting.id, title="Vorschlag", status="proposed")
    action = ActionItem(meeting_id=meeting.id, text="Aufgabe", municipality_id=w["city_a"].id)
    poll = services.create_meeting(coord, body, {"title": "Umfrage A", "address": "Ettlingen"})
    slot = services.add_slot(coord, poll, {"date": day, "start_time": "14:00", "end_time": "16:00"})
    from network.extensions import db
    db.session.add_all([item, action])
    feed_secret = services.renew_feed(w["staff_a"]).secret  # only its hash is stored: keep the plain one here
    other_day = (date.today() + timedelta(days=21)).isoformat()
    return {"mt_body": body, "mt_group": group, "mt_meeting": meeting, "mt_item": item, "mt_action": action,
            "mt_poll": poll, "mt_slot": slot, "mt_feed": feed_secret,
            "mt_slot_data": {"slots-0-date": other_day, "slots-0-start_time": "14:00",
                             "slots-0-end_time": "16:00", "repeat_weeks": "0"}}
