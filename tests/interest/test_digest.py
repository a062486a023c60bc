"""Weekly digest: content, language, empty digests, once per ISO week (rerun, two schedulers), unsubscribe."""

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from network.core.hooks import DigestItem, DigestSection
from network.core.models import OutboxMessage
from network.extensions import db
from network.interest import services, tasks
from network.interest.models import DigestLedger, Follow, NotificationPreference
from network.topics.models import LeadEvent
from tests.conftest import row_count
from tests.interest.conftest import link_in, mails_to

#: Monday 23 November 2026, 09:00 in Berlin (ISO week 2026-W48)
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def followed(city_a, staff_a, topics):
    """staff_a follows the e-Akte topic; Ettlingen took its lead two days before MONDAY."""
    db.session.add(Follow(user_id=staff_a.id, target_type="topic", target_id=topics[0].id))
    db.session.add(LeadEvent(topic_id=topics[0].id, municipality_id=city_a.id, action="confirmed",
                             created_at=MONDAY - timedelta(days=2)))
    db.session.add(LeadEvent(topic_id=topics[1].id, municipality_id=city_a.id, action="confirmed",
                             created_at=MONDAY - timedelta(days=2)))  # not followed
    db.session.commit()
    return topics[0]


def _digests(user):
    return [m for m in mails_to(user.email) if "Wochenübersicht" in m.subject or "weekly" in m.subject.lower()]


def test_digest_lists_lead_changes_of_followed_topics(followed, staff_a, lead_a):
    stats = tasks.send_weekly_digests(MONDAY)
    assert stats["sent"] == 1 and stats["empty"] == 1  # lead_a follows nothing: no mail
    [mail] = _digests(staff_a)
    assert "2026-W48" in mail.subject
    assert "Federführung in Themen, denen Sie folgen" in mail.body_text
    assert "e-Akte" in mail.body_text and "Federführung bestätigt: Ettlingen" in mail.body_text
    assert "Open-Data-Portal" not in mail.body_text
    assert "http://staedtenetz.test/n/readi/themen/e-akte" in mail.body_text
    assert '<a href="http://staedtenetz.test/n/readi/themen/e-akte">e-Akte</a>' in mail.body_html
    assert "/benachrichtigungen/abbestellen/" in mail.body_text and "/benachrichtigungen/abbestellen/" in mail.body_html
    assert _digests(lead_a) == []
    assert db.session.scalar(sa.select(DigestLedger.items).where(DigestLedger.user_id == lead_a.id)) == 0


def test_digest_in_the_users_language(followed, staff_a):
    staff_a.language = "en"
    db.session.commit()
    tasks.send_weekly_digests(MONDAY)
    [mail] = mails_to(staff_a.email)
    assert "weekly" in mail.subject.lower() and "Lead of topics you follow" in mail.body_text


def test_exactly_once_per_week_whatever_the_number_of_runs(followed, staff_a):
    tasks.send_weekly_digests(MONDAY)
    tasks.send_weekly_digests(MONDAY + timedelta(hours=3))
    tasks.send_weekly_digests(MONDAY + timedelta(days=5))
    assert len(_digests(staff_a)) == 1
    # next week: a new period starting where the last one ended; nothing new is nothing sent
    tasks.send_weekly_digests(MONDAY + timedelta(days=7))
    assert len(_digests(staff_a)) == 1
    db.session.add(LeadEvent(topic_id=followed.id, action="withdrawn", created_at=MONDAY + timedelta(days=9)))
    db.session.commit()
    tasks.send_weekly_digests(MONDAY + timedelta(days=14))
    assert len(_digests(staff_a)) == 2 and "Federführung abgegeben" in _digests(staff_a)[-1].body_text


def test_not_sent_before_monday_morning(followed, staff_a):
    assert tasks.send_weekly_digests(MONDAY - timedelta(hours=3)) == {"sent": 0, "empty": 0, "skipped": 0}
    assert row_count(DigestLedger) == 0


