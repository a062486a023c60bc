"""Mass assignment: extra fields sent to forms and the API are ignored.

Every request of MASS_ASSIGNMENT is sent with its valid data plus EXTRA fields (municipality_id,
role, is_coordinator, status, author_id, active, email, user_id, slug, id; a field the form really
has keeps its valid value). The request must succeed (its real effect is checked), and afterwards
no protected column of any row may carry an injected value: rows that existed keep their protected
columns (except the ones the request legitimately changes, `changes`), new rows carry none of the
injected values (except `new_ok`).

Every state-changing route of app.url_map needs a case here (the first test fails otherwise).
A later domain adds cases to MASS_ASSIGNMENT (e.g. from its builder module in
tests/security/builders/) for its forms and its API write endpoints (``api=True`` sends JSON with the
principal's Bearer token).
"""

from dataclasses import dataclass, field
from typing import Callable

import pytest
import sqlalchemy as sa

from network.extensions import db
from tests.security.conftest import report
from tests.security.crawl import WRITE_METHODS, build_url, login_client
from tests.security.world import FORM_DATA

PROTECTED = ("municipality_id", "role", "is_coordinator", "status", "author_id", "active", "email", "user_id",
             "slug", "actor_id", "created_by_id")


def injected(w) -> dict:
    """Extra field -> (sent value, the value in the database that would show it was taken over)."""
    return {
        "municipality_id": (str(w.city_b.id), w.city_b.id),
        "role": ("lead", "lead"),
        "is_coordinator": ("y", True),
        "status": ("left", "left"),
        "author_id": (str(w.lead_b.id), w.lead_b.id),
        "active": ("0", False),
        "email": ("gekapert@buehl.example", "gekapert@buehl.example"),
        "user_id": (str(w.lead_b.id), w.lead_b.id),
        "slug": ("gekapert", "gekapert"),
        "id": ("1", None),
    }


@dataclass
class Case:
    endpoint: str
    principal: str
    #: the request's real effect, checked after it (True when it happened)
    effect: Callable
    method: str = "POST"
    expect_status: int = 302
    #: (table, column) the request itself legitimately changes on existing rows
    changes: set = field(default_factory=set)
    #: (table, column) whose injected-looking value is legitimate on new rows
    new_ok: set = field(default_factory=set)
    api: bool = False


def _user(email):
    from network.accounts.models import User
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()


MASS_ASSIGNMENT: list[Case] = [
    Case("accounts.profile", "staff_a", lambda w: _user(w.staff_a.email).name == "Neuer Name",
         changes={("user", "name")}),
    Case("accounts.change_password", "staff_a", lambda w: _user(w.staff_a.email).check_password("Ganz-Neues-Passwort-42")),
    Case("accounts.tokens", "staff_a", lambda w: any(t.name == "Auswertung" and t.user_id == w.staff_a.id
                                                     for t in _tokens()), expect_status=200),
    Case("accounts.revoke_token", "coordinator", lambda w: any(t.revoked_at for t in _tokens())),
    # 2FA: nobody in the world has it, so these answer without an effect (a world with a 2FA account would let
    # them prove one; until then they check the status and that no protected column moved)
    Case("accounts.login_code", "anonymous", lambda w: True),
    Case("accounts.twofa", "staff_a", lambda w: _user(w.staff_a.email).totp_secret is None, expect_status=422),
    Case("accounts.twofa_codes", "staff_a", lambda w: True, expect_status=409),
    Case("accounts.twofa_disable", "staff_a", lambda w: True, expect_status=409),
    Case("accounts.twofa_reset", "coordinator", lambda w: True, expect_status=409),
    Case("accounts.login", "anonymous", lambda w: _user(w.staff_a.email).last_login_at is not None),
    Case("accounts.logout", "staff_a", lambda w: True),
    Case("accounts.forgot_password", "anonymous", lambda w: True),
    Case("accounts.accept_invite", "anonymous", lambda w: _user(w.invited_a.email).password_hash is not None),
    Case("accounts.reset_password", "anonymous", lambda w: _user(w.staff_a.email).check_password("Ganz-Neues-Passwort-42")),
    Case("main.language", "staff_a", lambda w: _user(w.staff_a.email).language == "en"),
    Case("municipalities.new", "coordinator", lambda w: _user("lead@gaggenau.example") is not None,
         new_ok={("user", "role")}),
    Case("municipalities.edit", "lead_a", lambda w: _city("ettlingen").population == 39000),
    Case("municipalities.users", "lead_a", lambda w: _user("nina@ettlingen.example") is not None),
    Case("municipalities.set_role", "lead_a", lambda w: _user(w.invited_a.email).role == "lead",
         changes={("user", "role")}),
    Case("municipalities.set_active", "lead_a", lambda w: _user(w.invited_a.email).active is False,
         changes={("user", "active")}),
    Case("municipalities.resend_invite", "lead_a", lambda w: True),
    # Ettlingen takes part in a second network too (builders/networks.py): it leaves re@di only
    Case("municipalities.membership", "coordinator", lambda w: _readi_membership("ettlingen").status == "left",
         changes={("municipality", "status"), ("user", "active"), ("lead_claim", "status"),
                  ("network_membership", "status")}),
]


