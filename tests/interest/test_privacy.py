"""Privacy: Impressum/Datenschutz, the personal data export (complete, no secrets), account deletion."""

import json

import sqlalchemy as sa

from network.accounts.models import ApiToken, LoginSession, User
from network.accounts.services import create_api_token
from network.core import audit
from network.core.hooks import personal_data_sources
from network.core.models import AuditEvent, OutboxMessage
from network.extensions import db
from network.interest import privacy, services
from network.interest.models import Follow, InterestRegistration, NotificationPreference
from network.topics import services as topics_services
from tests import factories
from tests.interest.conftest import form_data


def test_legal_pages_render_configured_markdown_safely(app, client):
    app.config.update(IMPRINT_MARKDOWN="## Betreiber\n\nStadt **Ettlingen**\n\n<script>alert(1)</script>",
                      PRIVACY_MARKDOWN="Wir speichern wenig. [Kontakt](javascript:alert(1))",
                      DPO_CONTACT="Datenschutz, datenschutz@ettlingen.example")
    try:
        html = client.get("/impressum").get_data(as_text=True)
        assert "<strong>Ettlingen</strong>" in html and "<script>alert" not in html
        html = client.get("/datenschutz").get_data(as_text=True)
        assert "Wir speichern wenig." in html and 'href="javascript:' not in html
        assert "datenschutz@ettlingen.example" in html and "Datenschutzbeauftragte" in html
        footer = client.get("/").get_data(as_text=True)
        assert 'href="/impressum"' in footer and 'href="/datenschutz"' in footer
    finally:
        app.config.update(IMPRINT_MARKDOWN="", PRIVACY_MARKDOWN="", DPO_CONTACT="")
    assert "noch nicht hinterlegt" in client.get("/impressum").get_data(as_text=True)


def test_instance_file_is_used_when_no_config_key(app, client, tmp_path):
    path = app.instance_path + "/impressum.md"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Impressum aus der Datei")
    try:
        assert "Impressum aus der Datei" in client.get("/impressum").get_data(as_text=True)
    finally:
        import os
        os.remove(path)


def _user_tables():
    """Every table with a column referencing user.id or a column named email."""
    out = set()
    for table in db.metadata.tables.values():
        for col in table.c:
            if col.name == "email" or any(fk.column.table.name == "user" for fk in col.foreign_keys):
                out.add(table.name)
    return out


def test_export_covers_every_table_with_personal_data(app):
    covered = set(privacy.CORE_TABLES)
    for source in personal_data_sources():
        covered |= set(source["tables"])
    missing = _user_tables() - covered
    assert not missing, f"tables with personal data missing from the export: {sorted(missing)}"
    assert {"interest_registration", "follow", "notification_preference", "digest_ledger"} <= covered


def test_export_contains_the_users_data_and_no_secrets(client, city_a, lead_a, staff_a, coordinator, topics,
                                                       login_as):
    topics_services.claim_lead(lead_a, topics[0], note="Wir machen das")
    topics_services.join_topic(lead_a, topics[1], "interested", lead_a.id)
    _tok, plain = create_api_token(lead_a, "Auswertung")
    db.session.add(Follow(user_id=lead_a.id, target_type="topic", target_id=topics[0].id))
    db.session.add(NotificationPreference(user_id=lead_a.id, kind="digest", mode="off"))
    db.session.commit()
    client.post("/mitmachen", data=form_data(email=lead_a.email, name="Lea privat"))
    login_as(lead_a)
    resp = client.get("/profil/daten.json")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    body = resp.get_data(as_text=True)
    data = json.loads(body)
    t = data["tables"]
    assert t["user"][0]["email"] == lead_a.email and t["user"][0]["password_set"] is True
    assert t["api_token"][0]["name"] == "Auswertung" and "token_hash" not in t["api_token"][0]
    assert t["login_session"] and "key_hash" not in t["login_session"][0]
    assert {r["action"] for r in t["audit_event"]} >= {"topic.lead_claimed", "user.login"}
    assert t["lead_claim"][0]["note"] == "Wir machen das"
    assert t["participation"][0]["contact_id"] == lead_a.id
    assert t["follow"][0]["target_id"] == topics[0].id
    assert t["notification_preference"][0]["mode"] == "off"
    assert t["interest_registration"][0]["name"] == "Lea privat"
    assert any("bestätigen" in m["subject"] for m in t["outbox_message"])
    assert lead_a.password_hash not in body and plain not in body
    assert staff_a.email not in body and coordinator.email not in body
    # the API gives the same
    api = client.get("/api/v1/me/export", headers={"Authorization": f"Bearer {plain}"})
    assert api.status_code == 200 and api.get_json()["tables"]["user"][0]["id"] == lead_a.id


