"""Meetings services, one module per part: bodies and members, scheduling, date polls, agenda, RSVPs, minutes,
invitations and calendars. Services check, write the audit and flush; the request boundary commits.

``from network.meetings import services; services.create_meeting(...)`` keeps working: every public name of the
modules is re-exported here. Code that replaces a service in a test patches it where it is looked up."""

from network.meetings.services._common import (LINK_RE, MAX_ID, MAX_MINUTES, MAX_TEXT, external_url, local_url,
                                               meeting_url, this_network)
from network.meetings.services.agenda import (add_agenda_item, agenda, agenda_action, agenda_and_actions, agenda_items, get_item_or_404,
                                              previous_meeting, proposals_open)
from network.meetings.services.bodies import add_lead_city, create_body, default_title, last_hosts, suggestions, update_body
from network.meetings.services.calendar import (calendar_entry, calendar_source, feed_ics, feed_of, ical_domain,
                                                meeting_ics, place, renew_feed, revoke_calendar_feed,
                                                user_for_feed)
from network.meetings.services.citypick import (CITY_SUGGESTIONS, SELECT_LIMIT, body_city_choices, names_of,
                                                resolve_body_city, resolve_cities, resolve_city, search_body_cities)
from network.meetings.services.citypick import suggestions as city_suggestions
from network.meetings.services.invitations import rsvp_people
from network.meetings.services.membership import (BODY_MEMBERS_PAGE, active_topics, body_cities,
                                                  body_members, body_persons, follow_body,
                                                  get_body_or_404, get_meeting_or_404, is_member, may_organise,
                                                  member_body_clause, organisable_bodies, recipients,
                                                  require_organiser, topic_lead_city_id, visible_bodies)
from network.meetings.services.minutes import (add_action_item, add_decision, get_action_or_404, may_write_minutes,
                                               meeting_records, minutes_visible, open_actions_of_city, save_minutes,
                                               set_action_status)
from network.meetings.services.people import (PEOPLE_SUGGESTIONS, person_line, persons_text, resolve_members,
                                              resolve_persons, search_people)
from network.meetings.services.polls import (MAX_REPEAT_WEEKS, MAX_SLOTS, add_slot, add_slots, cast_votes,
                                             delete_slot, get_slot_or_404, pick_slot, poll_table, slots)
from network.meetings.services.rsvp import attendees, is_over, own_rsvp, record_rsvp
from network.meetings.services.schedule import (body_history, cancel_meeting, create_meeting, decisions_by_meeting,
                                                dashboard_meetings, running_polls, upcoming_meetings, update_meeting)
from network.meetings.services.times import local_datetime, parse_iso

__all__ = [
    "names_of", "resolve_cities", "resolve_city", "city_suggestions", "CITY_SUGGESTIONS", "SELECT_LIMIT",
    "body_city_choices", "resolve_body_city", "search_body_cities", "BODY_MEMBERS_PAGE", "body_members",
    "PEOPLE_SUGGESTIONS", "person_line", "persons_text", "resolve_members", "resolve_persons", "search_people",
    "MAX_TEXT", "MAX_MINUTES", "LINK_RE", "MAX_ID", "external_url", "local_url", "meeting_url", "this_network", "rsvp_people",
    "member_body_clause", "is_member", "topic_lead_city_id", "may_organise", "require_organiser", "visible_bodies",
    "organisable_bodies", "get_body_or_404", "get_meeting_or_404", "body_cities", "body_persons",
    "active_topics", "recipients", "follow_body", "add_lead_city", "create_body", "update_body", "last_hosts",
    "suggestions", "default_title", "local_datetime", "parse_iso", "create_meeting", "update_meeting",
    "cancel_meeting", "upcoming_meetings", "running_polls", "dashboard_meetings", "body_history", "decisions_by_meeting", "slots",
    "add_slot", "add_slots", "MAX_SLOTS", "MAX_REPEAT_WEEKS", "delete_slot", "get_slot_or_404", "cast_votes",
    "poll_table", "pick_slot", "proposals_open",
    "add_agenda_item", "get_item_or_404", "agenda_action", "agenda_items", "previous_meeting", "agenda", "agenda_and_actions",
    "record_rsvp", "is_over", "attendees", "own_rsvp", "may_write_minutes", "save_minutes", "minutes_visible",
    "add_decision", "add_action_item", "get_action_or_404", "set_action_status", "meeting_records",
    "open_actions_of_city", "ical_domain", "place", "calendar_entry", "meeting_ics", "feed_of", "renew_feed",
    "revoke_calendar_feed", "user_for_feed", "calendar_source", "feed_ics",
]
