"""Public registration: double opt-in, expiry, withdrawal, spam protection, the city's list, CSV, API."""

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from network.core.models import AuditEvent, utcnow
from network.extensions import db
from network.interest import services, tasks
from network.interest.models import InterestRegistration
from tests.conftest import row_count
from tests.interest.conftest import form_data, link_in, mails_to


def _regs():
    db.session.expire_all()
    return db.session.execute(sa.select(InterestRegistration).order_by(InterestRegistration.id)).scalars().all()


def _register(client, **over):
    return client.post("/mitmachen", data=form_data(**over))


def _confirm(client, email="erika@example.org"):
    link = link_in(mails_to(email)[-1], "/mitmachen/bestaetigen/")
    page = client.get(link)
    assert page.status_code == 200 and "Ja, Angaben bestätigen" in page.get_data(as_text=True)
    resp = client.post(link)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return resp


def test_form_is_public_and_lists_cities_and_topics(client, city_a, topics):
    resp = client.get("/mitmachen?kommune=ettlingen")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Ettlingen" in html and "e-Akte" in html and "das gesamte Netzwerk" in html
    assert 'selected value="ettlingen"' in html
    assert 'name="started"' in html and 'id="website"' in html


def test_double_opt_in_then_the_lead_sees_it(client, city_a, lead_a, staff_a, topics, login_as):
    resp = _register(client, topics=[str(topics[1].id)])
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/mitmachen/gesendet")
    assert "erika@example.org" in client.get("/mitmachen/gesendet").get_data(as_text=True)
    [reg] = _regs()
    assert reg.confirmed_at is None and reg.token_hash and reg.municipality_id == city_a.id
    [mail] = mails_to("erika@example.org")
    assert "gültig 7 Tage" in mail.body_text and "/mitmachen/zuruecknehmen/" in mail.body_text
    assert reg.token_hash not in mail.body_text  # only the hash is stored
    # before confirmation the city does not see it
    login_as(lead_a)
    assert "Erika Muster" not in client.get("/interessensbekundungen/").get_data(as_text=True)
    client.post("/abmelden")
    page = client.get(link_in(mail, "/mitmachen/bestaetigen/"))
    assert _regs()[0].confirmed_at is None  # a GET (mail scanners) confirms nothing
    assert page.status_code == 200
    resp = _confirm(client)
    assert "ist bestätigt" in resp.get_data(as_text=True)
    reg = _regs()[0]
    assert reg.confirmed_at is not None and reg.token_hash is None
    assert client.post(link_in(mail, "/mitmachen/bestaetigen/")).status_code == 404  # single use
    [notice] = mails_to(lead_a.email)  # the city's lead hears about it (staff do not)
    assert "Neue Interessensbekundung: Erika Muster" == notice.subject
    assert "/interessensbekundungen/?kommune=ettlingen" in notice.body_text and mails_to(staff_a.email) == []
    login_as(lead_a)
    html = client.get("/interessensbekundungen/").get_data(as_text=True)
    assert "Erika Muster" in html and "Open-Data-Portal" in html and "offen" in html
    assert "Interessensbekundungen" in client.get("/").get_data(as_text=True)  # dashboard panel
    client.post("/abmelden")
    login_as(staff_a)
    assert client.get("/interessensbekundungen/").status_code == 403


def test_registrations_are_seen_only_by_the_addressed_city_and_the_coordination(
        client, city_a, city_b, lead_a, lead_b, coordinator, login_as):
    _register(client)
    _confirm(client)
    _register(client, email="netz@example.org", municipality="netzwerk", name="Nina Netz")
    _confirm(client, "netz@example.org")
    reg_a, reg_net = _regs()
    login_as(lead_b)
    html = client.get("/interessensbekundungen/").get_data(as_text=True)
    assert "Erika Muster" not in html and "Nina Netz" not in html
    assert client.get("/interessensbekundungen/?kommune=ettlingen").status_code == 404
    assert client.get("/interessensbekundungen/?kommune=netzwerk").status_code == 403
    assert client.post(f"/interessensbekundungen/{reg_a.id}/kontaktiert", data={"contacted": "1"}).status_code == 404
    assert client.get("/interessensbekundungen.csv?kommune=ettlingen").status_code == 404
    client.post("/abmelden")
    login_as(lead_a)
    html = client.get("/interessensbekundungen/").get_data(as_text=True)
    assert "Erika Muster" in html and "Nina Netz" not in html
    assert client.post(f"/interessensbekundungen/{reg_net.id}/kontaktiert", data={"contacted": "1"}).status_code == 404
    client.post("/abmelden")
    login_as(coordinator)
    html = client.get("/interessensbekundungen/").get_data(as_text=True)
    assert "Erika Muster" in html and "Nina Netz" in html
    html = client.get("/interessensbekundungen/?kommune=netzwerk").get_data(as_text=True)
    assert "Erika Muster" not in html and "Nina Netz" in html


