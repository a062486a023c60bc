"""The networks demo seed: the example network Neckar-Erft beside re@di, idempotent."""

import sqlalchemy as sa

from network.extensions import db
from network.networks import services
from network.networks.models import Network


def test_demo_network_seeded_once(app):
    from network.demo import seed_demo
    seed_demo()
    db.session.commit()
    network = services.network_by_slug("neckar-erft")
    assert network.is_example and "Beispieldaten" in network.name
    rows = {m.municipality.slug: m.status for m in services.memberships_of_network(network)}
    assert rows == {"esslingen-am-neckar": "member", "leinfelden-echterdingen": "member", "erkelenz": "guest",
                    "ettlingen": "member"}
    ettlingen = next(m.municipality for m in services.memberships_of_network(network)
                     if m.municipality.slug == "ettlingen")
    assert sorted(m.network.slug for m in services.memberships_of_city(ettlingen.id)) == ["neckar-erft", "readi"]
    erkelenz = next(m.municipality for m in services.memberships_of_network(network)
                    if m.municipality.slug == "erkelenz")
    assert (erkelenz.state, erkelenz.district) == ("Nordrhein-Westfalen", "Kreis Heinsberg")
    assert [u.email for u in services.coordinators_of(network)] == ["koordination-nord@staedtenetz.example"]
    from network.networks.reading import next_meeting, topic_leads
    assert str(next_meeting(network)["kind"]) == "Fachgruppe"
    assert [(name, cities) for name, _s, cities in topic_leads(network)] == [
        ("Digitale Ratsarbeit", "Esslingen am Neckar"), ("Schul-WLAN", "Ettlingen"),
        ("Smarte Straßenbeleuchtung", "Leinfelden-Echterdingen")]
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Network))
    seed_demo()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Network)) == count


def test_demo_data_stays_in_its_network(app):
    """Every network's bodies, meetings and roadmaps hold only that network's (member or guest) cities."""
    from network.accounts.models import User
    from network.demo import seed_demo
    from network.inventory.models import Project
    from network.meetings.models import ActionItem, Body, BodyCity, BodyPerson, Meeting, PollSlot, PollVote, Rsvp
    from network.meetings.services.membership import people_clause
    from network.municipalities.models import Municipality
    from network.networks.services import active_member_clause
    from network.topics.models import FieldOfAction, Topic
    seed_demo()
    db.session.commit()

    def outsiders(stmt):
        return db.session.execute(stmt).all()

    assert outsiders(sa.select(Body.name, Municipality.slug).join(BodyCity, BodyCity.body_id == Body.id)
                     .join(Municipality, Municipality.id == BodyCity.municipality_id)
                     .where(~active_member_clause(Body.network_id, BodyCity.municipality_id))) == []
    # persons of a body: accounts of the network's cities or its coordination
    for network in db.session.execute(sa.select(Network)).scalars():
        assert outsiders(sa.select(Body.name, User.email).join(BodyPerson, BodyPerson.body_id == Body.id)
                         .join(User, User.id == BodyPerson.user_id)
                         .where(Body.network_id == network.id, ~people_clause(network))) == []
    assert outsiders(sa.select(Meeting.title).join(Body, Body.id == Meeting.body_id)
                     .where(Meeting.host_municipality_id.is_not(None),
                            ~active_member_clause(Body.network_id, Meeting.host_municipality_id))) == []
    assert outsiders(sa.select(ActionItem.text).join(Meeting, Meeting.id == ActionItem.meeting_id)
                     .join(Body, Body.id == Meeting.body_id)
                     .where(~active_member_clause(Body.network_id, ActionItem.municipality_id))) == []
    for model, meeting_id in ((Rsvp, Rsvp.meeting_id), (PollVote, PollSlot.meeting_id)):
        stmt = sa.select(User.email).select_from(model).join(User, User.id == model.user_id)
        if model is PollVote:
            stmt = stmt.join(PollSlot, PollSlot.id == PollVote.slot_id)
        assert outsiders(stmt.join(Meeting, Meeting.id == meeting_id).join(Body, Body.id == Meeting.body_id)
                         .where(~active_member_clause(Body.network_id, User.municipality_id))) == []
    # a project's field of action and topic belong to a network its city takes part in
    assert outsiders(sa.select(Project.title).join(FieldOfAction, FieldOfAction.id == Project.field_id)
                     .where(~active_member_clause(FieldOfAction.network_id, Project.municipality_id))) == []
    assert outsiders(sa.select(Project.title).join(Topic, Topic.id == Project.topic_id)
                     .where(~active_member_clause(Topic.network_id, Project.municipality_id))) == []

    # re@di's bodies hold exactly its nine cities; Neckar-Erft has a body of its own with its coordination
    readi = services.network_by_slug("readi")
    plenum_cities = set(db.session.execute(sa.select(Municipality.slug).join(BodyCity).join(Body).where(
        Body.network_id == readi.id, Body.kind == "plenum")).scalars())
    assert len(plenum_cities) == 9 and "esslingen-am-neckar" not in plenum_cities and "ettlingen" in plenum_cities
    nord = services.network_by_slug("neckar-erft")
    persons = set(db.session.execute(sa.select(User.email).join(BodyPerson).join(Body).where(
        Body.network_id == nord.id)).scalars())
    assert "koordination-nord@staedtenetz.example" in persons and "lead@erkelenz.example" in persons
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id)).join(Body).where(Body.network_id == nord.id)) >= 1
    # the cities only in Neckar-Erft have projects of their own network's catalogue
    esslingen_fields = set(db.session.execute(sa.select(FieldOfAction.network_id).join(
        Project, Project.field_id == FieldOfAction.id).join(Municipality, Municipality.id == Project.municipality_id)
        .where(Municipality.slug == "esslingen-am-neckar")).scalars())
    assert esslingen_fields == {nord.id}
