"""Single sign-on with SAML 2.0 against a real pysaml2 IdP on loopback (issue #18): the IdP's signed answer is
posted to our ACS with the Flask test client."""

import base64
import re
from html import unescape

import pytest
import sqlalchemy as sa

from network.accounts.models import User
from network.core.models import AuditEvent
from network.extensions import db
from network.sso.models import SamlAssertion, SsoIdentity
from tests import factories
from tests.conftest import row_count
from tests.idp import ACCOUNTS
from tests.idp.saml_idp import subject_of
from tests.sso.conftest import audit_actions, user_by_email

pytestmark = pytest.mark.slow


def _reasons():
    return [e.details["reason"] for e in audit_actions("sso.refused")]


def _logged_in(client):
    return client.get("/profil").status_code == 200


def _refused(run, status=400, text="ungültig oder abgelaufen"):
    html = run.response.get_data(as_text=True)
    assert run.response.status_code == status, html[-1500:]
    assert "Anmeldung abgelehnt" in html and text in html and "Es wurde nichts gespeichert" in html
    assert not _logged_in(run.client)


def test_first_login_creates_the_account_in_the_city_with_the_mapped_role(ettlingen_saml, city_a, saml_login):
    run = saml_login("anna.leitung@ettlingen.de")
    assert run.response.status_code == 302, run.response.get_data(as_text=True)[-1500:]
    anna = user_by_email("anna.leitung@ettlingen.de")
    assert anna is not None and anna.municipality_id == city_a.id
    assert anna.role == "lead" and anna.name == "Anna Leitung" and anna.password_hash is None
    assert _logged_in(run.client)
    identity = db.session.execute(sa.select(SsoIdentity)).scalar_one()
    assert identity.user_id == anna.id and identity.subject == subject_of("anna.leitung@ettlingen.de")
    created = audit_actions("sso.user_created")
    assert len(created) == 1 and created[0].municipality_id == city_a.id
    assert len(audit_actions("sso.login")) == 1
    # the request and the assertion are remembered until they expire
    assert row_count(SamlAssertion) == 2


def test_staff_by_default_and_the_second_login_updates_the_name(ettlingen_saml, saml_idp, saml_login):
    assert saml_login("sami.mitarbeit@ettlingen.de").response.status_code == 302
    sami = user_by_email("sami.mitarbeit@ettlingen.de")
    assert sami.role == "staff" and sami.name == "Sami Mitarbeit"
    saml_idp.accounts = {**ACCOUNTS, "sami.mitarbeit@ettlingen.de": {"name": "Sami Umbenannt",
                                                                     "groups": ["staedtenetz-leitung"]}}
    assert saml_login("sami.mitarbeit@ettlingen.de").response.status_code == 302
    again = user_by_email("sami.mitarbeit@ettlingen.de")
    assert again.id == sami.id and again.name == "Sami Umbenannt" and again.role == "staff"
    assert row_count(SsoIdentity) == 1
    assert [e.details["fields"] for e in audit_actions("sso.user_updated")] == [["name"]]


def test_the_idp_of_ettlingen_cannot_log_in_an_address_of_another_domain(ettlingen_saml, city_a, saml_login):
    before = row_count(User)
    run = saml_login("anna.leitung@ettlingen.de", login="hans.fremd@bruchsal.de")
    _refused(run, 403, "gilt nur für Adressen von ettlingen.de")
    assert row_count(User) == before and row_count(SsoIdentity) == 0 and row_count(SamlAssertion) == 0
    assert [(e.details["reason"], e.municipality_id) for e in audit_actions("sso.refused")] == [
        ("foreign_domain", city_a.id)]


def test_a_deactivated_account_stays_deactivated(ettlingen_saml, lead_a, saml_login):
    from network.accounts.services import set_active
    assert saml_login("sami.mitarbeit@ettlingen.de").response.status_code == 302
    set_active(lead_a, user_by_email("sami.mitarbeit@ettlingen.de"), False)
    db.session.commit()
    run = saml_login("sami.mitarbeit@ettlingen.de")
    _refused(run, 403, "deaktiviert")
    assert not user_by_email("sami.mitarbeit@ettlingen.de").active
    assert _reasons() == ["deactivated"]


def _tamper_name(form):
    xml = base64.b64decode(form["SAMLResponse"]).decode()
    assert "Sami Mitarbeit" in xml
    form["SAMLResponse"] = base64.b64encode(xml.replace("Sami Mitarbeit", "Sami Chefin").encode()).decode()
    return form


def _drop_relay(form):
    form["RelayState"] = form["RelayState"][:-4] + "AAAA"
    return form


