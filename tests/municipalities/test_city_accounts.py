"""The city's account list (/kommunen/<slug>/konten): a city lead manages its city's accounts, not the network's.

#14 finding 5 pattern (a protected field a lower role can set through an edit): a coordinator whose account
belongs to a city (a coordinator may also be that city's lead) could be deactivated or demoted by the
city's other lead through the account buttons; accounts/services.py (set_active, set_role) now refuses that.
"""

from network.accounts.models import User
from network.extensions import db
from tests import factories


def test_city_lead_cannot_deactivate_or_demote_a_coordinator_of_the_city(client, login_as, city_a, lead_a):
    coord = factories.make_user(city_a, "lead", email="koordination@ettlingen.test", name="Kora Koordination",
                                coordinator=True)
    db.session.commit()
    login_as(lead_a)
    deactivate = client.post(f"/kommunen/ettlingen/konten/{coord.id}/aktiv", data={"active": "0"})
    demote = client.post(f"/kommunen/ettlingen/konten/{coord.id}/rolle", data={"role": "staff"})
    db.session.expire_all()
    after = db.session.get(User, coord.id)
    assert (deactivate.status_code, demote.status_code) == (403, 403)
    assert after.active and after.role == "lead"


def test_refused_account_action_comes_back_with_its_message_and_writes_nothing(client, login_as, lead_a,
                                                                             staff_a):
    login_as(lead_a)
    resp = client.post(f"/kommunen/ettlingen/konten/{lead_a.id}/aktiv", data={"active": "0"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/kommunen/ettlingen/konten")
    page = client.get("/kommunen/ettlingen/konten").get_data(as_text=True)
    assert "Sie können Ihr eigenes Konto nicht deaktivieren." in page
    db.session.expire_all()
    assert db.session.get(User, lead_a.id).active
    resp = client.post(f"/kommunen/ettlingen/konten/{staff_a.id}/einladung")
    assert resp.status_code == 302
    assert "hat die Einladung bereits angenommen" in client.get("/kommunen/ettlingen/konten").get_data(as_text=True)
