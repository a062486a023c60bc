"""Issue #14 findings 6, 7, 9, 10, 11: no-store exports, credentials that really end, single-line texts,
invitations without enumeration, API tokens with scope and expiry."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from network.accounts.models import ApiToken, LoginSession
from network.accounts.services import create_api_token
from network.accounts.signals import credentials_revoked
from network.core.models import AuditEvent, OutboxMessage, utcnow
from network.extensions import db
from tests import factories
from tests.conftest import login, row_count

NEW = "Ganz-Neu-Geheim-9"


def _mails(address, template_word=""):
    db.session.expire_all()
    return [m for m in db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)
                                          .order_by(OutboxMessage.id)).scalars() if template_word in m.body_text]


def _reset_link(client, user):
    assert client.post("/passwort-vergessen", data={"email": user.email}).status_code == 302
    text = _mails(user.email, "/passwort-zuruecksetzen/")[-1].body_text
    return re.search(r"http://staedtenetz\.test(/passwort-zuruecksetzen/\S+)", text).group(1)


def _bearer(user, **kw):
    _t, plain = create_api_token(user, "test", **kw)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def revoked():
    seen = []

    def listener(sender, **payload):
        seen.append((payload["user"].id, payload["reason"]))

    credentials_revoked.connect(listener)
    yield seen
    credentials_revoked.disconnect(listener)


# --- finding 6 ---------------------------------------------------------------------------------


def test_every_private_export_is_no_store(client, login_as, lead_a, city_a):
    from network.inventory import services as inventory
    from tests.inventory.conftest import make_field
    make_field("Digitale Bürgerdienste")
    db.session.commit()
    report = inventory.freeze_report(lead_a, {"year": 2026, "visibility": "network"})
    db.session.commit()
    login_as(lead_a)
    for url in ("/profil/daten.json", "/interessensbekundungen.csv", "/vorhaben/ettlingen/export.csv",
                f"/vorhaben/bericht/{report.id}.csv", "/n/readi/themen/matrix.csv"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.mimetype != "text/html", url
        assert "no-store" in resp.headers.get("Cache-Control", ""), url


def test_login_answer_setting_the_session_cookie_is_no_store(client, lead_a):
    resp = client.post("/anmelden", data={"email": lead_a.email, "password": factories.PASSWORD})
    assert resp.status_code == 302 and "staedtenetz_session" in resp.headers.get("Set-Cookie", "")
    assert resp.headers["Cache-Control"] == "no-store"


def test_public_non_html_stays_cacheable_for_visitors(client):
    resp = client.get("/static/css/app.css")
    assert "no-store" not in resp.headers.get("Cache-Control", "")


# --- finding 7 ---------------------------------------------------------------------------------


def test_password_change_ends_reset_links_and_other_sessions(app, client, lead_a, revoked):
    link = _reset_link(client, lead_a)
    other = app.test_client()
    login(other, lead_a)
    headers = _bearer(lead_a)
    login(client, lead_a)
    resp = client.post("/profil/passwort", data={"pw-current_password": factories.PASSWORD, "pw-password": NEW,
                                                 "pw-password2": NEW})
    assert resp.status_code == 302
    assert client.get("/profil").status_code == 200  # this browser stays
    assert other.get("/profil").status_code == 302  # the other one is out
    resp = client.get(link)
    assert resp.status_code == 410  # the link requested before the change is dead
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # a change keeps the tokens
    assert revoked == [(lead_a.id, "password_changed")]
    mail = _mails(lead_a.email, "Dabei wurde beendet")[-1]
    assert "anderen Browsern (1)" in mail.body_text and "Links zum Zurücksetzen des Passworts (1)" in mail.body_text


def test_password_reset_ends_sessions_tokens_and_feed(app, client, lead_a, revoked):
    browser = app.test_client()
    login(browser, lead_a)
    headers = _bearer(lead_a)
    first = _reset_link(client, lead_a)
    second = _reset_link(client, lead_a)  # the newer link replaces the first
    resp = client.post(second, data={"password": NEW, "password2": NEW})
    assert resp.status_code == 302
    assert browser.get("/profil").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get(first).status_code == 410 and client.get(second).status_code == 410
    assert revoked == [(lead_a.id, "password_reset")]
    assert row_count(LoginSession) == 0
    text = _mails(lead_a.email, "Dabei wurde beendet")[-1].body_text
    assert "API-Tokens (1)" in text and "Kalender-Feed" in text and "Browsern (1)" in text


def test_deactivation_sends_the_revocation_signal(client, login_as, lead_a, staff_a, revoked):
    login_as(lead_a)
    assert client.post(f"/kommunen/ettlingen/konten/{staff_a.id}/aktiv", data={"active": "0"}).status_code == 302
    assert revoked == [(staff_a.id, "deactivated")]


# --- finding 9 ---------------------------------------------------------------------------------

SINGLE_LINE = "Bitte geben Sie hier nur eine Zeile ein"


@pytest.mark.parametrize("bad", ["Titel\nBcc: alle@example.org", "Titel\r\nX", "Ti\ttel", "Ti\x07tel", "Ti\u2028tel"])
def test_single_line_title_refuses_control_characters_form_and_api(client, login_as, staff_a, bad):
    from network.inventory.models import Project
    from tests.inventory.conftest import make_field
    field = make_field("Digitale Bürgerdienste")
    db.session.commit()
    resp = client.post("/api/v1/municipalities/ettlingen/projects", headers=_bearer(staff_a),
                       json={"title": bad, "field_id": field.id, "status": "idea"})
    assert resp.status_code == 422 and SINGLE_LINE in resp.json["error"]["fields"]["title"]
    login_as(staff_a)
    resp = client.post("/vorhaben/ettlingen/neu", data={"title": bad, "field_id": field.id, "status": "idea",
                                                        "visibility": "network", "priority": "medium"})
    assert resp.status_code == 422 and SINGLE_LINE in resp.get_data(as_text=True)
    assert row_count(Project) == 0


def test_multi_line_texts_keep_their_line_breaks():
    from network.core.validation import Checker
    c = Checker()
    assert c.text("description", "Zeile 1\r\nZeile 2\n\tEingerückt", label="x") == "Zeile 1\r\nZeile 2\n\tEingerückt"
    assert c.text("summary", "a\x00b\x07", label="x", multiline=True) and "summary" in c.errors
    assert not c.text("note", "ok", label="x", multiline=False) == "" and "note" not in c.errors


def test_profile_name_with_line_break_is_refused(client, login_as, lead_a):
    login_as(lead_a)
    resp = client.post("/profil", data={"name": "Lea\r\nBcc: x@example.org", "language": "de"})
    assert resp.status_code == 422 and SINGLE_LINE in resp.get_data(as_text=True)


# --- finding 10 --------------------------------------------------------------------------------


def test_invite_answers_alike_for_new_and_existing_addresses(client, login_as, lead_a, lead_b, coordinator):
    login_as(lead_a)
    answers = []
    for email in ("ganz-neu@ettlingen.test", lead_b.email, coordinator.email.upper()):
        resp = client.post("/kommunen/ettlingen/konten", data={"name": "Jemand", "email": email, "role": "staff"},
                           follow_redirects=True)
        body = resp.get_data(as_text=True)
        flash = re.search(r"Die Einladung an (\S+) ist unterwegs", body)
        answers.append((resp.status_code, bool(flash), "bereits" in body))
    assert answers == [(200, True, False)] * 3
    # the owner of the existing account is told; no second account, no invitation link for them
    told = _mails(lead_b.email)
    assert len(told) == 1 and "bereits ein Konto" in told[0].body_text and "/einladung/" not in told[0].body_text
    assert db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "user.invited_existing")).scalars().all()


# --- finding 11 --------------------------------------------------------------------------------


def test_read_token_cannot_write(client, lead_a, staff_a):
    from tests.inventory.conftest import make_field
    field = make_field("Digitale Bürgerdienste")
    db.session.commit()
    read = _bearer(staff_a, scope="read")
    assert client.get("/api/v1/me", headers=read).status_code == 200
    for method, url in (("post", "/api/v1/municipalities/ettlingen/projects"), ("patch", "/api/v1/projects/1"),
                        ("put", "/api/v1/me/follows"), ("put", "/api/v1/funding-calls/1/interest"),
                        ("delete", "/api/v1/projects/1")):
        resp = getattr(client, method)(url, headers=read, json={"title": "X", "field_id": field.id, "status": "idea"})
        assert resp.status_code == 403, (method, url)
        assert resp.json["error"]["code"] == "forbidden" and "nur lesen" in resp.json["error"]["message"]
    write = _bearer(staff_a, scope="read-write")
    resp = client.post("/api/v1/municipalities/ettlingen/projects", headers=write,
                       json={"title": "X", "field_id": field.id, "status": "idea"})
    assert resp.status_code == 201


def test_expired_token_answers_401(client, lead_a):
    headers = _bearer(lead_a, days=30)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    resp = client.get("/api/v1/me", headers=headers)
    assert resp.status_code == 401 and resp.json["error"]["code"]


def test_token_form_scope_lifetime_and_list(client, login_as, lead_a):
    login_as(lead_a)
    page = client.get("/profil/tokens").get_data(as_text=True)
    assert 'value="365" selected' in page or 'selected value="365"' in page
    resp = client.post("/profil/tokens", data={"name": "Auswertung", "scope": "read", "days": "90"})
    assert resp.status_code == 200
    token = db.session.execute(sa.select(ApiToken)).scalar_one()
    assert token.scope == "read"
    assert timedelta(days=89) < token.expires_at - utcnow() <= timedelta(days=90)
    body = resp.get_data(as_text=True)
    assert "Nur lesen" in body and "noch nie" in body and "Läuft ab" in body
    for data, field_message in (({"name": "X", "scope": "admin", "days": "90"}, "gültigen Wert"),
                                ({"name": "X", "scope": "read", "days": "7"}, "30, 90 oder 365"),
                                ({"name": "X\nY", "scope": "read", "days": "90"}, SINGLE_LINE)):
        resp = client.post("/profil/tokens", data=data)
        assert resp.status_code == 422 and field_message in resp.get_data(as_text=True), data
    assert row_count(ApiToken) == 1
    headers = {"Authorization": "Bearer " + re.search(r'id="new-token"[^>]*>([^<]+)<', body).group(1)}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    page = client.get("/profil/tokens").get_data(as_text=True)
    assert "noch nie" not in page
