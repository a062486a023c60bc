"""Fields of action and topics managed by the coordination; proposals by city leads; bad inputs."""

from network.extensions import db
from network.topics.models import FieldOfAction, Topic
from tests.conftest import row_count


def test_coordinator_manages_fields(login_as, coordinator):
    c = login_as(coordinator)
    resp = c.post("/n/readi/themen/handlungsfelder/", data={"name": "Digitale Bürgerdienste", "position": "10"})
    assert resp.status_code == 302
    resp = c.post("/n/readi/themen/handlungsfelder/", data={"name": "digitale bürgerdienste"})
    assert resp.status_code == 422 and "gibt es bereits" in resp.get_data(as_text=True)
    for bad, message in (("", "Bitte geben Sie den Namen an."),
                         ("x" * 121, "den Namen darf höchstens 120 Zeichen lang sein.")):
        resp = c.post("/n/readi/themen/handlungsfelder/", data={"name": bad})
        assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    resp = c.post("/n/readi/themen/handlungsfelder/", data={"name": "Bildung", "position": "viel"})
    assert resp.status_code == 422 and "ganze Zahl" in resp.get_data(as_text=True)
    assert row_count(FieldOfAction) == 1
    field = db.session.query(FieldOfAction).one()
    resp = c.post(f"/n/readi/themen/handlungsfelder/{field.id}/bearbeiten", data={"name": "Bürgerdienste", "position": "5"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert (field.name, field.slug, field.position) == ("Bürgerdienste", "digitale-buergerdienste", 5)
    assert c.get("/n/readi/themen/handlungsfelder/9999/bearbeiten").status_code == 404


def test_topic_create_edit_and_stale_version(login_as, coordinator, field):
    c = login_as(coordinator)
    resp = c.post("/n/readi/themen/neu", data={"name": "", "field_id": str(field.id)})
    assert resp.status_code == 422 and "Bitte geben Sie den Namen an." in resp.get_data(as_text=True)
    resp = c.post("/n/readi/themen/neu", data={"name": "Matrix", "field_id": str(field.id)})
    assert resp.status_code == 422 and "reserviert" in resp.get_data(as_text=True)
    resp = c.post("/n/readi/themen/neu", data={"name": "Intranet", "field_id": "999"})
    assert resp.status_code == 422 and "Bitte wählen Sie ein Handlungsfeld." in resp.get_data(as_text=True)
    assert row_count(Topic) == 0
    assert c.post("/n/readi/themen/neu", data={"name": "Intranet", "field_id": str(field.id)}).status_code == 302
    topic = db.session.query(Topic).one()
    resp = c.post("/n/readi/themen/intranet/bearbeiten", data={"name": "Intranet neu", "field_id": str(field.id),
                                                       "description": "Mein Text", "version": "0"})
    assert resp.status_code == 409
    page = resp.get_data(as_text=True)
    assert "inzwischen von jemand anderem geändert" in page and "Mein Text" in page
    resp = c.post("/n/readi/themen/intranet/bearbeiten", data={"name": "Intranet neu", "field_id": str(field.id),
                                                       "version": str(topic.version)})
    assert resp.status_code == 302
    db.session.expire_all()
    assert topic.name == "Intranet neu" and topic.slug == "intranet"


def test_proposal_accepted_and_declined(app, login_as, lead_a, lead_b, coordinator, field):
    c = login_as(lead_a)
    resp = c.post("/n/readi/themen/vorschlagen", data={"name": "Low-Code", "field_id": str(field.id), "reason": "Spart Zeit"})
    assert resp.status_code == 302
    topic = db.session.query(Topic).one()
    assert (topic.status, topic.proposed_by_municipality_id) == ("proposed", lead_a.municipality_id)
    # a proposal is invisible to other cities and cannot be claimed
    from tests.conftest import login
    cb = app.test_client()
    login(cb, lead_b)
    assert cb.get("/n/readi/themen/low-code").status_code == 404
    assert c.post("/n/readi/themen/low-code/federfuehrung", data={}).status_code == 409
    cc = app.test_client()
    login(cc, coordinator)
    assert "Spart Zeit" in cc.get("/n/readi/themen/vorschlaege").get_data(as_text=True)
    resp = cc.post("/n/readi/themen/low-code/vorschlag/entscheidung", data={f"p{topic.id}-decision": "decline"})
    assert resp.status_code == 422 and "Bitte begründen Sie die Ablehnung." in resp.get_data(as_text=True)
    assert c.post("/n/readi/themen/low-code/vorschlag/entscheidung",
                  data={f"p{topic.id}-decision": "confirm"}).status_code == 403
    resp = cc.post("/n/readi/themen/low-code/vorschlag/entscheidung", data={f"p{topic.id}-decision": "confirm"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert topic.status == "active"
    assert cb.get("/n/readi/themen/low-code").status_code == 200
    resp = cc.post("/n/readi/themen/low-code/vorschlag/entscheidung", data={f"p{topic.id}-decision": "decline",
                                                                     f"p{topic.id}-reason": "zu spät"})
    assert resp.status_code == 409
    # a second proposal, declined with a reason
    c.post("/n/readi/themen/vorschlagen", data={"name": "Intranet", "field_id": str(field.id)})
    other = db.session.query(Topic).filter_by(slug="intranet").one()
    resp = cc.post("/n/readi/themen/intranet/vorschlag/entscheidung", data={f"p{other.id}-decision": "decline",
                                                                     f"p{other.id}-reason": "Gibt es schon"})
    assert resp.status_code == 302
    page = c.get("/n/readi/themen/vorschlaege").get_data(as_text=True)
    assert "abgelehnt" in page and "Gibt es schon" in page


def test_staff_cannot_propose(login_as, staff_a, field):
    resp = login_as(staff_a).post("/n/readi/themen/vorschlagen", data={"name": "Neu", "field_id": str(field.id)})
    assert resp.status_code == 403
    assert row_count(Topic) == 0
