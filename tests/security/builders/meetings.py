"""Meetings world: per city a Fachgruppe whose only member city is that city (city X's members and the
coordinator see it; the other city answers 404), with a scheduled meeting hosted by the city (title,
notes, an agenda proposal, an RSVP note, published minutes, a decision and an action item: all canaries with
audience CITY), and a meeting with a running date poll (one slot, one vote). Every principal with an account
has a calendar feed; the feed URL argument is only the principal's own secret (it is a personal key: whoever
has it sees that person's meetings), plus an invalid one.

For the state-changing requests: targets are city A's objects; a project group led by city A exists too.
"""

from dataclasses import replace
from datetime import date, timedelta

import sqlalchemy as sa

from network.extensions import db
from network.meetings import services as meetings
from network.meetings.models import (ActionItem, AgendaItem, Body, CalendarFeed, Meeting, PollSlot, PollVote,
                                     Rsvp)
from tests.security.world import CITY, FORM_DATA, builder

ENDPOINTS = ("meetings.", "meetings_api.", "my_meetings.")


def _day(offset):
    return (date.today() + timedelta(days=offset)).isoformat()


@builder
def meetings_world(w):
    coord = w.coordinator
    for tag, city_key in (("a", "city_a"), ("b", "city_b")):
        city = getattr(w, city_key)
        lead, staff = getattr(w, f"lead_{tag}"), getattr(w, f"staff_{tag}")
        slug = city.slug
        body_desc = w.new_canary()
        body = meetings.create_body(coord, {"kind": "fachgruppe", "name": f"Fachgruppe {city.name}",
                                            "description": body_desc, "city_ids": [city.id],
                                            "person_ids": [lead.id]})
        w.canary(body_desc, "body.description", city=slug, audience=CITY)
        title, notes = w.new_canary(), w.new_canary()
        meeting = meetings.create_meeting(coord, body, {
            "title": f"Treffen {title}", "description": notes, "address": "Rathaus", "date": _day(20),
            "start_time": "10:00", "end_time": "12:00", "host_id": str(city.id)})
        w.canary(title, "meeting.title", city=slug, audience=CITY)
        w.canary(notes, "meeting.description", city=slug, audience=CITY)
        item_title = w.new_canary()
        item = meetings.add_agenda_item(staff, meeting, {"title": f"Punkt {item_title}"})
        w.canary(item_title, "agenda.title", city=slug, audience=CITY)
        note = w.new_canary()
        meetings.record_rsvp(staff, meeting, "yes", f"Notiz {note}")
        w.canary(note, "rsvp.note", city=slug, audience=CITY)
        minutes, decision, action_text = w.new_canary(), w.new_canary(), w.new_canary()
        meetings.add_decision(coord, meeting, f"Beschluss {decision}")
        action = meetings.add_action_item(coord, meeting, {"text": f"Aufgabe {action_text}",
                                                           "municipality_id": city.id})
        meetings.save_minutes(coord, meeting, f"Protokoll {minutes}", publish=True)
        for text, kind in ((minutes, "meeting.minutes"), (decision, "meeting.decision"),
                           (action_text, "meeting.action")):
            w.canary(text, kind, city=slug, audience=CITY)
        poll_title = w.new_canary()
        poll = meetings.create_meeting(coord, body, {"title": f"Umfrage {poll_title}", "address": "Rathaus"})
        w.canary(poll_title, "meeting.title", city=slug, audience=CITY)
        slot = meetings.add_slot(coord, poll, {"date": _day(30), "start_time": "14:00", "end_time": "16:00"})
        meetings.cast_votes(lead, poll, {slot.id: "yes"})
        w.objects.update({f"mt_body_{tag}": body, f"mt_meeting_{tag}": meeting, f"mt_item_{tag}": item,
                          f"mt_action_{tag}": action, f"mt_poll_{tag}": poll, f"mt_slot_{tag}": slot,
                          f"mt_slot_{tag}_id": slot.id})
        for name, value in (("body_id", body.id), ("meeting_id", meeting.id), ("meeting_id", poll.id),
                            ("slot_id", slot.id)):
            w.arg(name, value, city=slug, endpoints=ENDPOINTS)
        w.arg("item_id", item.id, city=slug, endpoints=("meetings.agenda_item",))
        w.arg("item_id", action.id, city=slug, endpoints=("meetings.action_status",))
    # a project group of a topic led by city A (lead A organises it)
    # (this builder runs before the topics builder: its own topic)
    from tests.topics.conftest import give_lead, make_field, make_topic
    topic = make_topic(make_field("Treffen-Handlungsfeld"), "Digitale Sitzungen")
    give_lead(topic, w.city_a)
    group = meetings.create_body(coord, {"kind": "projektgruppe", "name": "Projektgruppe Sitzungen",
                                         "topic_id": topic.id, "city_ids": [w.city_a.id]})
    w.objects["mt_group"] = group
    feeds = {}
    for key in ("staff_a", "lead_a", "lead_b", "coordinator"):
        feeds[key] = meetings.renew_feed(getattr(w, key)).secret
    w.objects["mt_feeds"] = feeds
    db.session.commit()

    for name in ("body_id", "meeting_id", "slot_id", "item_id"):
        w.arg(name, 999999, endpoints=ENDPOINTS)
    w.arg("secret", "ungueltig", endpoints=ENDPOINTS)
    w.arg_provider("secret", lambda world, p: [world.mt_feeds[p.key]] if p.key in world.mt_feeds else [])
    w.target("body_id", w.mt_body_a.id)
    w.target("meeting_id", w.mt_meeting_a.id)
    for endpoint in ("meetings.poll", "meetings.vote", "meetings.pick_slot", "meetings.delete_slot",
                     "meetings_api.post_poll", "meetings_api.post_votes",
                     "meetings_api.legacy_post_poll", "meetings_api.legacy_post_votes"):
        w.target("meeting_id", w.mt_poll_a.id, endpoint=endpoint)
    w.target("slot_id", w.mt_slot_a.id)
    w.target("item_id", w.mt_item_a.id, endpoint="meetings.agenda_item")
    w.target("item_id", w.mt_action_a.id, endpoint="meetings.action_status")
    w.target("secret", feeds["staff_a"])
    # bodies and meetings live under /n/<network>/ (and /api/v1/networks/<network>/): the world's are re@di's
    w.arg("network", "readi", endpoints=ENDPOINTS)
    w.target("network", "readi", endpoint=None)
    # the old addresses (/treffen/…, /meetings/…) redirect to the default network's
    w.arg("rest", f"{w.mt_meeting_a.id}", endpoints=("meetings_legacy", "meetings_ics_legacy"))
    w.target("rest", f"{w.mt_meeting_a.id}", endpoint="meetings_legacy")
    w.target("rest", f"{w.mt_meeting_a.id}.ics", endpoint="meetings_ics_legacy")


