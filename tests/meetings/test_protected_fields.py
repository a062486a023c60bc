"""Fields an edit must not set beyond the editor's reach (issue #14, finding 5, looked for in meetings).

The responsible city of an action item receives its reminders (tasks.due_notices mails its leads): the form
offers only the body's member cities, and the service now refuses any other city, too.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from network.extensions import db
from network.meetings import services, tasks
from network.meetings.models import ActionItem
from network.core.validation import ValidationFailed
from tests import factories
from tests.meetings.conftest import future, meeting_data


def test_action_item_only_for_a_member_city_of_the_body(as_user, coordinator, fachgruppe, lead_a, city_a, city_c):
    outsider = factories.make_user(city_c, role="lead")
    m = services.create_meeting(coordinator, fachgruppe, meeting_data(future(-3), number="7", host_id=str(city_a.id)))
    db.session.commit()
    client = as_user(lead_a)  # the host city's lead writes the minutes
    due = (date.today() + timedelta(days=1)).isoformat()
    resp = client.post(f"/n/readi/treffen/{m.id}/aufgaben", data={"action_text": "Geheimes Vorhaben",
                                                         "action_city": str(city_c.id), "due_date": due})
    assert resp.status_code == 422
    assert "Die verantwortliche Kommune muss Mitglied des Gremiums sein." in resp.get_data(as_text=True)
    assert db.session.execute(sa.select(ActionItem)).first() is None
    try:
        services.add_action_item(coordinator, m, {"text": "Geheimes Vorhaben", "municipality_id": city_c.id,
                                                  "due_date": due})
    except ValidationFailed as exc:
        assert exc.status == 422 and "action_city" in exc.errors
    else:
        raise AssertionError("an action item for a city outside the body was accepted")
    db.session.rollback()
    # a member city still works, and no reminder ever reaches the outsider city
    services.add_action_item(coordinator, m, {"text": "Offenes Vorhaben", "municipality_id": city_a.id,
                                              "due_date": due})
    services.save_minutes(coordinator, m, "Protokoll", publish=True)
    db.session.commit()
    assert all(user_id != outsider.id for _key, user_id, _kind, _ids in tasks.due_notices())
