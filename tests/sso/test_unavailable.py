"""The city's identity provider does not answer (issue #18): a clear message, the password where allowed."""

import pytest

from network.extensions import db
from network.sso import services
from tests import factories
from tests.conftest import free_port, row_count
from tests.sso.conftest import provider_data

pytestmark = pytest.mark.slow


@pytest.fixture
def dead_provider(allow_http, city_a, lead_a):
    """Ettlingen registered a provider on a loopback port where nothing listens."""
    provider = services.save_provider(lead_a, city_a, provider_data(f"http://127.0.0.1:{free_port()}"))
    db.session.commit()
    return provider


def _to_provider(client, email):
    resp = client.post("/anmelden", data={"email": email, "password": ""})
    assert resp.status_code == 302 and resp.location.endswith("/anmelden/sso/ettlingen/weiter")
    forward = client.get(resp.location)
    assert 'http-equiv="refresh"' in forward.get_data(as_text=True)
    return client.get("/anmelden/sso/ettlingen")


def test_the_provider_down_says_so_and_offers_the_password(dead_provider, city_a, client):
    from network.core.models import AuditEvent
    mia = factories.make_user(city_a, "staff", email="mia@ettlingen.de", name="Mia")
    db.session.commit()
    events = row_count(AuditEvent)
    resp = _to_provider(client, "mia@ettlingen.de")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 503
    assert "Der Identitätsanbieter von Ettlingen antwortet gerade nicht" in html
    assert 'name="password"' in html and 'value="mia@ettlingen.de"' in html
    assert row_count(AuditEvent) == events  # a GET that a crawler may call writes nothing
    # the password still works for this city
    resp = client.post("/anmelden", data={"email": mia.email, "password": factories.PASSWORD})
    assert resp.status_code == 302 and "/weiter" not in resp.location


def test_the_provider_down_without_password_login(dead_provider, lead_a, city_a, client):
    services.save_provider(lead_a, city_a, provider_data(dead_provider.issuer, client_secret="",
                                                         password_login_disabled=True,
                                                         version=str(dead_provider.version)))
    db.session.commit()
    resp = _to_provider(client, "mia@ettlingen.de")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 503
    assert 'name="password"' not in html and "mit Passwort ist für Ihre Verwaltung abgeschaltet" in html


def test_a_switched_off_provider_sends_nobody_there_and_the_password_works_again(dead_provider, lead_a, city_a,
                                                                                client):
    factories.make_user(city_a, "staff", email="mia@ettlingen.de", name="Mia")
    services.save_provider(lead_a, city_a, provider_data(dead_provider.issuer, client_secret="", enabled=False,
                                                         password_login_disabled=True,
                                                         version=str(dead_provider.version)))
    db.session.commit()
    resp = client.post("/anmelden", data={"email": "mia@ettlingen.de", "password": factories.PASSWORD})
    assert resp.status_code == 302 and "/weiter" not in resp.location
    assert client.get("/anmelden/sso/ettlingen").status_code == 404