def test_two_schedulers_at_the_same_moment_send_once(app, followed, staff_a, database_url):
    if database_url.startswith("sqlite") and ":memory:" in database_url:
        pytest.skip("needs a shared database")
    errors = []
    barrier = threading.Barrier(2)

    def run():
        with app.app_context():
            try:
                barrier.wait(10)
                tasks.send_weekly_digests(MONDAY)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(_digests(staff_a)) == 1
    assert db.session.scalar(sa.select(sa.func.count(DigestLedger.id)).where(DigestLedger.user_id == staff_a.id)) == 1


def test_unsubscribe_link_turns_the_digest_off_without_login(client, followed, staff_a):
    tasks.send_weekly_digests(MONDAY)
    link = link_in(_digests(staff_a)[0], "/benachrichtigungen/abbestellen/")
    page = client.get(link)
    assert page.status_code == 200 and "Wöchentliche Zusammenfassung" in page.get_data(as_text=True)
    assert services.preferences(staff_a)["digest"] == "weekly"  # a GET changes nothing
    resp = client.post(link)
    assert resp.status_code == 200 and "Abbestellt" in resp.get_data(as_text=True)
    assert services.preferences(staff_a)["digest"] == "off"
    db.session.add(LeadEvent(topic_id=followed.id, action="withdrawn", created_at=MONDAY + timedelta(days=3)))
    db.session.commit()
    tasks.send_weekly_digests(MONDAY + timedelta(days=7))
    assert len(_digests(staff_a)) == 1


def test_kind_set_to_off_or_immediately_leaves_the_section_out(followed, staff_a):
    db.session.add(NotificationPreference(user_id=staff_a.id, kind="topic.lead_changed", mode="immediately"))
    db.session.commit()
    tasks.send_weekly_digests(MONDAY)
    assert _digests(staff_a) == []


def test_other_domains_sections_get_the_weekly_follows(app, city_a, staff_a, lead_a, topics):
    seen = {}

    def section(user, since, until, follows):
        seen[user.id] = (since, until, {k: set(v) for k, v in follows.items()})
        if user.id != staff_a.id:
            return None
        return DigestSection(key="actions", title="Offene Aufgaben", items=[DigestItem("Protokoll prüfen",
                                                                                     "http://x/1")])
    db.session.add(Follow(user_id=staff_a.id, target_type="municipality", target_id=city_a.id))
    db.session.add(Follow(user_id=staff_a.id, target_type="topic", target_id=topics[0].id))
    for kind in ("practice.published", "meeting.scheduled", "report.published"):
        db.session.add(NotificationPreference(user_id=staff_a.id, kind=kind, mode="off"))
    db.session.commit()
    entries = app.extensions["staedtenetz_hooks"]["digest"]
    entries.append((99, section))
    try:
        tasks.send_weekly_digests(MONDAY)
    finally:
        entries.remove((99, section))
    since, until, follows = seen[staff_a.id]
    assert until == MONDAY and since == MONDAY - timedelta(days=7)
    # practices, meetings and reports are off: a followed city matters to no weekly kind, so it is left out
    assert follows["topic"] == {topics[0].id} and follows["municipality"] == set()
    [mail] = _digests(staff_a)
    assert "Offene Aufgaben" in mail.body_text and "Protokoll prüfen" in mail.body_text
    assert _digests(lead_a) == []


def test_outbox_key_is_unique_per_user_and_week(followed, staff_a):
    tasks.send_weekly_digests(MONDAY)
    keys = db.session.execute(sa.select(OutboxMessage.key).where(OutboxMessage.key.like("digest:%"))).scalars().all()
    assert keys == [f"digest:{staff_a.id}:2026-W48"]


