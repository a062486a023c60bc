"""Joint applications: lead city, invited partners accept or decline, permissions, workspace, documents."""

import io

import pytest
import sqlalchemy as sa

from network.core.validation import ValidationFailed
from network.extensions import db
from network.funding import services
from network.funding.models import (Application, ApplicationDocument, ApplicationEvent, ApplicationMember,
                                    ChecklistItem)
from tests import factories
from tests.conftest import row_count


def _member(app_, city):
    db.session.expire_all()
    return db.session.execute(sa.select(ApplicationMember).where(
        ApplicationMember.application_id == app_.id, ApplicationMember.municipality_id == city.id)).scalar_one()


def test_start_invite_accept_in_the_browser_flow(client, login_as, lead_a, lead_b, call, outbox):
    login_as(lead_a)
    resp = client.post(f"/foerderung/{call.id}/antrag", data={"title": "Bürgerportal", "requested_amount": "80.000"})
    assert resp.status_code == 302
    app_ = db.session.execute(sa.select(Application)).scalar_one()
    assert app_.municipality_id == lead_a.municipality_id and app_.status == "idea"
    assert client.post(f"/foerderung/antraege/{app_.id}/partner",
                       data={"municipality_id": str(lead_b.municipality_id)}).status_code == 302
    assert _member(app_, lead_b.municipality).status == "invited"
    from network.core.outbox import deliver_outbox
    deliver_outbox()
    assert [m.subject for m in outbox] == ["Einladung zum Verbundantrag: Bürgerportal"]
    client.post("/abmelden")
    login_as(lead_b)
    page = client.get(f"/foerderung/antraege/{app_.id}").get_data(as_text=True)
    assert "lädt Ihre Kommune zu diesem Verbundantrag ein" in page
    assert "Wir prüfen" not in page
    dash = client.get("/").get_data(as_text=True)
    assert "Einladung zum Verbundantrag „Bürgerportal“ von Ettlingen beantworten" in dash
    assert client.post(f"/foerderung/antraege/{app_.id}/antwort", data={"decision": "accept"}).status_code == 302
    assert _member(app_, lead_b.municipality).status == "accepted"
    actions = [e.action for e in db.session.execute(sa.select(ApplicationEvent).order_by(ApplicationEvent.id)).scalars()]
    assert actions == ["created", "invited", "accepted"]


def test_partner_cannot_change_status(client, login_as, lead_b, joint):
    login_as(lead_b)
    resp = client.post(f"/foerderung/antraege/{joint.id}/status",
                       data={"status": "submitted", "version": str(joint.version)})
    assert resp.status_code == 403
    db.session.expire_all()
    assert db.session.get(Application, joint.id).status == "idea"


def test_lead_city_changes_status_and_amounts(client, login_as, lead_a, joint):
    login_as(lead_a)
    resp = client.post(f"/foerderung/antraege/{joint.id}/status", data={
        "status": "granted", "requested_amount": "100.000", "granted_amount": "90.000,50", "version": str(joint.version)})
    assert resp.status_code == 302
    db.session.expire_all()
    a = db.session.get(Application, joint.id)
    assert a.status == "granted" and str(a.granted_amount) == "90000.50"
    html = client.get(f"/foerderung/antraege/{joint.id}").get_data(as_text=True)
    assert "90.000,50\xa0€" in html and "Idee → bewilligt" in html


def test_stale_status_write_answers_409(client, login_as, lead_a, joint):
    login_as(lead_a)
    resp = client.post(f"/foerderung/antraege/{joint.id}/status", data={"status": "preparing", "version": "999"})
    assert resp.status_code == 409


def test_staff_of_lead_city_cannot_change_status(client, login_as, staff_a, joint):
    login_as(staff_a)
    assert client.post(f"/foerderung/antraege/{joint.id}/status", data={"status": "submitted"}).status_code == 403


