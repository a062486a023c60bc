"""Single sign-on with OpenID Connect against a real provider (npm oidc-provider) on loopback (issue #18)."""

import pytest
import sqlalchemy as sa

from network.accounts.models import User
from network.extensions import db
from network.sso.models import SsoIdentity
from tests import factories
from tests.conftest import row_count
from tests.idp import ACCOUNTS
from tests.sso.conftest import audit_actions, provider_data, user_by_email

pytestmark = pytest.mark.slow


def _logged_in(client):
    return client.get("/profil").status_code == 200


def test_first_login_creates_the_account_in_the_city_with_the_mapped_role(ettlingen_idp, city_a, sso_login):
    run = sso_login("anna.leitung@ettlingen.de")
    assert run.response.status_code == 302, run.response.get_data(as_text=True)[:800]
    anna = user_by_email("anna.leitung@ettlingen.de")
    assert anna is not None and anna.municipality_id == city_a.id
    assert anna.role == "lead" and anna.name == "Anna Leitung" and anna.password_hash is None
    assert not anna.is_invited  # made by single sign-on: not a pending invitation
    assert _logged_in(run.client)
    created = audit_actions("sso.user_created")
    assert len(created) == 1 and created[0].municipality_id == city_a.id
    assert len(audit_actions("sso.login")) == 1


def test_staff_by_default_and_the_second_login_updates_the_name(ettlingen_idp, idp, sso_login):
    first = sso_login("sami.mitarbeit@ettlingen.de")
    assert first.response.status_code == 302
    sami = user_by_email("sami.mitarbeit@ettlingen.de")
    assert sami.role == "staff" and sami.name == "Sami Mitarbeit"
    idp.set_accounts({**ACCOUNTS, "sami.mitarbeit@ettlingen.de": {"name": "Sami Umbenannt", "groups": []}})
    second = sso_login("sami.mitarbeit@ettlingen.de")
    assert second.response.status_code == 302
    assert user_by_email("sami.mitarbeit@ettlingen.de").name == "Sami Umbenannt"
    assert row_count(User) == 2  # the lead who registered the provider, and Sami once
    assert row_count(SsoIdentity) == 1
    assert [e.details["fields"] for e in audit_actions("sso.user_updated")] == [["name"]]


def test_an_existing_account_of_the_city_is_linked_not_duplicated(ettlingen_idp, city_a, sso_login):
    factories.make_user(city_a, "staff", email="sami.mitarbeit@ettlingen.de", name="Sami Alt")
    db.session.commit()
    run = sso_login("sami.mitarbeit@ettlingen.de")
    assert run.response.status_code == 302
    assert user_by_email("sami.mitarbeit@ettlingen.de").name == "Sami Mitarbeit"
    assert row_count(SsoIdentity) == 1 and not audit_actions("sso.user_created")


def test_the_provider_of_ettlingen_cannot_log_in_an_address_of_another_domain(ettlingen_idp, city_a, sso_login):
    before = row_count(User)
    run = sso_login("anna.leitung@ettlingen.de", login="hans.fremd@bruchsal.de")
    assert run.response.status_code == 403
    html = run.response.get_data(as_text=True)
    assert "Anmeldung abgelehnt" in html and "gilt nur für Adressen von ettlingen.de" in html
    assert row_count(User) == before and row_count(SsoIdentity) == 0
    assert not _logged_in(run.client)
    refused = audit_actions("sso.refused")
    assert [(e.details["reason"], e.municipality_id) for e in refused] == [("foreign_domain", city_a.id)]


def test_an_account_of_another_city_is_not_taken_over(ettlingen_idp, city_b, sso_login):
    factories.make_user(city_b, "lead", email="anna.leitung@ettlingen.de", name="Anna in Bühl")
    db.session.commit()
    run = sso_login("anna.leitung@ettlingen.de")
    assert run.response.status_code == 403
    assert user_by_email("anna.leitung@ettlingen.de").municipality_id == city_b.id
    assert [e.details["reason"] for e in audit_actions("sso.refused")] == ["account_elsewhere"]


def test_a_deactivated_account_stays_deactivated(ettlingen_idp, lead_a, sso_login):
    from network.accounts.services import set_active
    assert sso_login("sami.mitarbeit@ettlingen.de").response.status_code == 302
    set_active(lead_a, user_by_email("sami.mitarbeit@ettlingen.de"), False)
    db.session.commit()
    run = sso_login("sami.mitarbeit@ettlingen.de")
    assert run.response.status_code == 403
    assert "deaktiviert" in run.response.get_data(as_text=True)
    assert not user_by_email("sami.mitarbeit@ettlingen.de").active and not _logged_in(run.client)
    assert [e.details["reason"] for e in audit_actions("sso.refused")] == ["deactivated"]


