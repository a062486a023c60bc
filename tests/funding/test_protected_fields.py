"""Protected fields of an application (issue #14, finding 5, looked for in funding): status, title and amounts are the
lead city's leads' decision, a share is its own city's; staff and partner cities get 403 through the form and the
API alike, and nothing changes."""

import pytest

from network.extensions import db
from network.funding.models import Application, ApplicationMember
from tests.funding.conftest import api_headers

#: (who, field sent, value) — each may not set it
REFUSED = [("staff_a", "status", "submitted"), ("staff_a", "requested_amount", "1"), ("staff_a", "share_amount", "1"),
           ("lead_b", "status", "submitted"), ("lead_b", "title", "Umbenannt"), ("lead_b", "requested_amount", "1"),
           ("lead_b", "granted_amount", "1"), ("coordinator", "status", "withdrawn")]
FORM_PATH = {"status": "status", "title": "status", "requested_amount": "status", "granted_amount": "status",
             "share_amount": "anteil"}


def _state(joint_id):
    db.session.expire_all()
    a = db.session.get(Application, joint_id)
    return (a.status, a.title, a.requested_amount, a.granted_amount, a.version,
            sorted((m.municipality_id, m.share_amount) for m in db.session.query(ApplicationMember)
                   .filter_by(application_id=joint_id)))


@pytest.mark.parametrize("who, key, value", REFUSED, ids=[f"{w}-{k}" for w, k, _v in REFUSED])
def test_lower_roles_cannot_set_protected_fields(request, client, login_as, joint, who, key, value):
    user = request.getfixturevalue(who)
    before = _state(joint.id)
    login_as(user)
    resp = client.post(f"/foerderung/antraege/{joint.id}/{FORM_PATH[key]}",
                       data={key: value, "version": str(joint.version)})
    assert resp.status_code == 403, ("form", resp.status_code)
    resp = client.patch(f"/api/v1/applications/{joint.id}", headers=api_headers(user), json={key: value})
    assert resp.status_code == 403, ("api", resp.status_code)
    assert _state(joint.id) == before
