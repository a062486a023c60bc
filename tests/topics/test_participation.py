"""Joining and leaving a topic's project group."""

from network.extensions import db
from network.topics.models import Participation
from tests.conftest import row_count


def _join(client, status="participating", contact=""):
    return client.post("/n/readi/themen/e-akte/teilnahme", data={"part-status": status, "part-contact_id": str(contact)})


def test_join_change_and_leave(login_as, topic, lead_a, staff_a):
    c = login_as(lead_a)
    assert _join(c, "interested", staff_a.id).status_code == 302
    db.session.expire_all()
    (part,) = db.session.query(Participation).all()
    assert (part.status, part.contact_id, part.municipality_id) == ("interested", staff_a.id, lead_a.municipality_id)
    assert _join(c, "participating", "").status_code == 302
    db.session.expire_all()
    (part,) = db.session.query(Participation).all()
    assert (part.status, part.contact_id) == ("participating", None)
    page = c.get("/n/readi/themen/e-akte").get_data(as_text=True)
    assert "nimmt teil" in page and "Projektgruppe verlassen" in page
    assert c.post("/n/readi/themen/e-akte/teilnahme/beenden").status_code == 302
    assert row_count(Participation) == 0
    resp = c.post("/n/readi/themen/e-akte/teilnahme/beenden")
    assert resp.status_code == 404
    assert "nimmt an diesem Thema nicht teil" in resp.get_data(as_text=True)


def test_bad_participation_inputs(login_as, topic, lead_a, staff_b):
    c = login_as(lead_a)
    resp = _join(c, "chef")
    assert resp.status_code == 422 and "Bitte wählen Sie einen gültigen Wert" in resp.get_data(as_text=True)
    resp = _join(c, "participating", staff_b.id)  # a person of another city
    assert resp.status_code == 422
    assert "ein aktives Konto Ihrer Kommune" in resp.get_data(as_text=True)
    assert row_count(Participation) == 0


def test_staff_cannot_join(login_as, topic, staff_a):
    assert _join(login_as(staff_a)).status_code == 403
    assert row_count(Participation) == 0