def test_same_address_and_city_updates_instead_of_duplicating(client, city_a, city_b, lead_a, login_as):
    _register(client, message="Erste Nachricht")
    _register(client, message="Zweite Nachricht", name="Erika M.")
    regs = _regs()
    assert len(regs) == 1 and regs[0].message == "Zweite Nachricht" and regs[0].name == "Erika M."
    assert len(mails_to("erika@example.org")) == 2
    _confirm(client)
    # another city: a second registration
    _register(client, municipality="buehl")
    assert len(_regs()) == 2
    # a change of a confirmed registration waits for its own confirmation
    _register(client, message="Dritte Nachricht", email="ERIKA@example.org")
    reg = next(r for r in _regs() if r.municipality_id == city_a.id)
    assert reg.message == "Zweite Nachricht" and reg.pending_data["message"] == "Dritte Nachricht"
    assert reg.confirmed_at is not None
    _confirm(client)
    reg = next(r for r in _regs() if r.municipality_id == city_a.id)
    assert reg.message == "Dritte Nachricht" and reg.pending_data is None and len(_regs()) == 2


def test_expired_link_and_purge_of_unconfirmed(client, city_a, app):
    _register(client)
    _register(client, email="ok@example.org")
    _confirm(client, "ok@example.org")
    link = link_in(mails_to("erika@example.org")[-1], "/mitmachen/bestaetigen/")
    reg = next(r for r in _regs() if r.email == "erika@example.org")
    reg.token_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    resp = client.post(link)
    assert resp.status_code == 410 and "abgelaufen" in resp.get_data(as_text=True)
    assert tasks.purge_unconfirmed() == {"deleted": 1, "changes_dropped": 0}
    assert [r.email for r in _regs()] == ["ok@example.org"]  # the confirmed one stays
    # not yet expired: kept
    _register(client, email="neu@example.org")
    assert tasks.purge_unconfirmed()["deleted"] == 0
    assert tasks.purge_unconfirmed(utcnow() + timedelta(days=7, minutes=1))["deleted"] == 1


def test_withdraw_link_deletes_everything(client, city_a, topics):
    _register(client, topics=[str(topics[0].id)])
    _confirm(client)
    link = link_in(mails_to("erika@example.org")[0], "/mitmachen/zuruecknehmen/")
    page = client.get(link)
    assert page.status_code == 200 and "endgültig löschen" in page.get_data(as_text=True)
    assert len(_regs()) == 1
    assert client.post(link).status_code == 200
    assert _regs() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(
        db.metadata.tables["interest_registration_topic"])) == 0
    assert client.get(link).status_code == 404
    summaries = db.session.execute(sa.select(AuditEvent.summary)).scalars().all()
    assert not any("erika" in s.lower() for s in summaries)  # the audit log keeps no personal data
    assert client.get("/mitmachen/zuruecknehmen/manipuliert").status_code == 404


@pytest.mark.parametrize("over, field, message", [
    ({"email": "keine-adresse"}, "email", "gültige E-Mail-Adresse"),
    ({"name": ""}, "name", "Bitte geben Sie Ihren Namen an."),
    ({"consent": ""}, "consent", "Bitte stimmen Sie der Verarbeitung"),
    ({"municipality": "gibt-es-nicht"}, "municipality", "Bitte wählen Sie eine Kommune aus der Liste"),
    ({"municipality": ""}, "municipality", "an welche Kommune sich Ihr Interesse richtet"),
    ({"kind": "roboter"}, "kind", "gültigen Wert"),
    ({"topics": ["999999"]}, "topics", "nur Themen aus der Liste"),
    ({"message": "x" * 2001}, "message", "höchstens 2000 Zeichen"),
])
def test_bad_input_is_refused_beside_its_field(client, city_a, over, field, message):
    resp = _register(client, **over)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and message in html
    assert f'id="{field}-error"' in html or (field == "topics" and 'id="topics-error"' in html)
    assert row_count(InterestRegistration) == 0 and mails_to(over.get("email", "erika@example.org")) == []
    assert 'value="Erika Muster"' in html or field == "name"  # the input stays


def test_spam_protection_honeypot_and_minimum_fill_time(client, city_a, app):
    resp = _register(client, website="http://spam.example")
    assert resp.status_code == 422 and "automatisiert" in resp.get_data(as_text=True)
    resp = _register(client, started="gefaelscht")
    assert resp.status_code == 422 and "unvollständig" in resp.get_data(as_text=True)
    app.config["INTEREST_MIN_FILL_SECONDS"] = 30
    resp = _register(client)
    assert resp.status_code == 422 and "sehr schnell" in resp.get_data(as_text=True)
    assert row_count(InterestRegistration) == 0
    # a person who took their time passes
    resp = _register(client, started=services.form_started_token(time.time() - 31))
    assert resp.status_code == 302 and row_count(InterestRegistration) == 1