def test_a_topic_of_another_network_links_into_that_network(app, city_a, staff_a, client, login_as):
    """The digest and the follow list name the topic's network in the link (/n/<network>/themen/…), not the
    network the user happens to be in (issue #16: a topic of network B under /n/readi/ would answer 404)."""
    from tests import factories
    from tests.topics.conftest import make_field, make_topic
    nord = factories.make_network("nord", "Städtenetz Nord")
    factories.join_network(city_a, nord)
    topic = make_topic(make_field("Mobilität", network_id=nord.id), "Parkraum")
    db.session.add(Follow(user_id=staff_a.id, target_type="topic", target_id=topic.id))
    db.session.add(LeadEvent(topic_id=topic.id, municipality_id=city_a.id, action="confirmed",
                             created_at=MONDAY - timedelta(days=1)))
    db.session.commit()
    tasks.send_weekly_digests(MONDAY)
    [mail] = _digests(staff_a)
    assert "http://staedtenetz.test/n/nord/themen/parkraum" in mail.body_text
    assert "/n/readi/themen/parkraum" not in mail.body_text
    login_as(staff_a)
    settings = client.get("/profil/benachrichtigungen").get_data(as_text=True)
    assert 'href="/n/nord/themen/parkraum"' in settings
    assert client.get("/n/nord/themen/parkraum").status_code == 200


def test_each_network_sets_its_digest_weekday(followed, city_a, staff_a):
    """A network's digest weekday (its settings) decides when its members' digest goes out; a city in two
    networks gets one digest a week, on the earlier day; a weekday before the network's day sends nothing."""
    from network.networks.models import Network
    from tests import factories
    readi = db.session.execute(sa.select(Network).where(Network.slug == "readi")).scalar_one()
    readi.digest_weekday = 3  # Thursday
    db.session.commit()
    assert tasks.send_weekly_digests(MONDAY)["sent"] == 0 and _digests(staff_a) == []
    assert row_count(DigestLedger) == 0  # nobody's day: no ledger rows either
    thursday = MONDAY + timedelta(days=3)
    assert tasks.send_weekly_digests(thursday - timedelta(hours=3))["sent"] == 0  # before the hour
    assert tasks.send_weekly_digests(thursday)["sent"] == 1 and len(_digests(staff_a)) == 1
    # next week Ettlingen also takes part in a network with Tuesday: one digest, on Tuesday
    factories.join_network(city_a, factories.make_network("nord", "Städtenetz Nord", digest_weekday=1))
    db.session.add(LeadEvent(topic_id=followed.id, action="withdrawn", created_at=thursday + timedelta(days=2)))
    db.session.commit()
    tuesday = MONDAY + timedelta(days=8)
    assert tasks.send_weekly_digests(tuesday)["sent"] == 1 and len(_digests(staff_a)) == 2
    assert tasks.send_weekly_digests(tuesday + timedelta(days=2))["sent"] == 0 and len(_digests(staff_a)) == 2


def test_digest_runs_in_batches_of_users(followed, staff_a, lead_a, city_a, monkeypatch):
    """The due users are read in batches (issue #17: an IN list of 100,000 user ids exceeds SQLite's 32,766 bound
    parameters): with batches of one user every member still gets exactly one ledger row and staff_a the mail,
    and a second run in the same week sends nothing."""
    from tests import factories
    extra = [factories.make_user(city_a, email=f"batch{i}@ettlingen.de") for i in range(3)]
    db.session.commit()
    monkeypatch.setattr(tasks, "DIGEST_BATCH", 1)
    stats = tasks.send_weekly_digests(MONDAY)
    assert stats == {"sent": 1, "empty": 4, "skipped": 0}
    assert len(_digests(staff_a)) == 1
    ledger = db.session.scalars(sa.select(DigestLedger.user_id)).all()
    assert sorted(ledger) == sorted([staff_a.id, lead_a.id] + [u.id for u in extra])
    assert tasks.send_weekly_digests(MONDAY + timedelta(hours=1)) == {"sent": 0, "empty": 0, "skipped": 0}