def test_non_member_sees_nothing_inside(client, login_as, joint, call):
    other = factories.make_city("Rastatt")
    lead_c = factories.make_user(other, "lead", email="lead@rastatt.test")
    db.session.commit()
    login_as(lead_c)
    assert client.get(f"/foerderung/antraege/{joint.id}").status_code == 404
    for path, data in [("status", {"status": "submitted"}), ("partner", {"municipality_id": str(other.id)}),
                       ("antwort", {"decision": "accept"}), ("anteil", {"share_amount": "1"}),
                       ("aufgaben", {"title": "x"}), ("notizen", {"body": "x"})]:
        assert client.post(f"/foerderung/antraege/{joint.id}/{path}", data=data).status_code == 404, path
    assert "Gemeinsames Bürgerportal" not in client.get("/foerderung/antraege/").get_data(as_text=True)
    assert "Gemeinsames Bürgerportal" not in client.get(f"/foerderung/{call.id}").get_data(as_text=True)


def test_coordinator_sees_inside_but_does_not_write(client, login_as, coordinator, joint):
    login_as(coordinator)
    assert client.get(f"/foerderung/antraege/{joint.id}").status_code == 200
    assert client.post(f"/foerderung/antraege/{joint.id}/status", data={"status": "submitted"}).status_code == 403
    assert client.post(f"/foerderung/antraege/{joint.id}/notizen", data={"body": "x"}).status_code == 403


