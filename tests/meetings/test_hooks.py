"""Extension points: topic panel, digest section, follow provider, personal data, calendar source, events."""

from datetime import timedelta

from network.core.hooks import digest_sections, personal_data_sources
from network.meetings.signals import meeting_scheduled
from network.core.models import utcnow
from network.extensions import db
from network.meetings import services
from network.meetings.models import CalendarFeed, PollVote, Rsvp
from tests.meetings.conftest import future, meeting_data


def test_topic_panel_shows_group_and_next_meeting(as_user, coordinator, project_group, lead_a, lead_b):
    m = services.create_meeting(lead_a, project_group, meeting_data(future(3), title="PG-Treffen", number="1"))
    db.session.commit()
    html = as_user(lead_b).get(f"/n/readi/themen/{project_group.topic.slug}").get_data(as_text=True)
    assert "Projektgruppe e-Akte" in html and "PG-Treffen" in html
    assert m.created_by_id == lead_a.id  # the lead city of the topic organises its group


def test_lead_of_another_city_cannot_organise_the_group(project_group, lead_b):
    import pytest
    from werkzeug.exceptions import Forbidden
    with pytest.raises(Forbidden):
        services.create_meeting(lead_b, project_group, meeting_data(future(3)))


def test_digest_follow_and_events(app, coordinator, fachgruppe, lead_a, body_b_only, city_a):
    events = []

    def listen(sender, **kw):
        events.append(kw)
    meeting_scheduled.connect(listen)
    try:
        m = services.create_meeting(coordinator, fachgruppe, meeting_data(future(5)))
    finally:
        meeting_scheduled.disconnect(listen)
    assert events[0]["meeting"] is m and events[0]["targets"] == [("body", fachgruppe.id)]
    assert events[0]["audience"] == f"body:{fachgruppe.id}"
    db.session.commit()
    sections = digest_sections(lead_a, utcnow() - timedelta(days=7), utcnow())
    (section,) = [s for s in sections if s.key == "meetings"]
    assert [i.title for i in section.items] == [m.title]
    follow = services.follow_body
    assert follow(lead_a, fachgruppe.id)[0] == "Fachgruppe"
    assert follow(lead_a, body_b_only.id) is None


def test_personal_data_export_and_erase(meeting, poll_meeting, lead_a):
    services.record_rsvp(lead_a, meeting, "yes", "Notiz")
    services.cast_votes(lead_a, poll_meeting, {services.slots(poll_meeting)[0].id: "yes"})
    services.renew_feed(lead_a)
    db.session.commit()
    (source,) = [s for s in personal_data_sources() if "rsvp" in s["tables"]]
    data = source["export"](lead_a)
    assert data["rsvp"][0]["note"] == "Notiz" and data["poll_vote"][0]["answer"] == "yes"
    assert "secret" not in str(data["calendar_feed"]) and data["body_person"]
    source["erase"](lead_a)
    db.session.commit()
    for model in (Rsvp, PollVote, CalendarFeed):
        assert db.session.query(model).filter_by(user_id=lead_a.id).count() == 0
