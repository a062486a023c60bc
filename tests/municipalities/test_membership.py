"""A city leaves the network and returns: only the coordination, with a reason, audited, accounts deactivated."""

import sqlalchemy as sa

from network.accounts.models import LoginSession
from network.core.models import AuditEvent
from network.extensions import db
from network.municipalities.models import Municipality
from tests.conftest import login


def _post(client, member, reason="Gemeinderatsbeschluss vom 12.11.2026"):
    return client.post("/kommunen/ettlingen/mitgliedschaft", data={"member": member, "reason": reason})


def test_coordinator_records_leaving_and_return(app, client, login_as, coordinator, city_a, lead_a, staff_a):
    other = app.test_client()
    login(other, staff_a)
    assert other.get("/profil").status_code == 200
    login_as(coordinator)
    page = client.get("/kommunen/ettlingen").get_data(as_text=True)
    assert "Austritt eintragen" in page
    resp = _post(client, "0")
    assert resp.status_code == 302
    db.session.expire_all()
    city = db.session.get(Municipality, city_a.id)
    assert city.status == "left"
    assert not lead_a.active and not staff_a.active
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id)).where(
        LoginSession.user_id == staff_a.id)) == 0
    assert other.get("/profil").status_code == 302  # the staff member's session ended
    event = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "municipality.left")).scalar_one()
    assert "Gemeinderatsbeschluss" in event.summary
    assert "ausgetreten" in client.get("/kommunen/ettlingen").get_data(as_text=True)
    assert "Ettlingen" not in client.get("/kommunen/").get_data(as_text=True).split("<main")[1]

    resp = _post(client, "1", "Wiederaufnahme beschlossen")
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Municipality, city_a.id).status == "member"
    assert not db.session.get(type(lead_a), lead_a.id).active  # reactivated one by one


def test_reason_is_required_and_nothing_changes(client, login_as, coordinator, city_a, lead_a):
    login_as(coordinator)
    resp = _post(client, "0", reason="  ")
    assert resp.status_code == 422
    assert "Bitte geben Sie eine Begründung an." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Municipality, city_a.id).status == "member"
    assert lead_a.active


def test_leaving_twice_is_a_conflict(client, login_as, coordinator, city_a):
    login_as(coordinator)
    assert _post(client, "0").status_code == 302
    resp = _post(client, "0")
    assert resp.status_code == 409
    assert "Ettlingen ist bereits ausgetreten." in resp.get_data(as_text=True)


def test_bad_member_value_is_refused(client, login_as, coordinator, city_a):
    login_as(coordinator)
    assert _post(client, "vielleicht").status_code == 400


def test_only_the_coordination_may(client, login_as, lead_a, city_a):
    login_as(lead_a)
    assert "Austritt eintragen" not in client.get("/kommunen/ettlingen").get_data(as_text=True)
    assert _post(client, "0").status_code == 403
    db.session.expire_all()
    assert db.session.get(Municipality, city_a.id).status == "member"