def _times(offset):
    return {"date": _day(offset), "start_time": "10:00", "end_time": "12:00"}


FORM_DATA.update({
    "meetings.new_body": lambda w: {"kind": "plenum", "name": "Neues Plenum", "description": "Alle",
                                    "cities": f"{w.city_a.name}\n{w.city_c.name}",
                                    "person_ids": [str(w.lead_a.id)]},
    "meetings.edit_body": lambda w: {"kind": "fachgruppe", "name": "Fachgruppe Umbenannt", "description": "",
                                     "city_ids": [str(w.city_a.id)], "person_ids": [str(w.lead_a.id)],
                                     "version": str(db.session.get(Body, w.mt_body_a.id).version)},
    "meetings.new": lambda w: {"gremium": str(w.mt_body_a.id), "title": "Neues Treffen", "number": "40",
                               "address": "Rathaus", "host_id": str(w.city_a.id), **_times(25)},
    "meetings.edit": lambda w: {"title": "Geändertes Treffen", "address": "Rathaus", "host_id": str(w.city_a.id),
                                "version": str(db.session.get(Meeting, w.mt_meeting_a.id).version), **_times(21)},
    "meetings.rsvp": lambda w: {"response": "maybe", "note": "später"},
    "meetings.cancel": lambda w: {"reason": "Krankheit", "confirm": "1"},
    "meetings.poll": lambda w: {f"slots-0-{k}": v for k, v in _times(31).items()} | {"repeat_weeks": "0"},
    "meetings.vote": lambda w: {f"slot-{w.mt_slot_a_id}": "maybe"},
    "meetings.pick_slot": lambda w: {},
    "meetings.delete_slot": lambda w: {},
    "meetings.agenda": lambda w: {"title": "Neuer Punkt", "duration_minutes": "20", "presenter_city": w.city_a.name},
    "meetings.agenda_item": lambda w: {"action": "accept"},
    "meetings.minutes": lambda w: {"minutes": "Neues Protokoll", "save": "1"},
    "meetings.add_decision": lambda w: {"decision_text": "Neuer Beschluss"},
    "meetings.add_action": lambda w: {"action_text": "Neue Aufgabe", "action_city": str(w.city_a.id)},
    "meetings.action_status": lambda w: {"status": "done"},
    "my_meetings.renew_feed": lambda w: {},
    "meetings_api.create_meeting": lambda w: {"body_id": w.mt_body_a.id, "title": "API-Treffen", "address": "x",
                                              "starts_at": _day(26) + "T10:00", "ends_at": _day(26) + "T12:00"},
    "meetings_api.patch_meeting": lambda w: {"title": "API geändert"},
    "meetings_api.rsvp": lambda w: {"response": "no", "note": ""},
    "meetings_api.post_poll": lambda w: {"slots": [{"starts_at": _day(32) + "T10:00",
                                                    "ends_at": _day(32) + "T12:00"}]},
    "meetings_api.post_votes": lambda w: {"votes": {str(w.mt_slot_a_id): "no"}},
    "meetings_api.post_agenda": lambda w: {"title": "API-Punkt"},
})
# the API's old addresses (without /networks/<network>) take the same bodies; the old HTML addresses redirect
FORM_DATA.update({k.replace("meetings_api.", "meetings_api.legacy_"): v for k, v in list(FORM_DATA.items())
                  if k.startswith("meetings_api.")})
