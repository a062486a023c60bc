"""Extension points: digest section, follow provider, personal data export."""

from datetime import timedelta

from flask_login import AnonymousUserMixin

from network.core.hooks import digest_sections, personal_data_sources
from network.practices.services import follow_practice
from network.core.models import utcnow
from tests.practices.conftest import write


def test_digest_lists_new_visible_practices_in_followed_topics(app, lead_a, staff_b, topic, field):
    from tests.topics.conftest import make_topic
    other = make_topic(field, "Intranet")
    pub = write(lead_a, "Sensoren im Parkhaus", topics=[topic], publish_as=lead_a)
    write(lead_a, "Entwurf Parkhaus", topics=[topic])  # a draft: never in a digest
    write(lead_a, "Intranet-Relaunch", topics=[other], publish_as=lead_a)  # not followed
    now = utcnow()
    with app.test_request_context():
        sections = digest_sections(staff_b, now - timedelta(days=7), now + timedelta(seconds=1),
                                   {"topic": {topic.id}})
        assert [s.key for s in sections] == ["practices"]
        assert [i.title for i in sections[0].items] == ["Sensoren im Parkhaus"]
        assert sections[0].items[0].url.endswith(f"/praxis/{pub.id}")
        # outside the window, or nothing followed: no section
        assert digest_sections(staff_b, now + timedelta(seconds=1), now + timedelta(days=1), {"topic": {topic.id}}) == []
        assert digest_sections(staff_b, now - timedelta(days=7), now, {}) == []


def test_follow_only_visible_practices(app, lead_a, staff_b):
    pub = write(lead_a, "Netzwerkbericht", publish_as=lead_a)
    draft = write(lead_a, "Entwurf")
    with app.test_request_context():
        follow = follow_practice
        assert follow(staff_b, pub.id) == ("Netzwerkbericht", f"/praxis/{pub.id}")
        assert follow(staff_b, draft.id) is None
        assert follow(AnonymousUserMixin(), pub.id) is None


def test_personal_data_export(app, lead_a, staff_b):
    from network.practices import services
    p = write(lead_a, "Bericht", publish_as=lead_a)
    services.ask_question(staff_b, p, "Wie lange hat das gedauert?")
    source = next(s for s in personal_data_sources() if "practice_question" in s["tables"])
    data = source["export"](staff_b)
    assert [q["question"] for q in data["practice_question"]] == ["Wie lange hat das gedauert?"]
    assert source["export"](lead_a)["practice"][0]["title"] == "Bericht"
