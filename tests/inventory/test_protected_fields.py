"""Issue #14 finding 5, checked for the inventory: what only a lead decides (releasing a project, and with it the
visibility it gets) cannot be set by staff through an edit, by form or API alike."""

from network.accounts.services import create_api_token
from network.extensions import db
from network.inventory.models import Project


def _h(user):
    _t, plain = create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_staff_cannot_change_visibility_of_a_released_project(client, login_as, staff_a, projects):
    project = projects["a_network"]
    resp = client.patch(f"/api/v1/projects/{project.id}", headers=_h(staff_a),
                        json={"version": project.version, "visibility": "public"})
    assert resp.status_code == 403
    login_as(staff_a)
    resp = client.post(f"/vorhaben/projekt/{project.id}/bearbeiten", data={
        "title": project.title, "field_id": str(project.field_id), "status": project.status,
        "visibility": "public", "version": str(project.version)})
    assert resp.status_code == 403
    db.session.expire_all()
    assert db.session.get(Project, project.id).visibility == "network"


def test_staff_cannot_release_through_an_edit(client, staff_a, projects):
    draft = projects["a_draft"]
    resp = client.patch(f"/api/v1/projects/{draft.id}", headers=_h(staff_a),
                        json={"version": draft.version, "visibility": "public", "is_draft": False})
    assert resp.status_code == 200 and resp.json["is_draft"] is True


def test_release_covers_the_visibility_the_lead_saw(client, login_as, staff_a, lead_a, projects):
    """Staff changes the draft's visibility after the lead opened it: the lead's release is stale (409)."""
    draft = projects["a_draft"]
    seen = draft.version
    resp = client.patch(f"/api/v1/projects/{draft.id}", headers=_h(staff_a),
                        json={"version": seen, "visibility": "public"})
    assert resp.status_code == 200
    login_as(lead_a)
    resp = client.post(f"/vorhaben/projekt/{draft.id}/freigeben", data={"version": str(seen)})
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(Project, draft.id).is_draft is True
    page = client.get(f"/vorhaben/projekt/{draft.id}").get_data(as_text=True)
    assert "Das Vorhaben wurde inzwischen von jemand anderem geändert." in page
