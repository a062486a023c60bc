"""SAML fixtures (issue #18): a pysaml2 IdP on loopback, Ettlingen's SAML settings, a login through the IdP."""

import os
from urllib.parse import urlsplit

import pytest
import requests

from network.extensions import db
from tests.idp import form_of
from tests.idp.saml_idp import SamlIdp, keypair

APP = "http://staedtenetz.test"


@pytest.fixture(scope="module")
def saml_idp():
    idp = SamlIdp().start()
    yield idp
    idp.stop()


@pytest.fixture(scope="module")
def sp_keypair(saml_idp):
    """A throwaway signing pair of our SP (the installation's pair is generated at first use; one test does that)."""
    key_file, cert_file = keypair(saml_idp.dir, "sp")
    return open(key_file).read(), open(cert_file).read()


@pytest.fixture
def sp_key(app, sp_keypair):
    app.config["SAML_SP_KEY"], app.config["SAML_SP_CERT"] = sp_keypair
    yield
    app.config["SAML_SP_KEY"] = app.config["SAML_SP_CERT"] = None


def saml_data(metadata_url="", **overrides):
    data = {"kind": "saml", "metadata_url": metadata_url, "metadata_xml": "", "groups_claim": "groups",
            "role_map": "staedtenetz-leitung = lead", "domains": "ettlingen.de", "enabled": True,
            "password_login_disabled": False, "version": ""}
    data.update(overrides)
    return data


@pytest.fixture
def ettlingen_saml(saml_idp, sp_key, allow_http, app, city_a, lead_a):
    """Ettlingen's lead registered the test IdP by its metadata URL; the IdP trusts our SP's metadata."""
    from network.sso import services
    saml_idp.reset()
    provider = services.save_provider(lead_a, city_a, saml_data(saml_idp.metadata_url))
    db.session.commit()
    metadata = app.test_client().get("/anmelden/saml/ettlingen/metadata")
    assert metadata.status_code == 200
    saml_idp.trust_sp(metadata.get_data(as_text=True))
    return provider


class SamlLogin:
    """Our login page, the IdP's login form, the IdP's answer posted to our ACS."""

    def __init__(self, client, idp):
        self.client, self.idp = client, idp
        self.browser = requests.Session()

    def answer(self, email, login=None):
        """Returns the ACS path and the form the IdP's page would post there."""
        resp = self.client.post("/anmelden", data={"email": email, "password": ""})
        assert resp.status_code == 302 and resp.location.endswith("/anmelden/sso/ettlingen/weiter"), resp.location
        start = self.client.get("/anmelden/sso/ettlingen")
        assert start.status_code == 302 and start.location.startswith(f"{self.idp.base}/sso?"), start.status_code
        page = self.browser.get(start.location, timeout=10)
        assert page.status_code == 200, page.text[:500]
        action, fields = form_of(page.text, start.location)
        fields["login"] = login or email
        issued = self.browser.post(action, data=fields, timeout=10)
        assert issued.status_code == 200, issued.text[:1000]
        acs, form = form_of(issued.text, action)
        assert acs.startswith(APP), acs
        return urlsplit(acs).path, form

    def post(self, path, form):
        return self.client.post(path, data=form)


@pytest.fixture
def saml_login(app, saml_idp):
    def _login(email, login=None, client=None, tamper=None):
        runner = SamlLogin(client or app.test_client(), saml_idp)
        runner.path, runner.form = runner.answer(email, login)
        if tamper:
            runner.form = tamper(dict(runner.form))
        runner.response = runner.post(runner.path, runner.form)
        return runner
    return _login


__all__ = ["APP", "saml_idp", "sp_keypair", "sp_key", "ettlingen_saml", "saml_login", "saml_data", "os"]