def test_declined_city_loses_the_inside(client, login_as, lead_a, lead_b, call):
    app_ = services.create_application(lead_a, call, {"title": "Antrag"})
    services.invite_partner(lead_a, app_, lead_b.municipality_id)
    db.session.commit()
    login_as(lead_b)
    resp = client.post(f"/foerderung/antraege/{app_.id}/antwort", data={"decision": "decline"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/foerderung/antraege/")
    assert client.get(f"/foerderung/antraege/{app_.id}").status_code == 404
    # invited again later: the same row, invited again
    services.invite_partner(lead_a, db.session.get(Application, app_.id), lead_b.municipality_id)
    db.session.commit()
    assert _member(app_, lead_b.municipality).status == "invited"


def test_inviting_twice_is_a_conflict(lead_a, lead_b, joint):
    with pytest.raises(ValidationFailed) as exc:
        services.invite_partner(lead_a, joint, lead_b.municipality_id)
    assert exc.value.status == 409


def test_no_partners_when_the_call_forbids_joint_applications(lead_a, lead_b, call):
    call.joint_allowed = False
    app_ = services.create_application(lead_a, call, {"title": "Allein"})
    with pytest.raises(ValidationFailed) as exc:
        services.invite_partner(lead_a, app_, lead_b.municipality_id)
    assert exc.value.errors["municipality_id"] == "Dieser Förderaufruf lässt keine Verbundanträge zu."


def test_partner_manages_only_its_own_share_and_items(client, login_as, lead_a, lead_b, staff_b, joint):
    login_as(lead_b)
    assert client.post(f"/foerderung/antraege/{joint.id}/anteil",
                       data={"share_amount": "12.500", "share_note": "Schnittstellen"}).status_code == 302
    assert str(_member(joint, lead_b.municipality).share_amount) == "12500.00"
    assert _member(joint, lead_a.municipality).share_amount is None
    # a partner adds tasks only for itself
    resp = client.post(f"/foerderung/antraege/{joint.id}/aufgaben",
                       data={"title": "Beschluss", "municipality_id": str(lead_a.municipality_id)})
    assert resp.status_code == 422
    assert "Partnerkommunen legen Aufgaben nur für sich selbst an." in resp.get_data(as_text=True)
    assert client.post(f"/foerderung/antraege/{joint.id}/aufgaben",
                       data={"title": "Beschluss", "municipality_id": str(lead_b.municipality_id),
                             "due_on": "01.12.2026"}).status_code == 302
    lead_task = services.add_checklist_item(lead_a, db.session.get(Application, joint.id),
                                            {"title": "Kostenplan", "municipality_id": lead_a.municipality_id})
    db.session.commit()
    # the partner may not tick the lead city's task
    assert client.post(f"/foerderung/antraege/{joint.id}/aufgaben/{lead_task.id}", data={"done": "1"}).status_code == 403
    own = db.session.execute(sa.select(ChecklistItem).where(ChecklistItem.title == "Beschluss")).scalar_one()
    client.post("/abmelden")
    login_as(staff_b)  # staff of the partner city ticks its city's task
    assert client.post(f"/foerderung/antraege/{joint.id}/aufgaben/{own.id}", data={"done": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ChecklistItem, own.id).done is True
    assert client.post(f"/foerderung/antraege/{joint.id}/anteil", data={"share_amount": "1"}).status_code == 403


def test_share_validation_beside_field(client, login_as, lead_b, joint):
    login_as(lead_b)
    resp = client.post(f"/foerderung/antraege/{joint.id}/anteil", data={"share_amount": "-3"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="share_amount-error"' in html and "Der Eigenanteil darf nicht negativ sein." in html


def test_notes_and_timeline(client, login_as, staff_a, joint):
    login_as(staff_a)
    assert client.post(f"/foerderung/antraege/{joint.id}/notizen", data={"body": "Termin am Donnerstag"}).status_code == 302
    html = client.get(f"/foerderung/antraege/{joint.id}").get_data(as_text=True)
    assert "Termin am Donnerstag" in html and "Notiz hinzugefügt" in html
    assert client.post(f"/foerderung/antraege/{joint.id}/notizen", data={"body": ""}).status_code == 422


def test_closed_call_refuses_new_applications(client, login_as, lead_a):
    from datetime import timedelta

    from network.funding.models import berlin_today
    from tests.funding.conftest import make_call
    call = make_call("Vorbei", deadlines=[("Antrag", berlin_today() - timedelta(days=1))])
    db.session.commit()
    login_as(lead_a)
    resp = client.post(f"/foerderung/{call.id}/antrag", data={"title": "Zu spät"})
    assert resp.status_code == 422
    assert "Dieser Förderaufruf ist geschlossen" in resp.get_data(as_text=True)
    assert row_count(Application) == 0


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_documents_upload_download_delete(app, tmp_path, client, login_as, lead_a, lead_b, joint, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))  # the session app's own folder comes back after
    login_as(lead_b)
    resp = client.post(f"/foerderung/antraege/{joint.id}/dokumente",
                       data={"file": (io.BytesIO(PDF), "Kostenplan.pdf")}, content_type="multipart/form-data")
    assert resp.status_code == 302
    doc = db.session.execute(sa.select(ApplicationDocument)).scalar_one()
    assert doc.content_type == "application/pdf" and doc.municipality_id == lead_b.municipality_id
    got = client.get(f"/foerderung/antraege/{joint.id}/dokumente/{doc.id}")
    assert got.status_code == 200 and got.data == PDF
    assert "attachment" in got.headers["Content-Disposition"]
    # HTML disguised as PDF is refused (type by content)
    resp = client.post(f"/foerderung/antraege/{joint.id}/dokumente",
                       data={"file": (io.BytesIO(b"<html><script>alert(1)</script>"), "x.pdf")},
                       content_type="multipart/form-data")
    assert resp.status_code == 422 and "Dieser Dateityp ist nicht erlaubt" in resp.get_data(as_text=True)
    client.post("/abmelden")
    other = factories.make_user(factories.make_city("Gaggenau"), "lead", email="lead@gaggenau.test")
    db.session.commit()
    login_as(other)
    assert client.get(f"/foerderung/antraege/{joint.id}/dokumente/{doc.id}").status_code == 404
    client.post("/abmelden")
    login_as(lead_a)  # the lead city may remove any document
    assert client.post(f"/foerderung/antraege/{joint.id}/dokumente/{doc.id}/loeschen").status_code == 302
    assert row_count(ApplicationDocument) == 0
    assert list(tmp_path.iterdir()) == []


def test_document_size_limit(app, tmp_path, client, login_as, lead_a, joint, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", 100)
    login_as(lead_a)
    resp = client.post(f"/foerderung/antraege/{joint.id}/dokumente",
                       data={"file": (io.BytesIO(PDF + b"x" * 200), "gross.pdf")}, content_type="multipart/form-data")
    assert resp.status_code == 422
    assert "Die Datei ist zu groß" in resp.get_data(as_text=True)
    assert row_count(ApplicationDocument) == 0 and list(tmp_path.iterdir()) == []
