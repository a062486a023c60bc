"""networks.services: create, join/leave/rejoin with history, guests, coordinators; German errors, right status."""

import pytest
import sqlalchemy as sa

from network.core.validation import ValidationFailed
from network.extensions import db
from network.networks import services
from network.networks.models import Network, NetworkMembership, NetworkRole
from tests import factories


def test_create_network_invites_first_coordinator(admin, outbox):
    network = services.create_network(admin, {"name": "Städtenetz Nord", "region": "Nordbaden"},
                                      coordinator_email="nord@test.example", coordinator_name="Nora Nord")
    db.session.commit()
    assert network.slug == "staedtenetz-nord"
    coordinators = services.coordinators_of(network)
    assert [u.email for u in coordinators] == ["nord@test.example"]
    from network.core.outbox import deliver_outbox
    deliver_outbox()
    assert [(m.to, "Städtenetz Nord" in m.subject) for m in outbox] == [(["nord@test.example"], True)]


@pytest.mark.parametrize("data,email,name,field,message", [
    ({"name": ""}, "a@test.example", "A", "name", "Namen"),
    ({"name": "X", "slug": "Groß Buchstaben"}, "a@test.example", "A", "slug", "Kleinbuchstaben"),
    ({"name": "X"}, "keine-adresse", "A", "coordinator_email", "E-Mail"),
    ({"name": "X"}, "neu@test.example", "", "coordinator_name", "Namen der neuen Koordination"),
])
def test_create_network_validation_in_german(admin, data, email, name, field, message):
    with pytest.raises(ValidationFailed) as exc:
        services.create_network(admin, data, coordinator_email=email, coordinator_name=name)
    assert exc.value.status == 422 and message in exc.value.errors[field]


def test_create_network_refuses_taken_name_and_slug(admin):
    with pytest.raises(ValidationFailed) as exc:
        services.create_network(admin, {"name": "re@di – regional.digital", "slug": "readi"},
                                coordinator_email="a@test.example", coordinator_name="A")
    assert "bereits" in exc.value.errors["name"] and "vergeben" in exc.value.errors["slug"]


def test_only_platform_admin_creates(lead_a, coordinator):
    from werkzeug.exceptions import Forbidden
    for user in (lead_a, coordinator):
        with pytest.raises(Forbidden):
            services.create_network(user, {"name": "Y"}, coordinator_email="y@test.example", coordinator_name="Y")


def test_join_leave_rejoin_keeps_history(coordinator, city_a):
    network = factories.make_network()
    with pytest.raises(ValidationFailed) as exc:
        services.join(coordinator, network, city_a)
    assert exc.value.status == 409 and "bereits Mitglied" in exc.value.errors["municipality"]
    with pytest.raises(ValidationFailed) as exc:
        services.leave(coordinator, network, city_a, reason="")
    assert exc.value.status == 422 and "Begründung" in exc.value.errors["reason"]
    row = services.leave(coordinator, network, city_a, reason="Ratsbeschluss")
    assert row.status == "left" and row.left_at is not None and city_a.status == "left"
    with pytest.raises(ValidationFailed) as exc:
        services.leave(coordinator, network, city_a, reason="nochmal")
    assert exc.value.status == 409
    first_joined = row.joined_at
    row = services.join(coordinator, network, city_a, status="guest")
    assert row.status == "guest" and row.left_at is None and city_a.status == "member"
    assert row.joined_at >= first_joined
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NetworkMembership)) == 1  # one row, reopened
    assert [m.status for m in services.memberships_of_city(city_a.id)] == ["guest"]


def test_join_refuses_unknown_status(coordinator, city_a):
    with pytest.raises(ValidationFailed) as exc:
        services.join(coordinator, factories.make_network(), city_a, status="chef")
    assert exc.value.status == 422 and "Mitglied oder Gast" in exc.value.errors["status"]


def test_last_coordinator_cannot_be_removed(coordinator):
    network = factories.make_network()
    with pytest.raises(ValidationFailed) as exc:
        services.remove_coordinator(coordinator, network, coordinator)
    assert exc.value.status == 409 and "mindestens eine Koordination" in exc.value.errors["user"]
    second = services.name_coordinator(coordinator, network, email="zweite@test.example", name="Zweite")
    services.remove_coordinator(coordinator, network, coordinator)
    assert [r.user_id for r in db.session.execute(sa.select(NetworkRole)).scalars()] == [second.id]


def test_name_coordinator_twice_refused(coordinator):
    with pytest.raises(ValidationFailed) as exc:
        services.name_coordinator(coordinator, factories.make_network(), email=coordinator.email)
    assert "bereits" in exc.value.errors["email"]


def test_update_network_validates(coordinator):
    network = factories.make_network()
    with pytest.raises(ValidationFailed) as exc:
        services.update_network(coordinator, network, {"name": "re@di", "digest_weekday": "9",
                                                       "reminder_days": "0,99"})
    assert "Wochentag" in exc.value.errors["digest_weekday"] and "1 und 60" in exc.value.errors["reminder_days"]
    services.update_network(coordinator, network, {"name": "re@di neu", "digest_weekday": "2",
                                                   "reminder_days": "1, 7"})
    assert db.session.get(Network, network.id).reminder_days == "7,1"


@pytest.mark.parametrize("model", ["FieldOfAction", "Topic", "Body"])
def test_network_owned_rows_name_their_network(app, nord, model):
    """No column default: a row written without its network is refused, never filed into some network."""
    from sqlalchemy.exc import IntegrityError

    from network.meetings.models import Body
    from network.topics.models import FieldOfAction, Topic
    cls = {"FieldOfAction": FieldOfAction, "Topic": Topic, "Body": Body}[model]
    assert cls.__table__.c.network_id.default is None and cls.__table__.c.network_id.server_default is None
    field = FieldOfAction(network_id=nord.id, slug="feld", name="Feld")
    db.session.add(field)
    db.session.flush()
    values = {"FieldOfAction": {"slug": "x", "name": "X"}, "Topic": {"slug": "x", "name": "X", "field_id": field.id},
              "Body": {"kind": "plenum", "name": "X"}}[model]
    db.session.add(cls(**values))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