FORM_DATA.update({k: (lambda w: {}) for k in ("meetings_legacy", "meetings_legacy_root", "meetings_ics_legacy",
                                              "meetings_ics_legacy_root")})


def _one(model, *where):
    db.session.expire_all()
    return db.session.execute(sa.select(model).where(*where)).scalars().first()


def mass_assignment_cases(Case) -> list:
    """The meetings rows of test_mass_assignment.MASS_ASSIGNMENT."""
    def meeting(w):
        return _one(Meeting, Meeting.id == w.mt_meeting_a.id)

    def poll(w):
        return _one(Meeting, Meeting.id == w.mt_poll_a.id)

    cases = [
        Case("meetings.new_body", "coordinator", lambda w: _one(Body, Body.name == "Neues Plenum") is not None,
             ),
        Case("meetings.edit_body", "coordinator", lambda w: _one(Body, Body.id == w.mt_body_a.id).name
             == "Fachgruppe Umbenannt"),
        Case("meetings.new", "coordinator", lambda w: _one(Meeting, Meeting.title == "Neues Treffen") is not None),
        Case("meetings.edit", "coordinator", lambda w: meeting(w).title == "Geändertes Treffen"),
        Case("meetings.rsvp", "lead_a", lambda w: getattr(_one(Rsvp, Rsvp.user_id == w.lead_a.id), "response", None)
             == "maybe"),
        Case("meetings.cancel", "coordinator", lambda w: meeting(w).status == "cancelled",
             changes={("meeting", "status")}),
        Case("meetings.poll", "coordinator", lambda w: len(meetings.slots(poll(w))) == 2),
        Case("meetings.vote", "lead_a", lambda w: _one(PollVote, PollVote.user_id == w.lead_a.id).answer == "maybe"),
        Case("meetings.pick_slot", "coordinator", lambda w: poll(w).status == "scheduled",
             changes={("meeting", "status")}),
        Case("meetings.delete_slot", "coordinator", lambda w: _one(PollSlot, PollSlot.id == w.mt_slot_a_id) is None),
        Case("meetings.agenda", "lead_a", lambda w: _one(AgendaItem, AgendaItem.title == "Neuer Punkt") is not None),
        Case("meetings.agenda_item", "coordinator", lambda w: _one(AgendaItem, AgendaItem.id == w.mt_item_a.id)
             .status == "accepted", changes={("agenda_item", "status")}),
        Case("meetings.minutes", "lead_a", lambda w: meeting(w).minutes == "Neues Protokoll"),
        Case("meetings.add_decision", "coordinator", lambda w: any(
            d.text == "Neuer Beschluss" for d in meetings.meeting_records(meeting(w))["decisions"])),
        Case("meetings.add_action", "coordinator", lambda w: _one(ActionItem, ActionItem.text == "Neue Aufgabe")
             is not None),
        Case("meetings.action_status", "lead_a", lambda w: _one(ActionItem, ActionItem.id == w.mt_action_a.id)
             .status == "done", changes={("action_item", "status")}),
        Case("my_meetings.renew_feed", "staff_a", lambda w: _one(CalendarFeed, CalendarFeed.user_id == w.staff_a.id)
             .secret != w.mt_feeds["staff_a"]),
        Case("meetings_api.create_meeting", "coordinator", lambda w: _one(Meeting, Meeting.title == "API-Treffen")
             is not None, expect_status=201, api=True),
        Case("meetings_api.patch_meeting", "coordinator", lambda w: meeting(w).title == "API geändert",
             method="PATCH", expect_status=200, api=True),
        Case("meetings_api.rsvp", "lead_a", lambda w: _one(Rsvp, Rsvp.user_id == w.lead_a.id).response == "no",
             expect_status=200, api=True),
        Case("meetings_api.post_poll", "coordinator", lambda w: len(meetings.slots(poll(w))) == 2,
             expect_status=200, api=True),
        Case("meetings_api.post_votes", "lead_a", lambda w: _one(PollVote, PollVote.user_id == w.lead_a.id).answer
             == "no", expect_status=200, api=True),
        Case("meetings_api.post_agenda", "lead_a", lambda w: _one(AgendaItem, AgendaItem.title == "API-Punkt")
             is not None, expect_status=201, api=True),
    ]
    # the same effects through the deprecated addresses without /networks/<network> (the default network's)
    cases += [replace(c, endpoint=c.endpoint.replace("meetings_api.", "meetings_api.legacy_")) for c in cases
              if c.endpoint.startswith("meetings_api.")]
    # the old HTML addresses change nothing themselves: they answer 308 to /n/<default>/…
    cases += [Case(endpoint, "lead_a", lambda w: True, expect_status=308)
              for endpoint in ("meetings_legacy", "meetings_legacy_root", "meetings_ics_legacy",
                               "meetings_ics_legacy_root")]
    return cases


