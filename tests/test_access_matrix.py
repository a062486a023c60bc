"""Access matrix: every route, every principal. A route missing from MATRIX fails the test.

Principals: anonymous, staff_a and lead_a (city A, the target's own city), lead_b (another city),
coordinator. Targets in URLs belong to city A unless a row says otherwise. API rows are called with
a personal token of the principal (anonymous: none).

To add a route: add a Case to MATRIX (or, if it is public and needs no login, to PUBLIC).
"""

from dataclasses import dataclass, field
from typing import Callable

import pytest

from network.accounts.services import create_api_token
from network.extensions import db
from tests import factories
from tests.conftest import login

PRINCIPALS = ("anonymous", "staff_a", "lead_a", "lead_b", "coordinator")

#: endpoints anyone may call without logging in (checked: anonymous never gets a login redirect)
PUBLIC = {
    "static", "main.index", "main.health", "main.language", "municipalities.list", "municipalities.detail",
    "accounts.login", "accounts.forgot_password", "accounts.accept_invite", "accounts.reset_password",
    "api-docs.openapi_json",
}


@dataclass
class Case:
    endpoint: str
    method: str
    #: builds the URL from the world (dict of fixtures)
    url: Callable[[dict], str]
    #: principal -> expected status
    expect: dict
    data: Callable[[dict], dict] = field(default=lambda w: {})


def same(status, **overrides):
    out = {p: status for p in PRINCIPALS}
    out.update(overrides)
    return out


def own_city_admin(ok=200, anon=302):
    """Lead of the city and coordinator may; staff 403; another city's lead 404."""
    return {"anonymous": anon, "staff_a": 403, "lead_a": ok, "lead_b": 404, "coordinator": ok}


def logged_in(ok=200, anon=302):
    return same(ok, anonymous=anon)


MATRIX: list[Case] = [
    Case("main.index", "GET", lambda w: "/", same(200)),
    Case("main.health", "GET", lambda w: "/healthz", same(200)),
    Case("main.language", "POST", lambda w: "/sprache", same(302), data=lambda w: {"lang": "de"}),
    Case("main.audit", "GET", lambda w: "/protokoll",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 200, "coordinator": 200}),
    Case("municipalities.list", "GET", lambda w: "/kommunen/", same(200)),
    Case("municipalities.detail", "GET", lambda w: "/kommunen/ettlingen", same(200)),
    Case("municipalities.new", "GET", lambda w: "/kommunen/neu",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 403, "coordinator": 200}),
    Case("municipalities.edit", "GET", lambda w: "/kommunen/ettlingen/bearbeiten", own_city_admin()),
    Case("municipalities.users", "GET", lambda w: "/kommunen/ettlingen/konten", own_city_admin()),
    Case("municipalities.set_role", "POST", lambda w: f"/kommunen/ettlingen/konten/{w['other_staff_a'].id}/rolle",
         own_city_admin(302), data=lambda w: {"role": "staff"}),
    Case("municipalities.set_active", "POST", lambda w: f"/kommunen/ettlingen/konten/{w['other_staff_a'].id}/aktiv",
         own_city_admin(302), data=lambda w: {"active": "1"}),
    Case("municipalities.resend_invite", "POST", lambda w: f"/kommunen/ettlingen/konten/{w['invited_a'].id}/einladung",
         own_city_admin(302)),
    Case("accounts.login", "GET", lambda w: "/anmelden", same(302, anonymous=200)),
    Case("accounts.logout", "POST", lambda w: "/abmelden", same(302)),
    Case("accounts.forgot_password", "GET", lambda w: "/passwort-vergessen", same(200)),
    Case("accounts.accept_invite", "GET", lambda w: "/einladung/ungueltig", same(404)),
    Case("accounts.reset_password", "GET", lambda w: "/passwort-zuruecksetzen/ungueltig", same(404)),
    Case("accounts.profile", "GET", lambda w: "/profil", logged_in()),
    Case("accounts.change_password", "POST", lambda w: "/profil/passwort", logged_in(422)),
    Case("accounts.tokens", "GET", lambda w: "/profil/tokens", logged_in()),
    Case("accounts.revoke_token", "POST", lambda w: f"/profil/tokens/{w['token_of_staff_b'].id}/widerrufen",
         logged_in(404)),
    # API (Bearer token)
    Case("api-docs.openapi_json", "GET", lambda w: "/api/v1/openapi.json", same(200)),
    Case("accounts_api.me", "GET", lambda w: "/api/v1/me", logged_in(200, anon=401)),
    Case("municipalities_api.list_municipalities", "GET", lambda w: "/api/v1/municipalities", logged_in(200, anon=401)),
    Case("municipalities_api.get_municipality", "GET", lambda w: "/api/v1/municipalities/ettlingen",
         logged_in(200, anon=401)),
]


@pytest.fixture
def world(city_a, city_b, staff_a, lead_a, lead_b, staff_b, coordinator):
    """The objects the matrix URLs point at (all in city A unless named otherwise)."""
    other_staff_a = factories.make_user(city_a, "staff", email="kollegin@ettlingen.test")
    invited_a = factories.make_user(city_a, "staff", email="neu@ettlingen.test", password=None)
    token_of_staff_b, _ = create_api_token(staff_b, "fremd")
    db.session.commit()
    return {"city_a": city_a, "city_b": city_b, "staff_a": staff_a, "lead_a": lead_a, "lead_b": lead_b,
            "coordinator": coordinator, "other_staff_a": other_staff_a, "invited_a": invited_a,
            "token_of_staff_b": token_of_staff_b}


def _call(app, w, case, principal):
    client = app.test_client()
    headers = {}
    if principal != "anonymous":
        user = w[principal]
        if case.url(w).startswith("/api/"):
            _t, plain = create_api_token(user, "matrix")
            db.session.commit()
            headers["Authorization"] = f"Bearer {plain}"
        else:
            login(client, user)
    return client.open(case.url(w), method=case.method, data=case.data(w), headers=headers)


def test_every_route_is_in_the_matrix(app):
    covered = {c.endpoint for c in MATRIX} | PUBLIC
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - covered)
    assert not missing, f"routes without access-matrix rows: {missing}"


def test_every_non_public_route_refuses_anonymous(app, world):
    """Walk app.url_map: pages redirect to the login, the API answers 401."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        args = {a: (1 if isinstance(rule._converters.get(a), type(app.url_map.converters["int"](app.url_map))) else "ettlingen")
                for a in rule.arguments}
        with app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **args)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            resp = app.test_client().open(url, method=method)
            if url.startswith("/api/"):
                assert resp.status_code == 401, (rule.endpoint, method, resp.status_code)
                assert resp.get_json()["error"]["code"] == "unauthorized"
            else:
                assert resp.status_code == 302 and "/anmelden" in resp.headers["Location"], \
                    (rule.endpoint, method, resp.status_code)


@pytest.mark.parametrize("case", MATRIX, ids=lambda c: f"{c.method} {c.endpoint}")
def test_matrix(app, world, case):
    got = {p: _call(app, world, case, p).status_code for p in PRINCIPALS}
    assert got == case.expect