def test_a_wrong_state_is_refused(ettlingen_idp, sso_login):
    run = sso_login("sami.mitarbeit@ettlingen.de", tamper_callback=lambda q: {**q, "state": "falsch"})
    assert run.response.status_code == 400
    assert "keiner hier begonnenen Anmeldung" in run.response.get_data(as_text=True)
    assert user_by_email("sami.mitarbeit@ettlingen.de") is None
    assert [e.details["reason"] for e in audit_actions("sso.refused")] == ["state"]


@pytest.mark.parametrize("tamper", [
    pytest.param(lambda q: {**q, "nonce": "ein-anderer-nonce"}, id="wrong"),
    pytest.param(lambda q: {k: v for k, v in q.items() if k != "nonce"}, id="missing"),
])
def test_a_wrong_or_missing_nonce_is_refused(ettlingen_idp, sso_login, tamper):
    run = sso_login("sami.mitarbeit@ettlingen.de", tamper_auth=tamper)
    assert run.response.status_code == 400
    assert "(Nonce)" in run.response.get_data(as_text=True)
    assert user_by_email("sami.mitarbeit@ettlingen.de") is None and not _logged_in(run.client)
    assert [e.details["reason"] for e in audit_actions("sso.refused")] == ["nonce"]


def test_the_authorization_request_carries_state_nonce_and_pkce(ettlingen_idp, app, idp):
    from urllib.parse import parse_qs, urlsplit

    from tests.sso.conftest import SsoLogin
    url = SsoLogin(app.test_client(), idp).start("sami.mitarbeit@ettlingen.de")
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["login_hint"] == ["sami.mitarbeit@ettlingen.de"]
    assert query["redirect_uri"] == ["http://staedtenetz.test/anmelden/sso/ettlingen/rueckruf"]


def test_logout_ends_our_session_and_the_providers(ettlingen_idp, idp, sso_login):
    from tests.idp import follow_provider, form_of
    run = sso_login("sami.mitarbeit@ettlingen.de")
    client = run.client
    resp = client.post("/abmelden")
    assert resp.status_code == 302 and resp.location.endswith("/abgemeldet")
    page = client.get("/abgemeldet")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Sie sind abgemeldet" in html
    import re
    from html import unescape
    url = unescape(re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1))
    assert url.startswith(f"{idp.issuer}/session/end") and "client_id=staedtenetz-test" in url
    assert not _logged_in(client)
    # the provider asks to confirm, then sends the browser back to our start page
    confirm = run.browser.get(url, timeout=10)
    action, fields = form_of(confirm.text, url)
    fields["logout"] = "yes"
    done = run.browser.post(action, data=fields, allow_redirects=False, timeout=10)
    back = follow_provider(run.browser, done.headers["Location"], "http://staedtenetz.test")
    assert back.startswith("http://staedtenetz.test/")
    # the provider's session is gone: the next login asks for the account again
    again = run.browser.get(f"{idp.issuer}/auth?client_id=staedtenetz-test&response_type=code&scope=openid"
                            f"&redirect_uri=http://staedtenetz.test/anmelden/sso/ettlingen/rueckruf"
                            f"&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=S256",
                            timeout=10)
    assert 'name="login"' in again.text


def test_password_login_stays_for_other_addresses_and_for_the_city_until_switched_off(ettlingen_idp, lead_a, city_a,
                                                                                      client, outbox):
    from network.sso import services
    mia = factories.make_user(city_a, "staff", email="mia@ettlingen.de", name="Mia")
    db.session.commit()
    # a password typed for an address of the claimed domain still logs in while the city allows it
    resp = client.post("/anmelden", data={"email": "mia@ettlingen.de", "password": factories.PASSWORD})
    assert resp.status_code == 302 and "/weiter" not in resp.location
    client.post("/abmelden")
    provider = services.provider_of(city_a)
    services.save_provider(lead_a, city_a, provider_data(ettlingen_idp.issuer, client_secret="",
                                                          password_login_disabled=True,
                                                          version=str(provider.version)))
    db.session.commit()
    # now the password is not even looked at: the address goes to the city's provider
    resp = client.post("/anmelden", data={"email": "mia@ettlingen.de", "password": factories.PASSWORD})
    assert resp.status_code == 302 and resp.location.endswith("/anmelden/sso/ettlingen/weiter")
    assert not _logged_in(client)
    # and no reset mail goes out to it (the answer is the same as for any address)
    resp = client.post("/passwort-vergessen", data={"email": mia.email})
    assert resp.status_code == 302
    from network.core.outbox import deliver_outbox  # noqa: F401
    from network.core.models import OutboxMessage
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.recipient == mia.email)) == 0
    # the password of an address outside the claimed domains still works
    assert client.post("/anmelden", data={"email": lead_a.email, "password": factories.PASSWORD}).status_code == 302