# --- XSS gate (tests/security/test_xss.py) ------------------------------------------------------------

XSS_BODY = "XSS-Gremium"


def xss_fields(ctx, payloads=None):
    """Payloads in meeting titles and notes, agenda items (title, presenter, link label), RSVP notes,
    decisions, action items and draft minutes; returns the pages that show them (as the coordinator)."""
    from network.core.validation import ValidationFailed
    from network.municipalities.models import Municipality
    from tests.security.test_xss import PAYLOADS

    coord, stats = ctx["coordinator"], ctx["stats"]
    home = db.session.execute(sa.select(Municipality).where(Municipality.slug == "xss")).scalar_one()
    body = meetings.create_body(coord, {"kind": "fachgruppe", "name": XSS_BODY, "description": PAYLOADS[0][:5000],
                                        "city_ids": [home.id]})
    shown = []
    for i, p in enumerate(PAYLOADS):
        text = p.strip() or "leer"
        try:
            with db.session.begin_nested():
                m = meetings.create_meeting(coord, body, {
                    "title": text[:200], "description": text, "address": "Rathaus", "number": str(i + 1),
                    "date": _day(60 + i % 30), "start_time": "10:00", "end_time": "12:00"})
                meetings.add_agenda_item(coord, m, {"title": text[:200], "presenter_name": text[:120],
                                                    "link_path": "/praxis/1", "link_label": text[:200]})
                meetings.record_rsvp(coord, m, "yes", text[:500])
                meetings.add_decision(coord, m, text)
                meetings.add_action_item(coord, m, {"text": text, "municipality_id": home.id})
                meetings.save_minutes(coord, m, text)  # a draft: no mails to anyone
            stats["meeting fields"] += 1
            shown.append(m.id)
        except ValidationFailed:
            stats["skipped (too long)"] += 1
    db.session.flush()
    pages = [f"/n/readi/treffen/gremien/{body.id}", "/n/readi/treffen/", "/"]
    for mid in shown[:: max(1, len(shown) // 12)]:
        pages += [f"/n/readi/treffen/{mid}", f"/n/readi/treffen/{mid}/tagesordnung", f"/n/readi/treffen/{mid}/protokoll"]
    return pages


def xss_clean_up():
    """Remove the payload body; its meetings and their rows go with it (ON DELETE CASCADE)."""
    ids = db.session.execute(sa.select(Body.id).where(Body.name == XSS_BODY)).scalars().all()
    if ids:
        mids = sa.select(Meeting.id).where(Meeting.body_id.in_(ids))
        for model in (Rsvp, AgendaItem, ActionItem):
            db.session.execute(sa.delete(model).where(model.meeting_id.in_(mids)))
        from network.meetings.models import Decision
        db.session.execute(sa.delete(Decision).where(Decision.meeting_id.in_(mids)))
        db.session.execute(sa.delete(Meeting).where(Meeting.body_id.in_(ids)))
        from network.meetings.models import BodyCity, BodyPerson
        for model in (BodyCity, BodyPerson):
            db.session.execute(sa.delete(model).where(model.body_id.in_(ids)))
        db.session.execute(sa.delete(Body).where(Body.id.in_(ids)))
    db.session.commit()
