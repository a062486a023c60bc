"""Access to the networks routes for the principals the common matrix does not have: a city in two networks,
a city that left, the coordinator of network B, the platform administration."""

import pytest

from network.extensions import db
from tests import factories
from tests.conftest import login

NET_A = "/n/readi/verwaltung"
NET_B = "/n/nord/verwaltung"


@pytest.fixture
def people(nord, coordinator_nord, coordinator, admin):
    both = factories.make_city("Ettlingen", networks=[factories.make_network(), nord])
    left = factories.make_city("Rastatt", networks=[])
    factories.join_network(left, nord, status="left")
    out = {"both": factories.make_user(both, "lead", email="lead@ettlingen.test"),
           "left": factories.make_user(left, "lead", email="lead@rastatt.test"),
           "coordinator_b": coordinator_nord, "coordinator_a": coordinator, "admin": admin}
    db.session.commit()
    return out


CASES = [
    # (method, url, data, {principal: status})
    ("GET", f"{NET_A}/mitglieder", None,
     {"both": 403, "left": 403, "coordinator_b": 404, "coordinator_a": 200, "admin": 403}),
    ("GET", f"{NET_B}/mitglieder", None,
     {"both": 403, "left": 403, "coordinator_b": 200, "coordinator_a": 404, "admin": 403}),
    ("GET", f"{NET_B}/einstellungen", None,
     {"both": 403, "left": 403, "coordinator_b": 200, "coordinator_a": 404, "admin": 200}),
    ("GET", f"{NET_B}/koordination", None,
     {"both": 403, "left": 403, "coordinator_b": 200, "coordinator_a": 404, "admin": 200}),
    ("GET", "/verwaltung/netzwerke/neu", None,
     {"both": 403, "left": 403, "coordinator_b": 403, "coordinator_a": 403, "admin": 200}),
    ("POST", "/netzwerk-wechseln", {"network": "nord"},
     {"both": 302, "left": 422, "coordinator_b": 302, "coordinator_a": 422, "admin": 422}),
    ("GET", "/n/nord/", None, {"both": 200, "left": 200, "coordinator_b": 200, "coordinator_a": 200, "admin": 200}),
]


@pytest.mark.parametrize("method,url,data,expect", CASES, ids=lambda c: c if isinstance(c, str) else None)
def test_access(app, people, method, url, data, expect):
    got = {}
    for name in expect:
        client = app.test_client()
        login(client, people[name])
        got[name] = client.open(url, method=method, data=data or {}).status_code
    assert got == expect