def test_delete_account_anonymises_and_keeps_content(client, city_a, lead_a, staff_a, topics, login_as):
    factories.make_user(city_a, "lead", email="zweite@ettlingen.test")  # lead_a is not the only lead
    claim = topics_services.claim_lead(lead_a, topics[0], note="Unser Beitrag")
    create_api_token(lead_a, "weg")
    db.session.add(Follow(user_id=lead_a.id, target_type="topic", target_id=topics[0].id))
    audit.record(lead_a, "test.mail", summary=f"Mail an {lead_a.email} gesendet")
    db.session.commit()
    client.post("/mitmachen", data=form_data(email=lead_a.email))
    login_as(lead_a)
    page = client.get("/profil/konto-loeschen")
    assert page.status_code == 200 and "Konto endgültig löschen" in page.get_data(as_text=True)
    resp = client.post("/profil/konto-loeschen", data={"password": "falsch"})
    assert resp.status_code == 422 and "Das Passwort ist falsch." in resp.get_data(as_text=True)
    resp = client.post("/profil/konto-loeschen", data={"password": factories.PASSWORD})
    assert resp.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, lead_a.id)
    assert user.name == "ehemaliges Mitglied" and user.email.endswith("@konto.invalid")
    assert user.password_hash is None and user.active is False
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id)).where(LoginSession.user_id == user.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(ApiToken.user_id == user.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count(Follow.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(InterestRegistration.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == "lead@ettlingen.test")) == 0
    summaries = db.session.execute(sa.select(AuditEvent.summary)).scalars().all()
    assert not any("lead@ettlingen.test" in s for s in summaries)
    assert "Mail an ehemaliges Mitglied gesendet" in summaries
    # the claim stays with the city, attributed to the former member
    from network.topics.models import LeadClaim
    kept = db.session.get(LeadClaim, claim.id)
    assert kept.municipality_id == city_a.id and kept.requested_by.name == "ehemaliges Mitglied"
    # logged out, and the old password no longer works
    assert client.get("/profil").status_code == 302
    assert client.post("/anmelden", data={"email": "lead@ettlingen.test",
                                          "password": factories.PASSWORD}).status_code == 200


def test_the_last_lead_of_a_city_cannot_delete_the_account(client, city_a, lead_a, login_as):
    login_as(lead_a)
    page = client.get("/profil/konto-loeschen").get_data(as_text=True)
    assert "einzige Leitung von Ettlingen" in page
    resp = client.post("/profil/konto-loeschen", data={"password": factories.PASSWORD})
    assert resp.status_code == 409 and "einzige Leitung von Ettlingen" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, lead_a.id).active is True


def test_staff_can_delete_and_the_last_coordinator_cannot(client, staff_a, coordinator, login_as):
    login_as(coordinator)
    resp = client.post("/profil/konto-loeschen", data={"password": factories.PASSWORD})
    assert resp.status_code == 409 and "einzige Konto der Netzwerkkoordination" in resp.get_data(as_text=True)
    client.post("/abmelden")
    login_as(staff_a)
    assert client.post("/profil/konto-loeschen", data={"password": factories.PASSWORD}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, staff_a.id).name == "ehemaliges Mitglied"


def test_profile_shows_the_privacy_links(client, staff_a, login_as):
    login_as(staff_a)
    html = client.get("/profil").get_data(as_text=True)
    for href in ("/profil/benachrichtigungen", "/profil/daten.json", "/profil/konto-loeschen"):
        assert f'href="{href}"' in html
    assert services.preferences(staff_a)["digest"] == "weekly"
