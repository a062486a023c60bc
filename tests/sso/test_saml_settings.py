"""A city's SAML 2.0 identity provider settings (issue #18): the IdP's metadata by URL or pasted, our SP metadata
at its stable address, bad inputs, and nothing of one city's IdP visible to another."""

import pytest
import sqlalchemy as sa

from network.core.models import AuditEvent
from network.extensions import db
from network.sso import services
from network.sso.models import IdentityProvider, SamlSpCredential, SsoDomain
from tests.conftest import free_port, row_count
from tests.sso.saml_fixtures import saml_data

URL = "/kommunen/ettlingen/anmeldung"
SP_METADATA = "/anmelden/saml/ettlingen/metadata"

pytestmark = pytest.mark.slow


def _form(**overrides):
    data = saml_data(**overrides)
    data["enabled"] = "y" if data["enabled"] else ""
    if not data["password_login_disabled"]:
        data.pop("password_login_disabled")
    return data


def test_the_lead_registers_the_idp_by_its_metadata_url(login_as, lead_a, city_a, saml_idp, sp_key, allow_http):
    saml_idp.reset()
    client = login_as(lead_a)
    html = client.get(URL).get_data(as_text=True)
    assert "http://staedtenetz.test/anmelden/saml/ettlingen/metadata" in html
    assert "http://staedtenetz.test/anmelden/saml/ettlingen/acs" in html
    resp = client.post(URL, data=_form(metadata_url=saml_idp.metadata_url))
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    provider = services.provider_of(city_a)
    assert provider.kind == "saml" and provider.issuer == saml_idp.metadata_url
    assert provider.metadata_url == saml_idp.metadata_url and "IDPSSODescriptor" in provider.metadata_xml
    assert provider.client_secret_encrypted == "" and provider.domain_names == ["ettlingen.de"]
    event = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "sso.provider_created")).scalar_one()
    assert event.details["kind"] == "saml" and "IDPSSODescriptor" not in str(event.details)


def test_pasted_metadata_works_without_a_url(login_as, lead_a, city_a, saml_idp, sp_key, allow_http):
    saml_idp.reset()
    resp = login_as(lead_a).post(URL, data=_form(metadata_xml=saml_idp.metadata()))
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    provider = services.provider_of(city_a)
    assert provider.metadata_url == "" and provider.issuer == saml_idp.metadata_url
    # the settings page shows the pasted document again (the lead's own)
    assert "IDPSSODescriptor" in login_as(lead_a).get(URL).get_data(as_text=True)


def _sp_metadata_xml():
    return '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/">' \
           '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' \
           '<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" ' \
           'Location="https://sp.example/acs" index="1"/></md:SPSSODescriptor></md:EntityDescriptor>'


@pytest.mark.parametrize("overrides, field, message", [
    ({}, "metadata_url", "Bitte geben Sie die Adresse der Metadaten"),
    ({"metadata_url": "ftp://idp.ettlingen.de/metadata"}, "metadata_url", "mit https:// beginnt"),
    ({"metadata_url": "javascript:alert(1)"}, "metadata_url", "mit https:// beginnt"),
    ({"metadata_xml": "<kein-xml"}, "metadata_xml", "kein gültiges SAML-2.0-Dokument"),
    ({"metadata_xml": _sp_metadata_xml()}, "metadata_xml", "genau einen Identitätsanbieter"),
    ({"metadata_xml": "x" * (1024 * 1024 + 1)}, "metadata_xml", "höchstens 1 MB"),
    ({"metadata_url": "DEAD"}, "metadata_url", "nicht erreichbar"),
])
def test_bad_saml_inputs_are_refused_in_german_and_nothing_is_written(login_as, lead_a, allow_http, app,
                                                                      overrides, field, message):
    if overrides.get("metadata_url") == "DEAD":
        overrides = {"metadata_url": f"http://127.0.0.1:{free_port()}/metadata"}
    app.config["MAX_CONTENT_LENGTH"], old = 4 * 1024 * 1024, app.config["MAX_CONTENT_LENGTH"]
    try:
        resp = login_as(lead_a).post(URL, data=_form(**overrides))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = old
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422, html[-1500:]
    assert message in html and f'id="{field}-error"' in html
    assert row_count(IdentityProvider) == 0 and row_count(SsoDomain) == 0