def _domain_cases():
    """Cases that a domain's builder module contributes (its FORM_DATA and world setup live there too):
    every module in tests/security/builders/ with a mass_assignment_cases(Case) function."""
    import importlib
    import pkgutil

    from tests.security import builders
    cases = []
    for name in sorted(m.name for m in pkgutil.iter_modules(builders.__path__)):
        module = importlib.import_module(f"tests.security.builders.{name}")
        if hasattr(module, "mass_assignment_cases"):
            cases += module.mass_assignment_cases(Case)
    return cases


MASS_ASSIGNMENT += _domain_cases()


def _tokens():
    from network.accounts.models import ApiToken
    return db.session.execute(sa.select(ApiToken)).scalars().all()


def _readi_membership(slug):
    from network.networks.models import Network, NetworkMembership
    db.session.expire_all()
    return db.session.execute(sa.select(NetworkMembership).join(Network).where(
        Network.slug == "readi", NetworkMembership.municipality_id == _city(slug).id)).scalar_one()


def _city(slug):
    from network.municipalities.models import Municipality
    return db.session.execute(sa.select(Municipality).where(Municipality.slug == slug)).scalar_one()


def protected_state() -> dict:
    """(table, primary key) -> {protected column: value}."""
    db.session.expire_all()
    out = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            cols = [c for c in table.c if c.name in PROTECTED]
            if not cols:
                continue
            pk = list(table.primary_key.columns)
            for row in conn.execute(sa.select(*pk, *cols)).mappings():
                out[(table.name, tuple(row[c.name] for c in pk))] = {c.name: row[c.name] for c in cols}
    return out


def test_every_state_changing_route_has_a_case(app):
    covered = {c.endpoint for c in MASS_ASSIGNMENT}
    missing = sorted({r.endpoint for r in app.url_map.iter_rules() if r.methods & WRITE_METHODS} - covered)
    assert not missing, ("state-changing routes without a mass-assignment case (add one to MASS_ASSIGNMENT in "
                         f"tests/security/test_mass_assignment.py): {missing}")


@pytest.mark.parametrize("case", MASS_ASSIGNMENT, ids=lambda c: c.endpoint)
def test_extra_fields_are_ignored(app, world, case):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == case.endpoint)
    url = build_url(app, rule.endpoint, world.target_args(rule))
    principal = world.principals[case.principal]
    data = FORM_DATA[case.endpoint](world)
    bad = injected(world)
    extras = {k: sent for k, (sent, _v) in bad.items() if k not in data}
    client = login_client(app, principal)
    before = protected_state()
    if case.api:
        resp = app.test_client().open(url, method=case.method, json=dict(data, **extras),
                                      headers={"Authorization": f"Bearer {principal.token}"})
    else:
        resp = client.open(url, method=case.method, data=dict(data, **extras))
    assert resp.status_code == case.expect_status, (case.endpoint, resp.status_code, resp.get_data(as_text=True)[:400])
    assert case.effect(world), f"{case.endpoint}: the request did not have its effect, so the check proves nothing"
    after = protected_state()
    problems = []
    for key, values in after.items():
        table = key[0]
        if key in before:
            for col, value in values.items():
                if value != before[key][col] and (table, col) not in case.changes:
                    problems.append(f"{table} {key[1]}: {col} {before[key][col]!r} -> {value!r}")
        else:
            for col, value in values.items():
                injected_value = bad.get(col, (None, None))[1]
                if col in extras and injected_value is not None and value == injected_value \
                        and (table, col) not in case.new_ok:
                    problems.append(f"new {table} row {key[1]}: {col} = {value!r} (the injected value)")
    report_line = f"mass-assignment: {case.endpoint}: {len(extras)} extra fields ignored"
    assert not problems, f"{case.endpoint} as {case.principal} took extra fields {sorted(extras)}:\n" + "\n".join(problems)
    report(report_line)


def test_api_ignores_extra_query_parameters(app, world):
    """Read endpoints: extra parameters change nothing in the answer."""
    bearer = {"Authorization": f"Bearer {world.staff_a_token}"}
    client = app.test_client()
    query = {k: sent for k, (sent, _v) in injected(world).items()}
    for url in ("/api/v1/me", "/api/v1/municipalities", "/api/v1/municipalities/ettlingen"):
        plain, extra = client.get(url, headers=bearer), client.get(url, headers=bearer, query_string=query)
        assert plain.status_code == 200 and extra.status_code == 200, url
        assert plain.get_json() == extra.get_json(), url


def test_the_detector_sees_a_taken_over_column(world):
    """Mutation check: a protected column that changes shows in protected_state()."""
    from network.accounts.models import User
    before = protected_state()
    db.session.execute(sa.update(User).where(User.id == world.staff_a.id).values(municipality_id=world.city_b.id))
    db.session.commit()
    after = protected_state()
    key = ("user", (world.staff_a.id,))
    assert before[key]["municipality_id"] == world.city_a.id and after[key]["municipality_id"] == world.city_b.id
