"""A city's identity provider settings (issue #18): who may, what is checked, what is stored."""

import pytest
import sqlalchemy as sa

from network.core.models import AuditEvent
from network.extensions import db
from network.sso import services
from network.sso.models import IdentityProvider, SsoDomain
from tests.conftest import row_count
from tests.sso.conftest import provider_data

URL = "/kommunen/ettlingen/anmeldung"


def _form(**overrides):
    overrides.setdefault("issuer", "https://login.ettlingen.de/realms/verwaltung")
    data = provider_data(**overrides)
    data["enabled"] = "y" if data["enabled"] else ""
    if not data["password_login_disabled"]:
        data.pop("password_login_disabled")
    return data


def test_the_lead_registers_the_provider_and_sees_the_redirect_uri(login_as, lead_a, city_a):
    client = login_as(lead_a)
    page = client.get(URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "http://staedtenetz.test/anmelden/sso/ettlingen/rueckruf" in html
    resp = client.post(URL, data=_form(domains="Ettlingen.de\n@stadt-ettlingen.de"))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:1000]
    provider = services.provider_of(city_a)
    assert provider.issuer == "https://login.ettlingen.de/realms/verwaltung"
    assert provider.domain_names == ["ettlingen.de", "stadt-ettlingen.de"]
    assert provider.role_map == {"staedtenetz-leitung": "lead"}
    # the secret is stored encrypted, and never shown again
    assert "test-secret" not in provider.client_secret_encrypted
    from network.sso.crypto import decrypt
    assert decrypt(provider.client_secret_encrypted) == "test-secret-der-stadt-ettlingen"
    assert "test-secret-der-stadt" not in client.get(URL).get_data(as_text=True)
    event = db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "sso.provider_created")).scalar_one()
    assert "test-secret" not in str(event.details)
    # a second save without a secret keeps the stored one
    resp = client.post(URL, data=_form(client_secret="", version=str(provider.version)))
    assert resp.status_code == 302
    db.session.expire_all()
    assert decrypt(services.provider_of(city_a).client_secret_encrypted) == "test-secret-der-stadt-ettlingen"
    assert services.provider_of(city_a).domain_names == ["ettlingen.de"]


def test_the_platform_administration_may_register_it(sign_in, admin, city_a):
    resp = sign_in(admin).post(URL, data=_form())
    assert resp.status_code == 302
    assert services.provider_of(city_a) is not None


@pytest.mark.parametrize("overrides, field, message", [
    ({"issuer": ""}, "issuer", "Bitte geben Sie die Adresse des Identitätsanbieters"),
    ({"issuer": "http://login.ettlingen.de"}, "issuer", "mit https:// beginnt"),
    ({"issuer": "javascript:alert(1)"}, "issuer", "mit https:// beginnt"),
    ({"client_id": ""}, "client_id", "Bitte geben Sie die Client-ID an"),
    ({"client_secret": ""}, "client_secret", "Bitte geben Sie das Client-Secret an"),
    ({"scopes": "email profile"}, "scopes", "„openid“"),
    ({"role_map": "staedtenetz-leitung => chef"}, "role_map", "Zeile 1"),
    ({"domains": ""}, "domains", "mindestens eine E-Mail-Domain"),
    ({"domains": "ettlingen"}, "domains", "keine gültige E-Mail-Domain"),
    ({"domains": "ettlingen.de\nhttp://x.de/"}, "domains", "keine gültige E-Mail-Domain"),
    ({"kind": "ldap"}, "kind", "gültigen Wert"),
])
def test_bad_inputs_are_refused_in_german_and_nothing_is_written(login_as, lead_a, overrides, field, message):
    client = login_as(lead_a)
    resp = client.post(URL, data=_form(**overrides))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in html
    assert f'id="{field}-error"' in html
    assert row_count(IdentityProvider) == 0 and row_count(SsoDomain) == 0


def test_a_domain_belongs_to_one_city_only(login_as, lead_a, lead_b, city_b, allow_http):
    services.save_provider(lead_b, city_b, provider_data("https://login.buehl.de", domains="buehl.de\nettlingen.de"))
    db.session.commit()
    resp = login_as(lead_a).post(URL, data=_form())
    assert resp.status_code == 422
    assert "gehört bereits einer anderen Kommune" in resp.get_data(as_text=True)
    assert row_count(IdentityProvider) == 1


def test_a_stale_form_is_a_conflict(login_as, lead_a, city_a):
    client = login_as(lead_a)
    assert client.post(URL, data=_form()).status_code == 302
    resp = client.post(URL, data=_form(version="0", issuer="https://anders.ettlingen.de"))
    assert resp.status_code == 409
    db.session.expire_all()
    assert services.provider_of(city_a).issuer == "https://login.ettlingen.de/realms/verwaltung"


def test_staff_coordinator_and_another_citys_lead_may_not(sign_in, staff_a, coordinator, lead_b):
    assert sign_in(staff_a).post(URL, data=_form()).status_code == 403
    assert sign_in(coordinator).get(URL).status_code == 403
    assert sign_in(lead_b).get(URL).status_code == 404
    assert row_count(IdentityProvider) == 0


def test_the_city_page_links_the_settings_for_its_lead_only(login_as, lead_a, sign_in, staff_a):
    assert URL in login_as(lead_a).get("/kommunen/ettlingen").get_data(as_text=True)
    assert URL not in sign_in(staff_a).get("/kommunen/ettlingen").get_data(as_text=True)


def test_the_settings_page_reads_a_constant_number_of_statements(login_as, lead_a, city_a, count_queries, allow_http):
    services.save_provider(lead_a, city_a, provider_data("https://login.ettlingen.de",
                                                         domains=" ".join(f"d{i}.ettlingen.de" for i in range(2))))
    db.session.commit()
    client = login_as(lead_a)
    with count_queries() as small:
        assert client.get(URL).status_code == 200
    provider = services.provider_of(city_a)
    services.save_provider(lead_a, city_a, provider_data("https://login.ettlingen.de", client_secret="",
                                                         version=str(provider.version),
                                                         domains=" ".join(f"d{i}.ettlingen.de" for i in range(15))))
    db.session.commit()
    with count_queries() as large:
        assert client.get(URL).status_code == 200
    assert len(small) == len(large)


def test_an_unknown_city_answers_404(login_as, lead_a):
    assert login_as(lead_a).get("/kommunen/gibt-es-nicht/anmeldung").status_code == 404
    assert login_as(lead_a).get("/anmelden/sso/gibt-es-nicht").status_code == 404
    # a city without a provider has no login through one
    assert login_as(lead_a).get("/anmelden/sso/ettlingen").status_code == 404
