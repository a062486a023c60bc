"""The lead city is a member of its topic's project group by default (issue #21, 9): when its lead is confirmed
(by the coordination, automatically, or by accepting a handover) it becomes a member city of the topic's project
groups (meetings receives topics' topic_lead_changed); a new project group starts with the topic's lead city."""

import pytest
import sqlalchemy as sa

from network.core.models import AuditEvent
from network.extensions import db
from network.meetings import services
from network.meetings.models import BodyCity
from network.topics import services as topics
from tests import factories
from tests.conftest import login
from tests.topics.conftest import claims_of, give_lead, make_field, make_topic


def member_city_ids(body) -> set[int]:
    db.session.expire_all()
    return set(db.session.execute(sa.select(BodyCity.municipality_id).where(BodyCity.body_id == body.id)).scalars())


@pytest.fixture
def topic():
    t = make_topic(make_field("Verwaltung"), "e-Akte")
    db.session.commit()
    return t


@pytest.fixture
def group(coordinator, topic, city_b):
    """The topic's project group, so far with Bühl only (the topic has no lead yet)."""
    body = services.create_body(coordinator, {"kind": "projektgruppe", "name": "PG e-Akte", "topic_id": topic.id,
                                              "city_ids": [city_b.id]})
    db.session.commit()
    return body


@pytest.fixture
def fachgruppe(coordinator, city_b):
    body = services.create_body(coordinator, {"kind": "fachgruppe", "name": "Fachgruppe", "city_ids": [city_b.id]})
    db.session.commit()
    return body


def test_confirmed_lead_joins_the_project_group(app, topic, group, fachgruppe, other_group, coordinator, lead_a,
                                                city_a, city_b):
    ca, cc = app.test_client(), app.test_client()
    login(ca, lead_a)
    login(cc, coordinator)
    assert ca.post("/n/readi/themen/e-akte/federfuehrung", data={}).status_code == 302
    claim = claims_of(topic)[0]
    assert claim.status == "pending"
    # a request alone does not make the city a member
    assert member_city_ids(group) == {city_b.id}
    assert ca.get(f"/n/readi/treffen/gremien/{group.id}").status_code == 404
    resp = cc.post(f"/n/readi/themen/e-akte/antraege/{claim.id}/entscheidung",
                   data={f"d{claim.id}-decision": "confirm"})
    assert resp.status_code == 302
    assert member_city_ids(group) == {city_a.id, city_b.id}
    # other bodies stay as they were
    assert member_city_ids(fachgruppe) == {city_b.id}
    assert member_city_ids(other_group) == {city_b.id}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "body.lead_city_added")) == 1
    # the lead city's accounts now see the group
    assert ca.get(f"/n/readi/treffen/gremien/{group.id}").status_code == 200


@pytest.fixture
def other_group(coordinator, city_b):
    t = make_topic(make_field("Anderes"), "Intranet")
    body = services.create_body(coordinator, {"kind": "projektgruppe", "name": "PG Intranet", "topic_id": t.id,
                                              "city_ids": [city_b.id]})
    db.session.commit()
    return body


def test_declined_claim_does_not_join(topic, group, coordinator, lead_a, city_b):
    claim = topics.claim_lead(lead_a, topic)
    topics.decide_claim(coordinator, topic, claim, "decline", "Nicht jetzt")
    db.session.commit()
    assert member_city_ids(group) == {city_b.id}


def test_auto_confirmed_lead_joins(topic, group, lead_a, city_a, city_b):
    topic.network.auto_confirm_claims = True
    db.session.commit()
    topics.claim_lead(lead_a, topic)
    db.session.commit()
    assert member_city_ids(group) == {city_a.id, city_b.id}


def test_handover_makes_the_new_lead_a_member_and_keeps_the_old(topic, group, lead_a, lead_b, city_a, city_b):
    give_lead(topic, city_b)
    db.session.commit()
    offer = topics.hand_over_lead(lead_b, topic, city_a.id, "Wir geben ab")
    topics.accept_handover(lead_a, topic, offer, "confirm")
    db.session.commit()
    assert member_city_ids(group) == {city_a.id, city_b.id}


def test_a_city_already_in_the_group_is_not_added_twice(topic, coordinator, lead_a, city_a):
    body = services.create_body(coordinator, {"kind": "projektgruppe", "name": "PG", "topic_id": topic.id,
                                              "city_ids": [city_a.id]})
    db.session.commit()
    claim = topics.claim_lead(lead_a, topic)
    topics.decide_claim(coordinator, topic, claim, "confirm")
    db.session.commit()
    assert member_city_ids(body) == {city_a.id}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "body.lead_city_added")) == 0


def test_giving_up_the_lead_keeps_the_membership(topic, group, coordinator, lead_a, city_a, city_b):
    claim = topics.claim_lead(lead_a, topic)
    topics.decide_claim(coordinator, topic, claim, "confirm")
    topics.withdraw_lead(lead_a, topic, "Keine Kapazität")
    db.session.commit()
    # membership is the coordination's to change; the city keeps seeing the group's meetings
    assert member_city_ids(group) == {city_a.id, city_b.id}


def test_new_project_group_starts_with_the_topic_lead_city(topic, coordinator, city_a, city_b):
    give_lead(topic, city_a)
    db.session.commit()
    body = services.create_body(coordinator, {"kind": "projektgruppe", "name": "PG e-Akte", "topic_id": topic.id,
                                              "city_ids": [city_b.id]})
    db.session.commit()
    assert member_city_ids(body) == {city_a.id, city_b.id}


def test_project_group_of_another_network_is_not_touched(coordinator, lead_a, city_a, city_b):
    """Only the topic's own project groups (a body's topic is always of the body's network)."""
    net_b = factories.make_network("kraichgau", "Kraichgau digital")
    factories.join_network(city_a, net_b)
    t_b = make_topic(make_field("Infrastruktur", network_id=net_b.id), "Breitband", network_id=net_b.id)
    t_a = make_topic(make_field("Verwaltung"), "Breitband-Readi")
    body = services.create_body(coordinator, {"kind": "projektgruppe", "name": "PG", "topic_id": t_a.id,
                                              "city_ids": [city_b.id]})
    db.session.commit()
    give_lead(t_b, city_a)
    db.session.commit()
    from network.topics.signals import topic_lead_changed
    topic_lead_changed.send(topic=t_b, municipality=city_a, targets=[("topic", t_b.id)], title="x", url="/",
                            audience="network", actor_id=None)
    db.session.commit()
    assert member_city_ids(body) == {city_b.id}
