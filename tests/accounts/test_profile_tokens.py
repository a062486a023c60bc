"""Profile (name, language, password) and personal API tokens."""

import sqlalchemy as sa

from network.accounts.models import ApiToken, User, hash_secret
from network.extensions import db
from tests.conftest import row_count


def test_profile_name_and_language(client, login_as, staff_a):
    login_as(staff_a)
    resp = client.post("/profil", data={"name": "Sami Neu", "language": "en"})
    assert resp.status_code == 302
    user = db.session.get(User, staff_a.id)
    assert (user.name, user.language) == ("Sami Neu", "en")
    assert '<html lang="en">' in client.get("/profil").get_data(as_text=True)


def test_profile_bad_inputs(client, login_as, staff_a):
    login_as(staff_a)
    for data, message in [({"name": "", "language": "de"}, "Bitte geben Sie den Namen an."),
                          ({"name": "y" * 121, "language": "de"}, "höchstens 120 Zeichen"),
                          ({"name": "Ok", "language": "fr"}, "Bitte wählen Sie einen gültigen Wert für die Sprache.")]:
        resp = client.post("/profil", data=data)
        assert resp.status_code == 422
        assert message in resp.get_data(as_text=True)
    user = db.session.get(User, staff_a.id)
    assert (user.name, user.language) == ("Sami Mitarbeit", "de")


def test_change_password_requires_current_and_ends_other_sessions(app, client, login_as, staff_a):
    other = app.test_client()
    other.post("/anmelden", data={"email": staff_a.email, "password": "Richtig-Geheim-123"})
    login_as(staff_a)
    resp = client.post("/profil/passwort", data={"pw-current_password": "falsch", "pw-password": "Neues-Passwort-1",
                                                 "pw-password2": "Neues-Passwort-1"})
    assert resp.status_code == 422 and "Das aktuelle Passwort ist falsch." in resp.get_data(as_text=True)
    assert other.get("/profil").status_code == 200
    resp = client.post("/profil/passwort", data={"pw-current_password": "Richtig-Geheim-123",
                                                 "pw-password": "Neues-Passwort-1", "pw-password2": "Neues-Passwort-1"})
    assert resp.status_code == 302
    assert client.get("/profil").status_code == 200  # this browser stays logged in
    assert other.get("/profil").status_code == 302  # others are logged out
    assert db.session.get(User, staff_a.id).check_password("Neues-Passwort-1")


def test_token_shown_once_stored_hashed_and_revocable(client, login_as, staff_a):
    login_as(staff_a)
    resp = client.post("/profil/tokens", data={"name": "Excel"})
    body = resp.get_data(as_text=True)
    plain = body.split('id="new-token" class="token-value">')[1].split("<")[0]
    assert plain.startswith("stn_")
    token = db.session.execute(sa.select(ApiToken)).scalar_one()
    assert token.token_hash == hash_secret(plain) and plain not in (token.prefix + "x")
    assert plain not in client.get("/profil/tokens").get_data(as_text=True)
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert api.status_code == 200 and api.get_json()["email"] == staff_a.email
    assert client.post(f"/profil/tokens/{token.id}/widerrufen").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_token_bad_name_and_foreign_token(client, login_as, staff_a, staff_b):
    from network.accounts.services import create_api_token
    foreign, _ = create_api_token(staff_b, "fremd")
    db.session.commit()
    login_as(staff_a)
    resp = client.post("/profil/tokens", data={"name": ""})
    assert resp.status_code == 422 and "Bitte geben Sie eine Bezeichnung an." in resp.get_data(as_text=True)
    assert row_count(ApiToken) == 1
    assert client.post(f"/profil/tokens/{foreign.id}/widerrufen").status_code == 404
    assert db.session.get(ApiToken, foreign.id).revoked_at is None
