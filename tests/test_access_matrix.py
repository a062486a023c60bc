"""Access matrix: every route, every principal. A route missing from MATRIX fails the test.

Principals: anonymous, staff_a and lead_a (city A, the target's own city), lead_b (another city),
coordinator. Targets in URLs belong to city A unless a row says otherwise. API rows are called with
a personal token of the principal (anonymous: none).

To add a route: add a Case to MATRIX (or, if it is public and needs no login, to PUBLIC); a later domain
puts its rows into tests/access/<domain>.py (see tests/access/__init__.py).
"""

import pytest

from network.accounts.services import create_api_token
from network.extensions import db
from tests import factories
from tests.access import (
    PRINCIPALS,
    Case,
    coordinator_only,
    domain_modules,
    logged_in,
    own_city_admin,
    same,
)
from tests.conftest import login

#: endpoints anyone may call without logging in (checked: anonymous never gets a login redirect)
PUBLIC = {
    "static", "main.index", "main.health", "main.language", "municipalities.list", "municipalities.detail",
    "accounts.login", "accounts.login_code", "accounts.forgot_password", "accounts.accept_invite", "accounts.reset_password",
    "api-docs.openapi_json", "api_docs",
}


#: API rows with an empty body (issue #20): the typed schema refuses it with 422 before the view runs, for every
#: caller, whether or not they may act; who may act is tested with valid bodies in tests/<domain>/test_api.py and
#: tests/test_access_network_axis.py. A 422 here reveals nothing: it comes before any object is looked up.
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
    Case("municipalities.membership", "POST", lambda w: "/kommunen/ettlingen/mitgliedschaft",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 403, "coordinator": 302},
         data=lambda w: {"member": "0", "reason": "Beschluss des Gemeinderats"}),
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
    # two-factor authentication: without a pending password step the code page sends back to the login;
    # nobody in the world has 2FA, so new codes, switching off and the coordinator's reset answer 409
    Case("accounts.login_code", "GET", lambda w: "/anmelden/code", same(302)),
    Case("accounts.twofa", "GET", lambda w: "/profil/2fa", logged_in()),
    Case("accounts.twofa_codes", "POST", lambda w: "/profil/2fa/codes", logged_in(409)),
    Case("accounts.twofa_disable", "POST", lambda w: "/profil/2fa/aus", logged_in(409)),
    Case("accounts.twofa_reset", "POST", lambda w: f"/konten/{w['other_staff_a'].id}/2fa-zuruecksetzen",
         coordinator_only(409)),
    # API (Bearer token)
    Case("api-docs.openapi_json", "GET", lambda w: "/api/v1/openapi.json", same(200)),
    Case("api_docs", "GET", lambda w: "/api/v1/docs", same(200)),
    Case("accounts_api.me", "GET", lambda w: "/api/v1/me", logged_in(200, anon=401)),
    Case("municipalities_api.list_municipalities", "GET", lambda w: "/api/v1/municipalities", logged_in(200, anon=401)),
    Case("municipalities_api.get_municipality", "GET", lambda w: "/api/v1/municipalities/ettlingen",
         logged_in(200, anon=401)),
    # topics: "e-akte" is unclaimed (city A participates), "intranet" is led by A with B's pending co-lead
    # request, "uebergabe" is led by A with a handover offered to B, "vorschlag-a" is A's open proposal
    Case("topics.list", "GET", lambda w: "/n/readi/themen/", logged_in()),
    Case("topics.matrix", "GET", lambda w: "/n/readi/themen/matrix", logged_in()),
    Case("topics.matrix_csv", "GET", lambda w: "/n/readi/themen/matrix.csv", logged_in()),
    Case("topics.detail", "GET", lambda w: "/n/readi/themen/e-akte", logged_in()),
    Case("topics.new", "GET", lambda w: "/n/readi/themen/neu", coordinator_only()),
    Case("topics.edit", "GET", lambda w: "/n/readi/themen/e-akte/bearbeiten", coordinator_only()),
    Case("topics.fields", "GET", lambda w: "/n/readi/themen/handlungsfelder/", coordinator_only()),
    Case("topics.edit_field", "GET", lambda w: f"/n/readi/themen/handlungsfelder/{w['field'].id}/bearbeiten",
         coordinator_only()),
    Case("topics.propose", "GET", lambda w: "/n/readi/themen/vorschlagen", same(200, anonymous=302, staff_a=403)),
    Case("topics.proposals", "GET", lambda w: "/n/readi/themen/vorschlaege", same(200, anonymous=302, staff_a=403)),
    Case("topics.decide_proposal", "POST", lambda w: "/n/readi/themen/vorschlag-a/vorschlag/entscheidung",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 404, "coordinator": 422}),
    Case("topics.claim", "POST", lambda w: "/n/readi/themen/e-akte/federfuehrung",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 409, "coordinator": 403}),
    Case("topics.decide_claim", "POST", lambda w: f"/n/readi/themen/intranet/antraege/{w['colead_b'].id}/entscheidung",
         {"anonymous": 302, "staff_a": 403, "lead_a": 422, "lead_b": 403, "coordinator": 422}),
    Case("topics.withdraw", "POST", lambda w: "/n/readi/themen/intranet/federfuehrung/abgeben",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 302, "coordinator": 403},
         data=lambda w: {"confirm": "1"}),
    Case("topics.withdraw", "GET", lambda w: "/n/readi/themen/intranet/federfuehrung/abgeben",
         {"anonymous": 302, "staff_a": 403, "lead_a": 200, "lead_b": 200, "coordinator": 403}),
    Case("topics.hand_over", "POST", lambda w: "/n/readi/themen/intranet/federfuehrung/uebergeben",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 403, "coordinator": 403},
         data=lambda w: {"handover-target": str(w["city_b"].id)}),
    Case("topics.answer_handover", "POST", lambda w: f"/n/readi/themen/uebergabe/uebergaben/{w['offer_b'].id}/antwort",
         {"anonymous": 302, "staff_a": 403, "lead_a": 404, "lead_b": 422, "coordinator": 404}),
    Case("topics.participate", "POST", lambda w: "/n/readi/themen/e-akte/teilnahme",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 302, "coordinator": 403},
         data=lambda w: {"part-status": "interested"}),
    Case("topics.leave", "POST", lambda w: "/n/readi/themen/e-akte/teilnahme/beenden",
         {"anonymous": 302, "staff_a": 403, "lead_a": 302, "lead_b": 404, "coordinator": 403}),
    Case("topics_api.list_fields", "GET", lambda w: "/api/v1/fields-of-action", logged_in(200, anon=401)),
    Case("topics_api.list_topics", "GET", lambda w: "/api/v1/topics", logged_in(200, anon=401)),
    Case("topics_api.get_topic", "GET", lambda w: "/api/v1/topics/e-akte", logged_in(200, anon=401)),
    Case("topics_api.create_claim", "POST", lambda w: "/api/v1/topics/e-akte/claims",
         {"anonymous": 401, "staff_a": 403, "lead_a": 201, "lead_b": 409, "coordinator": 403}),
    Case("topics_api.decide_claim", "POST", lambda w: f"/api/v1/topics/intranet/claims/{w['colead_b'].id}/decision",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("topics_api.put_participation", "PUT", lambda w: "/api/v1/topics/e-akte/participation",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("topics_api.delete_participation", "DELETE", lambda w: "/api/v1/topics/e-akte/participation",
         {"anonymous": 401, "staff_a": 403, "lead_a": 204, "lead_b": 404, "coordinator": 403}),
]

for _mod in domain_modules():
    MATRIX.extend(_mod.ROWS)
    PUBLIC |= set(getattr(_mod, "PUBLIC", ()))


@pytest.fixture
def world(city_a, city_b, staff_a, lead_a, lead_b, staff_b, coordinator):
    """The objects the matrix URLs point at (all in city A unless named otherwise): built by the first test of the
    process, its rows restored for every later one (tests/snapshot.py). The tests use this dict only: the principal
    fixtures above give the first build its people and are replaced by the restored rows (same ids) afterwards."""
    from tests.snapshot import reuse
    return reuse("access-matrix", lambda: _build_world(city_a, city_b, staff_a, lead_a, lead_b, staff_b, coordinator))


def _build_world(city_a, city_b, staff_a, lead_a, lead_b, staff_b, coordinator):
    other_staff_a = factories.make_user(city_a, "staff", email="kollegin@ettlingen.test")
    invited_a = factories.make_user(city_a, "staff", email="neu@ettlingen.test", password=None)
    token_of_staff_b, _ = create_api_token(staff_b, "fremd")
    topics = _topic_world(city_a, city_b, lead_a)
    w = {**topics, "city_a": city_a, "city_b": city_b, "staff_a": staff_a, "lead_a": lead_a, "lead_b": lead_b,
         "staff_b": staff_b, "coordinator": coordinator, "other_staff_a": other_staff_a, "invited_a": invited_a,
         "token_of_staff_b": token_of_staff_b}
    for mod in domain_modules():
        if hasattr(mod, "build"):
            w.update(mod.build(w) or {})
            db.session.flush()
    db.session.commit()
    w["_auth"] = _sign_in_everybody(w)
    return w


def _sign_in_everybody(w) -> dict:
    """Each principal logs in through the form once and gets an API token, while the world is built: the session
    rows and tokens are in the snapshot, so every test starts with them (and whatever a row did to them, such as a
    logout or a deactivation, is undone before the next). principal -> (the client's cookies, the plain token)."""
    from flask import current_app
    auth = {}
    for principal in PRINCIPALS:
        if principal == "anonymous":
            continue
        client = current_app.test_client()
        login(client, w[principal])
        _t, plain = create_api_token(w[principal], "matrix")
        db.session.commit()
        auth[principal] = (dict(client._cookies), plain)  # werkzeug's cookie jar: (domain, path, name) -> Cookie
    return auth


def _topic_world(city_a, city_b, lead_a):
    from network.topics.models import LeadClaim, Participation
    from tests.topics.conftest import give_lead, make_field, make_topic
    field = make_field("Digitale Bürgerdienste")
    open_topic = make_topic(field, "e-Akte")
    db.session.add(Participation(topic_id=open_topic.id, municipality_id=city_a.id, status="participating"))
    led = make_topic(field, "Intranet")
    give_lead(led, city_a)
    colead_b = give_lead(led, city_b, kind="colead", status="pending")
    handed = make_topic(field, "Übergabe")
    give_lead(handed, city_a)
    offer_b = LeadClaim(topic_id=handed.id, municipality_id=city_b.id, kind="handover", status="pending",
                        from_municipality_id=city_a.id)
    db.session.add(offer_b)
    make_topic(field, "Vorschlag A", status="proposed", proposed_by_municipality_id=city_a.id,
               proposed_by_id=lead_a.id)
    db.session.flush()
    return {"field": field, "colead_b": colead_b, "offer_b": offer_b}


def _call(app, w, case, principal):
    client = app.test_client()
    headers = {}
    if principal != "anonymous":
        cookies, token = w["_auth"][principal]
        if case.url(w).startswith("/api/"):
            headers["Authorization"] = f"Bearer {token}"
        else:
            client._cookies.update(cookies)  # the session of the principal's login in the world (restored)
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
