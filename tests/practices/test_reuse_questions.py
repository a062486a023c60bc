"""Reuse marks and questions (Amtshilfe), with their emails through the outbox."""

import sqlalchemy as sa

from network.core.models import OutboxMessage
from network.extensions import db
from network.practices.models import PracticeQuestion, PracticeReuse
from tests.practices.conftest import write


def _mails():
    db.session.expire_all()
    return db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


def test_reuse_flow_with_email_to_the_authoring_city(login_as, staff_a, lead_a, staff_b):
    p = write(staff_a, "Digitaler Bauantrag", publish_as=lead_a)
    c = login_as(staff_b)
    resp = c.post(f"/praxis/{p.id}/nachnutzung", data={"reuse-status": "adopting", "reuse-note": "Start im Mai",
                                                        "reuse-saved_days": "12"})
    assert resp.status_code == 302
    mark = db.session.execute(sa.select(PracticeReuse)).scalar_one()
    assert (mark.municipality_id, mark.status, mark.saved_days, mark.user_id) == (
        staff_b.municipality_id, "adopting", 12, staff_b.id)
    mails = _mails()
    assert sorted(m.recipient for m in mails) == sorted([lead_a.email, staff_a.email])
    assert "Bühl hat zu Ihrem Praxisbericht „Digitaler Bauantrag“ eingetragen: in Übernahme." in mails[0].body_text
    page = c.get(f"/praxis/{p.id}").get_data(as_text=True)
    assert "in Übernahme" in page and "12 Personentage" in page
    # changing only the note sends nothing new; changing the status does
    c.post(f"/praxis/{p.id}/nachnutzung", data={"reuse-status": "adopting", "reuse-note": "Start im Juni"})
    assert len(_mails()) == 2
    c.post(f"/praxis/{p.id}/nachnutzung", data={"reuse-status": "adopted"})
    assert len(_mails()) == 4
    assert db.session.scalar(sa.select(sa.func.count(PracticeReuse.id))) == 1


def test_reuse_bad_input(login_as, staff_a, lead_a, staff_b):
    p = write(staff_a, "Digitaler Bauantrag", publish_as=lead_a)
    c = login_as(staff_b)
    resp = c.post(f"/praxis/{p.id}/nachnutzung", data={"reuse-status": "geklaut"})
    assert resp.status_code == 422 and "gültigen Wert" in resp.get_data(as_text=True)
    resp = c.post(f"/praxis/{p.id}/nachnutzung", data={"reuse-status": "interested", "reuse-saved_days": "viele"})
    assert resp.status_code == 422 and "ganze Zahl von Personentagen" in resp.get_data(as_text=True)
    assert db.session.execute(sa.select(PracticeReuse)).first() is None and _mails() == []
    c.post("/abmelden")
    c = login_as(staff_a)  # the own city cannot mark its own practice
    assert c.post(f"/praxis/{p.id}/nachnutzung", data={"reuse-status": "interested"}).status_code == 422


def test_draft_cannot_be_reused_or_asked_about_even_by_id(login_as, staff_a, staff_b):
    p = write(staff_a, "Entwurf")
    c = login_as(staff_b)
    assert c.post(f"/praxis/{p.id}/nachnutzung", data={"reuse-status": "interested"}).status_code == 404
    assert c.post(f"/praxis/{p.id}/fragen", data={"q-question": "Wie geht das genau?"}).status_code == 404


def test_question_answer_faq_flow(client, login_as, staff_a, lead_a, staff_b, lead_b):
    p = write(staff_a, "Online-Wahlhelfer", publish_as=lead_a, visibility="public")
    c = login_as(staff_b)
    resp = c.post(f"/praxis/{p.id}/fragen", data={"q-question": "Wie haben Sie die Wahlhelfer geschult?"})
    assert resp.status_code == 302
    q = db.session.execute(sa.select(PracticeQuestion)).scalar_one()
    assert q.municipality_id == staff_b.municipality_id
    assert sorted(m.recipient for m in _mails()) == sorted([lead_a.email, staff_a.email])
    # open question: the two cities see it, a third party does not
    assert "Wie haben Sie die Wahlhelfer geschult?" in c.get(f"/praxis/{p.id}").get_data(as_text=True)
    c.post("/abmelden")
    assert "Wahlhelfer geschult" not in client.get(f"/praxis/{p.id}").get_data(as_text=True)
    # the asking city cannot answer, the authoring city can
    c = login_as(lead_b)
    assert c.post(f"/praxis/fragen/{q.id}/antwort", data={f"a{q.id}-answer": "So."}).status_code == 404
    c.post("/abmelden")
    c = login_as(staff_a)
    resp = c.post(f"/praxis/fragen/{q.id}/antwort", data={f"a{q.id}-answer": ""})
    assert resp.status_code == 422 and "Bitte geben Sie eine Antwort an." in resp.get_data(as_text=True)
    resp = c.post(f"/praxis/fragen/{q.id}/antwort", data={f"a{q.id}-answer": "Mit einem Online-Kurs."})
    assert resp.status_code == 302
    mails = _mails()
    assert mails[-1].recipient == staff_b.email and "Mit einem Online-Kurs." in mails[-1].body_text
    c.post("/abmelden")
    page = client.get(f"/praxis/{p.id}").get_data(as_text=True)  # public FAQ
    assert "Wahlhelfer geschult" in page and "Mit einem Online-Kurs." in page


def test_question_too_short(login_as, staff_a, lead_a, staff_b):
    p = write(staff_a, "X-Bericht", publish_as=lead_a)
    c = login_as(staff_b)
    resp = c.post(f"/praxis/{p.id}/fragen", data={"q-question": "Wie?"})
    assert resp.status_code == 422 and "mindestens 10 Zeichen" in resp.get_data(as_text=True)
    assert db.session.execute(sa.select(PracticeQuestion)).first() is None
