"""Issue #14 findings 1, 4: links come from PUBLIC_URL, production trusts only its host, ProxyFix only when set."""

import re

import pytest
import sqlalchemy as sa

from network import create_app
from network.core.models import OutboxMessage
from network.extensions import db, limiter
from tests import factories

EVIL = {"Host": "evil.example"}


@pytest.fixture
def no_server_name(app):
    """Without SERVER_NAME (as behind most proxies) Flask builds absolute URLs from the request's Host."""
    saved = app.config["SERVER_NAME"], app.config["PUBLIC_URL"]
    app.config["SERVER_NAME"] = None
    app.config["PUBLIC_URL"] = "https://staedtenetz.example.org"
    yield "https://staedtenetz.example.org/"
    app.config["SERVER_NAME"], app.config["PUBLIC_URL"] = saved


def _links(address):
    db.session.expire_all()
    msgs = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)).scalars().all()
    assert msgs, f"no mail to {address}"
    found = [u for m in msgs for u in re.findall(r"https?://[^\s\"<>]+", m.body_text + m.body_html)]
    assert found
    return found


def test_reset_mail_link_ignores_host_header(client, lead_a, no_server_name):
    resp = client.post("/passwort-vergessen", data={"email": lead_a.email}, headers=EVIL)
    assert resp.status_code == 302
    assert "evil.example" not in resp.headers["Location"]
    links = _links(lead_a.email)
    assert all(u.startswith(no_server_name) for u in links), links


def test_invitation_mail_link_ignores_host_header(client, lead_a, no_server_name):
    assert client.post("/anmelden", data={"email": lead_a.email, "password": factories.PASSWORD},
                       headers=EVIL).status_code == 302
    resp = client.post("/kommunen/ettlingen/konten", data={"name": "Neu", "email": "neu@ettlingen.test",
                                                           "role": "staff"}, headers=EVIL)
    assert resp.status_code == 302
    links = _links("neu@ettlingen.test")
    assert all(u.startswith(no_server_name) for u in links), links


def test_interest_confirmation_links_ignore_host_header(app, client, city_a, no_server_name):
    from tests.interest.conftest import form_data
    before = app.config["INTEREST_MIN_FILL_SECONDS"]
    app.config["INTEREST_MIN_FILL_SECONDS"] = 0
    try:
        resp = client.post("/mitmachen", data=form_data(), headers=EVIL)
    finally:
        app.config["INTEREST_MIN_FILL_SECONDS"] = before
    assert resp.status_code in (200, 302)
    links = _links("erika@example.org")
    assert any("/mitmachen/bestaetigen/" in u for u in links)
    assert all(u.startswith(no_server_name) for u in links), links


def _prod_app(database_url, **extra):
    config = {"ENV_NAME": "production", "SECRET_KEY": "x", "DATABASE_URL": database_url,
              "PUBLIC_URL": "https://staedtenetz.example.org", "MAIL_BACKEND": "locmem", "RATELIMIT_ENABLED": False}
    config.update(extra)
    return create_app(config)


def test_production_answers_400_for_another_host(database_url):
    prod = _prod_app(database_url)
    client = prod.test_client()
    assert client.get("/anmelden", base_url="https://staedtenetz.example.org").status_code == 200
    assert client.get("/anmelden", base_url="https://evil.example").status_code == 400
    assert client.get("/anmelden", base_url="https://staedtenetz.example.org", headers=EVIL).status_code == 400


def test_production_refuses_to_start_without_public_url(database_url):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "x", "DATABASE_URL": database_url})


def test_proxy_headers_ignored_unless_configured(database_url):
    seen = []

    def remember():
        from flask import request
        seen.append((request.remote_addr, request.scheme))

    plain = _prod_app(database_url)
    plain.before_request(remember)
    plain.test_client().get("/anmelden", base_url="https://staedtenetz.example.org",
                            headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"})
    proxied = _prod_app(database_url, PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1)
    proxied.before_request(remember)
    proxied.test_client().get("/anmelden", base_url="https://staedtenetz.example.org",
                              headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"})
    assert seen == [("127.0.0.1", "https"), ("203.0.113.9", "http")]


@pytest.fixture
def restore_limiter():
    before = limiter.enabled
    yield
    limiter.enabled = before


def test_rate_limit_keys_on_real_client_behind_proxy(database_url, restore_limiter):
    """Finding 4: with ProxyFix configured, each client behind the proxy has its own bucket."""
    prod = _prod_app(database_url, PROXY_FIX_X_FOR=1, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute",
                     WTF_CSRF_ENABLED=False, TESTING=True)
    client = prod.test_client()

    def attempt(ip):
        return client.post("/anmelden", base_url="https://staedtenetz.example.org",
                           data={"email": "x@ettlingen.test", "password": "falsch"},
                           headers={"X-Forwarded-For": ip}).status_code

    assert [attempt("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert attempt("198.51.100.2") == 200  # another client behind the same proxy is not limited
