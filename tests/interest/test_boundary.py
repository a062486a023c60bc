"""Interest and main pages answer through the one request boundary: a success is kept, a refusal writes nothing."""

import sqlalchemy as sa

from network.accounts.models import User
from network.extensions import db
from network.interest.models import InterestRegistration, NotificationPreference
from tests.conftest import row_count
from tests.interest.conftest import form_data, mails_to


def _api_registration(**over):
    body = {"name": "Api Person", "email": "api@example.org", "kind": "citizen", "municipality": "ettlingen",
            "consent": True}
    body.update(over)
    return body


def test_api_unknown_topic_is_404_and_nothing_is_stored(client, city_a):
    resp = client.post("/api/v1/interest", json=_api_registration(topics=[999_999]))
    assert resp.status_code == 404
    error = resp.get_json()["error"]
    assert error["code"] == "not_found" and "nur Themen aus der Liste" in error["fields"]["topics"]
    assert row_count(InterestRegistration) == 0 and mails_to("api@example.org") == []


def test_form_unknown_city_stays_422_beside_its_list(client, city_a):
    resp = client.post("/mitmachen", data=form_data(municipality="atlantis"))
    assert resp.status_code == 422 and "Bitte wählen Sie eine Kommune aus der Liste" in resp.get_data(as_text=True)
    assert row_count(InterestRegistration) == 0


def test_accepted_registration_is_committed_with_its_mail(client, city_a):
    assert client.post("/mitmachen", data=form_data()).status_code == 302
    db.session.expire_all()
    assert row_count(InterestRegistration) == 1 and len(mails_to("erika@example.org")) == 1


def test_refused_preferences_write_nothing(client, staff_a, login_as):
    login_as(staff_a)
    data = {"pref_topic_lead_changed": "immediately", "pref_practice_published": "stündlich",
            "pref_meeting_scheduled": "weekly", "pref_minutes_published": "weekly",
            "pref_funding_call_published": "weekly", "digest": "y"}
    resp = client.post("/profil/benachrichtigungen", data=data)
    assert resp.status_code == 422 and "sofort, wöchentlich oder aus" in resp.get_data(as_text=True)
    assert 'name="pref_topic_lead_changed"' in resp.get_data(as_text=True)  # the settings page again
    assert row_count(NotificationPreference) == 0


def test_language_switch_is_stored_in_the_profile(client, staff_a, login_as):
    login_as(staff_a)
    assert client.post("/sprache", data={"lang": "en", "next": "/"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.language).where(User.id == staff_a.id)) == "en"