def test_our_sp_metadata_is_offered_at_its_stable_address(client, city_a, sp_key):
    resp = client.get(SP_METADATA)
    xml = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "application/samlmetadata+xml"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert 'entityID="http://staedtenetz.test/anmelden/saml/ettlingen/metadata"' in xml
    assert 'Location="http://staedtenetz.test/anmelden/saml/ettlingen/acs"' in xml
    assert 'AuthnRequestsSigned="true"' in xml and 'WantAssertionsSigned="true"' in xml
    assert "X509Certificate" in xml and "PRIVATE" not in xml
    assert client.get("/anmelden/saml/gibt-es-nicht/metadata").status_code == 404


def test_without_a_configured_key_the_installation_generates_and_keeps_one(client, city_a, app):
    assert not app.config.get("SAML_SP_KEY")
    first = client.get(SP_METADATA).get_data(as_text=True)
    assert row_count(SamlSpCredential) == 1
    row = db.session.execute(sa.select(SamlSpCredential)).scalar_one()
    assert "PRIVATE KEY" not in row.key_encrypted and row.cert_pem.startswith("-----BEGIN CERTIFICATE")
    # the same pair next time (and for every city)
    assert client.get(SP_METADATA).get_data(as_text=True) == first
    assert row_count(SamlSpCredential) == 1


CANARY = "Kanarienvogel-IdP-Ettlingen-7731"


def test_one_citys_idp_settings_are_never_visible_to_another_city(saml_idp, sp_key, allow_http, city_a, lead_a,
                                                                    lead_b, staff_a, coordinator, sign_in):
    """Ettlingen pasted metadata carrying a canary: no other principal sees it anywhere we show SSO things."""
    saml_idp.reset()
    saml_idp.organization = CANARY
    services.save_provider(lead_a, city_a, saml_data(metadata_xml=saml_idp.metadata()))
    db.session.commit()
    assert CANARY in services.provider_of(city_a).metadata_xml
    for user, paths in ((lead_b, ["/kommunen/ettlingen/anmeldung", "/kommunen/buehl/anmeldung", "/protokoll",
                                  "/anmelden/saml/buehl/metadata", SP_METADATA]),
                        (staff_a, [URL, "/kommunen/ettlingen", SP_METADATA]),
                        (coordinator, [URL, "/protokoll", "/kommunen/ettlingen"])):
        client = sign_in(user)
        for path in paths:
            resp = client.get(path)
            assert CANARY not in resp.get_data(as_text=True), (user.email, path)
    assert sign_in(lead_b).get(URL).status_code == 404
    # the city's own lead sees the document
    assert CANARY in sign_in(lead_a).get(URL).get_data(as_text=True)


def test_payloads_in_the_saml_settings_are_echoed_as_text(login_as, lead_a, monkeypatch):
    """XSS payloads in every SAML field of the settings form at once: the refused form shows them as text. Every
    twelfth payload (the fields render through the same form macro as all others, which test_xss checks with
    every payload; this keeps the test near a second)."""
    from network.sso import saml
    from network.sso.services import IdpUnavailable
    from tests.security.payloads import all_payloads, markup_problems

    def unreachable(url):
        raise IdpUnavailable("not fetched in this test")
    monkeypatch.setattr(saml, "fetch_metadata", unreachable)
    client = login_as(lead_a)
    problems = []
    for p in all_payloads()[::12]:
        resp = client.post(URL, data=_form(metadata_url=p, metadata_xml=p, groups_claim=p + "x" * 120, role_map=p,
                                           domains=p))
        assert resp.status_code == 422, (p, resp.status_code)
        problems += [f"{item} for payload {p!r}" for item in markup_problems(resp.get_data(as_text=True))]
    assert not problems, "\n".join(problems[:20])
    assert row_count(IdentityProvider) == 0