@pytest.mark.parametrize("setup, tamper, reason", [
    pytest.param(None, _tamper_name, "signature", id="tampered"),
    pytest.param(lambda idp: setattr(idp, "lifetime", {"minutes": -10}), None, "conditions",
                 id="validity-window-in-the-past"),
    pytest.param(lambda idp: setattr(idp, "audience", "https://andere-kommune.example/saml"), None, "audience",
                 id="wrong-audience"),
    pytest.param(None, _drop_relay, "relay_state", id="foreign-relay-state"),
    pytest.param(lambda idp: setattr(idp, "sign_assertion", False), None, "signature", id="unsigned"),
    pytest.param(lambda idp: (setattr(idp, "sign_assertion", False), setattr(idp, "sign_response", True)), None,
                 "signature", id="only-the-response-signed"),
])
def test_a_bad_answer_is_refused_in_german_and_nothing_is_written(ettlingen_saml, saml_idp, saml_login, setup,
                                                                  tamper, reason):
    if setup:
        setup(saml_idp)
    users = row_count(User)
    run = saml_login("sami.mitarbeit@ettlingen.de", tamper=tamper)
    _refused(run, 400, "Bitte starten Sie die Anmeldung erneut")
    assert row_count(User) == users and row_count(SsoIdentity) == 0 and row_count(SamlAssertion) == 0
    assert _reasons() == [reason], [e.details["detail"] for e in audit_actions("sso.refused")]


def test_an_expired_answer_is_refused(ettlingen_saml, saml_idp, saml_login, monkeypatch):
    """The IdP issues an assertion valid for a minute; it reaches our ACS two hours later."""
    from saml2 import time_util
    saml_idp.lifetime = {"minutes": 1}
    real = time_util.utc_now

    def late(form):
        monkeypatch.setattr(time_util, "utc_now", lambda: real() + 2 * 3600)
        return form
    run = saml_login("sami.mitarbeit@ettlingen.de", tamper=late)
    _refused(run, 400, "Bitte starten Sie die Anmeldung erneut")
    assert user_by_email("sami.mitarbeit@ettlingen.de") is None and row_count(SamlAssertion) == 0
    assert _reasons() == ["expired"], [e.details["detail"] for e in audit_actions("sso.refused")]


def test_a_replayed_answer_is_refused(ettlingen_saml, app, saml_login):
    run = saml_login("sami.mitarbeit@ettlingen.de")
    assert run.response.status_code == 302
    # the same answer again: by another browser, and by the same one
    for client in (app.test_client(), run.client):
        again = client.post(run.path, data=run.form)
        html = again.get_data(as_text=True)
        assert again.status_code == 400 and "bereits verwendet" in html
    assert _reasons() == ["replay", "replay"]
    assert len(audit_actions("sso.login")) == 1 and row_count(SamlAssertion) == 2


def test_logout_ends_our_session_and_the_idps(ettlingen_saml, saml_idp, saml_login):
    run = saml_login("sami.mitarbeit@ettlingen.de")
    client = run.client
    resp = client.post("/abmelden")
    assert resp.status_code == 302 and resp.location.endswith("/abgemeldet")
    html = client.get("/abgemeldet").get_data(as_text=True)
    url = unescape(re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1))
    assert url.startswith(f"{saml_idp.base}/slo?SAMLRequest=") and "Signature=" in url
    assert not _logged_in(client)
    back = run.browser.get(url, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:500]
    assert back.headers["Location"].startswith("http://staedtenetz.test/anmelden/saml/ettlingen/slo?SAMLResponse=")
    assert saml_idp.logouts == [subject_of("sami.mitarbeit@ettlingen.de")]
    done = client.get(back.headers["Location"].removeprefix("http://staedtenetz.test"))
    assert done.status_code == 302 and done.location.endswith("/")


def test_without_an_slo_endpoint_only_our_session_ends(ettlingen_saml, saml_idp, saml_login, app):
    saml_idp.with_slo = False
    from network.sso import saml, services
    provider = services.provider_of(ettlingen_saml.municipality)
    saml.forget_metadata(provider.id)
    run = saml_login("sami.mitarbeit@ettlingen.de")
    resp = run.client.post("/abmelden")
    assert resp.status_code == 302 and not resp.location.endswith("/abgemeldet")
    assert not _logged_in(run.client)


def test_the_idp_down_at_login_says_so_and_offers_the_password(ettlingen_saml, city_a, client):
    from tests.conftest import free_port
    from network.sso import saml
    mia = factories.make_user(city_a, "staff", email="mia@ettlingen.de", name="Mia")
    ettlingen_saml.metadata_url = f"http://127.0.0.1:{free_port()}/metadata"
    db.session.commit()
    saml.forget_metadata(ettlingen_saml.id)
    events = row_count(AuditEvent)
    assert client.post("/anmelden", data={"email": "mia@ettlingen.de", "password": ""}).status_code == 302
    resp = client.get("/anmelden/sso/ettlingen")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 503 and "Der Identitätsanbieter von Ettlingen antwortet gerade nicht" in html
    assert 'name="password"' in html and row_count(AuditEvent) == events
    resp = client.post("/anmelden", data={"email": mia.email, "password": factories.PASSWORD})
    assert resp.status_code == 302 and "/weiter" not in resp.location


def test_stored_metadata_that_no_longer_parses_is_an_unavailable_idp(ettlingen_saml, client):
    ettlingen_saml.metadata_url, ettlingen_saml.metadata_xml = "", "<kaputt"
    db.session.commit()
    client.post("/anmelden", data={"email": "mia@ettlingen.de", "password": ""})
    resp = client.get("/anmelden/sso/ettlingen")
    assert resp.status_code == 503 and "antwortet gerade nicht" in resp.get_data(as_text=True)