def test_public_form_and_api_are_rate_limited(database_url):
    from network import create_app
    from network.extensions import limiter
    before = limiter.enabled
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, "RATELIMIT_INTEREST": "2 per minute",
                          "MAIL_BACKEND": "locmem", "INTEREST_MIN_FILL_SECONDS": 0})
        client = app.test_client()
        codes = [client.post("/mitmachen", data={"name": ""}).status_code for _ in range(3)]
        assert codes[-1] == 429 and codes[:2] != [429, 429]
        assert client.get("/mitmachen").status_code == 200  # only POST is limited
        codes = [client.post("/api/v1/interest", json={}).status_code for _ in range(3)]
        assert codes == [422, 422, 429]
        assert client.post("/api/v1/interest", json={}).get_json()["error"]["code"] == "rate_limited"
    finally:
        limiter.reset()
        limiter.enabled = before


def test_mark_contacted_filter_by_topic_and_csv(client, city_a, lead_a, topics, login_as):
    _register(client, topics=[str(topics[0].id)], name="=HYPERLINK(\"http://boese\")")
    _confirm(client)
    _register(client, email="zwei@example.org", name="Zweite Person", topics=[str(topics[1].id)])
    _confirm(client, "zwei@example.org")
    login_as(lead_a)
    html = client.get(f"/interessensbekundungen/?thema={topics[1].slug}").get_data(as_text=True)
    assert "Zweite Person" in html and "HYPERLINK" not in html
    reg = next(r for r in _regs() if r.email == "zwei@example.org")
    resp = client.post(f"/interessensbekundungen/{reg.id}/kontaktiert",
                       data={"contacted": "1", "next": "/interessensbekundungen/"})
    assert resp.status_code == 302
    reg = next(r for r in _regs() if r.email == "zwei@example.org")
    assert reg.contacted_at is not None and reg.contacted_by_id == lead_a.id
    assert "kontaktiert am" in client.get("/interessensbekundungen/").get_data(as_text=True)
    csv = client.get("/interessensbekundungen.csv")
    text = csv.get_data(as_text=True)
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "'=HYPERLINK" in text and "Zweite Person" in text
    only = client.get(f"/interessensbekundungen.csv?thema={topics[0].slug}").get_data(as_text=True)
    assert "Zweite Person" not in only
    client.post(f"/interessensbekundungen/{reg.id}/kontaktiert", data={"contacted": "0"})
    assert next(r for r in _regs() if r.email == "zwei@example.org").contacted_at is None


def test_list_query_count_does_not_grow(client, city_a, lead_a, topics, login_as, count_queries):
    def fill(n, start):
        for i in range(start, start + n):
            reg = InterestRegistration(name=f"P {i}", email=f"p{i}@example.org", municipality_id=city_a.id,
                                       withdraw_nonce="x", confirmed_at=utcnow(), kind="citizen")
            reg.topics = [topics[0], topics[1]]
            db.session.add(reg)
        db.session.commit()
    login_as(lead_a)
    fill(10, 0)
    with count_queries() as small:
        assert client.get("/interessensbekundungen/").status_code == 200
    fill(1000, 10)
    with count_queries() as big:
        assert client.get("/interessensbekundungen/").status_code == 200
    assert len(small) == len(big), (len(small), len(big))


def test_api_public_registration_and_city_list(client, app, city_a, city_b, lead_a, lead_b, staff_a, topics):
    from network.accounts.services import create_api_token
    resp = client.post("/api/v1/interest", json={"name": "Api Person", "email": "api@example.org", "kind": "company",
                                                  "organisation": "Firma", "municipality": "ettlingen",
                                                  "topics": [topics[0].id], "consent": True})
    assert resp.status_code == 202, resp.get_json()
    assert resp.get_json()["status"] == "pending_confirmation"
    bad = client.post("/api/v1/interest", json={"email": "x", "municipality": "ettlingen"})
    assert bad.status_code == 422
    body = bad.get_json()["error"]
    assert body["code"] == "invalid" and "email" in body["fields"] and "consent" in body["fields"]
    assert body["fields"]["consent"] == "Diese Angabe fehlt."
    assert client.post("/api/v1/interest", json={"website": "x"}).status_code == 422
    unknown = client.post("/api/v1/interest", json={"name": "A", "email": "a@example.org", "kind": "citizen",
                                                     "municipality": "atlantis", "consent": True})
    assert unknown.status_code == 404 and "municipality" in unknown.get_json()["error"]["fields"]
    _confirm(client, "api@example.org")
    tokens = {}
    for u in (lead_a, lead_b, staff_a):
        tokens[u.email] = create_api_token(u, "t")[1]
    db.session.commit()

    def get(user, url):
        return client.get(url, headers={"Authorization": f"Bearer {tokens[user.email]}"})
    resp = get(lead_a, "/api/v1/municipalities/ettlingen/interest")
    assert resp.status_code == 200
    [row] = resp.get_json()
    assert row["email"] == "api@example.org" and row["topics"][0]["slug"] == topics[0].slug
    assert get(lead_a, f"/api/v1/municipalities/ettlingen/interest?topic={topics[1].slug}").get_json() == []
    assert get(lead_b, "/api/v1/municipalities/ettlingen/interest").status_code == 404
    assert get(staff_a, "/api/v1/municipalities/ettlingen/interest").status_code == 403
    assert client.get("/api/v1/municipalities/ettlingen/interest").status_code == 401
