"""#14 finding 5: changing who may read a published practice is a lead's decision, like publishing it.

Staff of the city may still edit the text of a published practice, and may choose the visibility of a draft
(the lead decides on it when publishing); form, API and service share the one check in the service.
"""

import pytest

from network.accounts.services import create_api_token
from network.core.validation import ValidationFailed
from network.extensions import db
from network.practices import services
from network.practices.models import Practice
from tests.practices.conftest import write

MESSAGE = "Die Sichtbarkeit eines veröffentlichten Praxisberichts ändert nur eine Leitung Ihrer Kommune."


def _edit_form(practice, **over):
    data = {"title": practice.title, "summary": practice.summary or "", "visibility": practice.visibility,
            "field_id": "", "tags": "", "version": str(practice.version), "action": "save"}
    data.update(over)
    return data


def _api(client, user, method, url, json):
    _t, token = create_api_token(user, "test")
    db.session.commit()
    return client.open(url, method=method, json=json, headers={"Authorization": f"Bearer {token}"})


def _visibility(practice_id):
    db.session.expire_all()
    return db.session.get(Practice, practice_id).visibility


def test_staff_cannot_make_a_published_practice_public_by_form(login_as, staff_a, lead_a):
    p = write(staff_a, "Digitale Bauakte", publish_as=lead_a)
    resp = login_as(staff_a).post(f"/praxis/{p.id}/bearbeiten", data=_edit_form(p, visibility="public"))
    assert resp.status_code == 403
    assert MESSAGE in resp.get_data(as_text=True)
    assert _visibility(p.id) == "network"


def test_staff_cannot_make_a_published_practice_public_by_api(client, staff_a, lead_a):
    p = write(staff_a, "Digitale Bauakte", publish_as=lead_a)
    resp = _api(client, staff_a, "PATCH", f"/api/v1/practices/{p.id}", {"version": p.version, "visibility": "public"})
    assert resp.status_code == 403
    assert resp.json["error"]["code"] == "forbidden" and resp.json["error"]["fields"]["visibility"] == MESSAGE
    assert _visibility(p.id) == "network"


@pytest.mark.parametrize("archived", [False, True])
def test_the_service_refuses_staff_and_lets_the_lead(staff_a, lead_a, archived):
    p = write(staff_a, "Digitale Bauakte", visibility="public", publish_as=lead_a)
    if archived:
        services.archive_practice(lead_a, p)
        db.session.commit()
    data = {"title": p.title, "visibility": "network"}
    with pytest.raises(ValidationFailed) as exc:
        services.update_practice(staff_a, p, data, version=p.version)
    assert exc.value.status == 403 and exc.value.errors == {"visibility": MESSAGE}
    db.session.rollback()
    services.update_practice(lead_a, p, data, version=p.version)
    db.session.commit()
    assert _visibility(p.id) == "network"


def test_lead_changes_visibility_by_form_and_api(client, login_as, staff_a, lead_a):
    p = write(staff_a, "Digitale Bauakte", publish_as=lead_a)
    resp = login_as(lead_a).post(f"/praxis/{p.id}/bearbeiten", data=_edit_form(p, visibility="public"))
    assert resp.status_code == 302 and _visibility(p.id) == "public"
    p = db.session.get(Practice, p.id)
    resp = _api(client, lead_a, "PATCH", f"/api/v1/practices/{p.id}", {"version": p.version, "visibility": "network"})
    assert resp.status_code == 200 and resp.json["visibility"] == "network"


def test_staff_still_edit_the_text_of_a_published_practice_and_choose_a_drafts_visibility(client, login_as,
                                                                                            staff_a, lead_a):
    p = write(staff_a, "Digitale Bauakte", publish_as=lead_a)
    c = login_as(staff_a)
    resp = c.post(f"/praxis/{p.id}/bearbeiten", data=_edit_form(p, title="Digitale Bauakte 2.0"))
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Practice, p.id).title == "Digitale Bauakte 2.0"
    draft = write(staff_a, "Entwurf")
    resp = c.post(f"/praxis/{draft.id}/bearbeiten", data=_edit_form(draft, visibility="public"))
    assert resp.status_code == 302 and _visibility(draft.id) == "public"
