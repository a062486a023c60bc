"""Single sign-on fixtures: a real OpenID Connect provider on loopback, Ettlingen's provider settings, a login."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
import sqlalchemy as sa

from network.accounts.models import User
from network.core.models import AuditEvent
from network.extensions import db
from tests.idp import ACCOUNTS, CLIENT_ID, CLIENT_SECRET, OidcProvider, follow_provider

APP = "http://staedtenetz.test"
CALLBACK = f"{APP}/anmelden/sso/ettlingen/rueckruf"


@pytest.fixture(scope="module")
def idp():
    """oidc-provider (npm) with a client for Ettlingen's callback of the test app; accounts reset per test."""
    provider = OidcProvider([CALLBACK], [f"{APP}/"]).start()
    yield provider
    provider.stop()


@pytest.fixture
def allow_http(app):
    """The loopback provider speaks http; production insists on https."""
    app.config["SSO_ALLOW_HTTP"] = True
    yield
    app.config["SSO_ALLOW_HTTP"] = False


def user_by_email(email):
    """The account as the database has it now (after the requests' commits)."""
    db.session.expire_all()
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()


def audit_actions(*names):
    """The audit events of these actions, oldest first."""
    db.session.expire_all()
    return db.session.execute(sa.select(AuditEvent).where(AuditEvent.action.in_(names))
                              .order_by(AuditEvent.id)).scalars().all()


def provider_data(issuer, **overrides):
    data = {"kind": "oidc", "issuer": issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "scopes": "openid email profile groups", "groups_claim": "groups",
            "role_map": "staedtenetz-leitung = lead", "domains": "ettlingen.de", "enabled": True,
            "password_login_disabled": False, "version": ""}
    data.update(overrides)
    return data


@pytest.fixture
def ettlingen_idp(idp, allow_http, city_a, lead_a):
    """Ettlingen's lead registered the test provider for ettlingen.de (lead group -> lead)."""
    from network.sso import services
    idp.set_accounts(ACCOUNTS)
    provider = services.save_provider(lead_a, city_a, provider_data(idp.issuer))
    db.session.commit()
    return provider


def _replace_query(url, change):
    parts = urlsplit(url)
    query = change(dict(parse_qsl(parts.query)))
    return urlunsplit(parts._replace(query=urlencode(query)))


class SsoLogin:
    """One login through the provider: our login page, the forward page, the provider's login form, our callback."""

    def __init__(self, client, idp):
        self.client, self.idp = client, idp
        self.browser = requests.Session()  # the provider's cookies

    def start(self, email):
        """Type the email on our login page; returns the provider's authorization URL."""
        resp = self.client.post("/anmelden", data={"email": email, "password": ""})
        assert resp.status_code == 302 and "/weiter" in resp.location, resp.get_data(as_text=True)[:500]
        page = self.client.get(resp.location)
        assert page.status_code == 200
        start = self.client.get(urlsplit(resp.location).path.removesuffix("/weiter"))
        assert start.status_code == 302 and start.location.startswith(self.idp.issuer), start.status_code
        return start.location

    def at_provider(self, auth_url, login):
        """Log in at the provider; returns the callback URL it sends the browser to."""
        back = follow_provider(self.browser, auth_url, APP, login=login)
        assert isinstance(back, str), getattr(back, "text", "")[:1000]
        return back

    def run(self, email, login=None, *, tamper_auth=None, tamper_callback=None):
        auth_url = self.start(email)
        if tamper_auth:
            auth_url = _replace_query(auth_url, tamper_auth)
        back = self.at_provider(auth_url, login or email)
        if tamper_callback:
            back = _replace_query(back, tamper_callback)
        return self.client.get(back)


@pytest.fixture
def sso_login(app, idp):
    def _login(email, login=None, client=None, **kw):
        runner = SsoLogin(client or app.test_client(), idp)
        response = runner.run(email, login, **kw)
        runner.response = response
        return runner
    return _login


from tests.sso.saml_fixtures import ettlingen_saml, saml_idp, saml_login, sp_key, sp_keypair  # noqa: E402,F401
