"""Services used by funding and practices, personal data, the upload cleanup job, staff draft rules."""

from datetime import timedelta

import sqlalchemy as sa

from network.core.hooks import personal_data_sources
from network.inventory.services import city_projects, matching_projects
from network.core.models import utcnow
from network.extensions import db
from network.inventory import importer, tasks
from network.inventory.models import ImportUpload
from tests.conftest import row_count
from tests.factories import make_user
from tests.inventory.conftest import make_project


def test_matching_projects(lead_b, city_a, fields, topic, projects):
    fn = matching_projects
    make_project(city_a, fields[1], title="Finanziert", status="idea", funding_source="Land")
    make_project(city_a, fields[1], title="Fertig", status="done")
    db.session.commit()
    got = fn(lead_b, city_a.id, [fields[1].id], [topic.id])
    titles = {g["title"] for g in got}
    # open and without funding, sharing the field or the topic; never city-only or drafts for another city
    assert titles == {"Digitale Akte Ettlingen"}
    assert set(got[0]) == {"id", "title", "url", "status", "status_label"}
    assert got[0]["status_label"] == "in Umsetzung" and got[0]["url"].startswith("/vorhaben/projekt/")
    assert fn(lead_b, city_a.id, [], []) == []


def test_city_projects(lead_a, lead_b, city_a, projects):
    fn = city_projects
    assert {t for _i, t in fn(lead_b, city_a.id)} == {"Digitale Akte Ettlingen", "Ladesäulen Ettlingen"}
    own = {t for _i, t in fn(lead_a, city_a.id)}
    assert "Geheimes Vorhaben Ettlingen" in own and "Entwurf Ettlingen" not in own


def test_personal_data_export_and_erase(lead_a, staff_a, fields, projects):
    source = next(s for s in personal_data_sources() if "project" in s["tables"])
    importer.store_upload(lead_a, "liste.csv", "Titel;Handlungsfeld;Status\nA;Digitale Bürgerdienste;Idee\n".encode())
    db.session.commit()
    data = source["export"](staff_a)
    assert [p["title"] for p in data["project"]] == ["Entwurf Ettlingen"]
    assert len(source["export"](lead_a)["project_import"]) == 1
    source["erase"](lead_a)
    db.session.commit()
    assert row_count(ImportUpload) == 0


def test_purge_job_forgets_old_uploads(lead_a, fields):
    old = importer.store_upload(lead_a, "alt.csv", "Titel;Handlungsfeld;Status\nA;B;Idee\n".encode())
    importer.store_upload(lead_a, "neu.csv", "Titel;Handlungsfeld;Status\nA;B;Idee\n".encode())
    db.session.flush()
    db.session.execute(sa.update(ImportUpload).where(ImportUpload.id == old.id)
                       .values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    assert tasks.purge_uploads() == 1
    assert tasks.purge_uploads() == 0  # idempotent
    assert [u.filename for u in db.session.execute(sa.select(ImportUpload)).scalars()] == ["neu.csv"]


def test_staff_may_not_edit_a_colleagues_draft(client, login_as, city_a, staff_a, projects):
    colleague = make_user(city_a, "staff", email="kollege@ettlingen.test")
    db.session.commit()
    login_as(colleague)
    draft = projects["a_draft"]
    assert client.get(f"/vorhaben/projekt/{draft.id}").status_code == 200  # the own city sees drafts
    assert client.get(f"/vorhaben/projekt/{draft.id}/bearbeiten").status_code == 403
    assert client.post(f"/vorhaben/projekt/{draft.id}/loeschen").status_code == 403


def test_release_with_stale_version_changes_nothing(client, login_as, lead_a, projects):
    draft = projects["a_draft"]
    login_as(lead_a)
    resp = client.post(f"/vorhaben/projekt/{draft.id}/freigeben", data={"version": "999"})
    assert resp.status_code == 303
    db.session.expire_all()
    from network.inventory.models import Project
    assert db.session.get(Project, draft.id).is_draft is True
    page = client.get(f"/vorhaben/projekt/{draft.id}").get_data(as_text=True)
    assert "inzwischen von jemand anderem geändert" in page
