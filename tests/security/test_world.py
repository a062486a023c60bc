"""The world reaches every route: each URL argument of app.url_map has values (see world.py)."""

from tests.security.crawl import unresolved_rules
from tests.security.world import PRINCIPAL_KEYS


def test_every_url_argument_has_world_values(app, world):
    """A route whose argument the world cannot fill is invisible to every gate: name it, fail."""
    missing = sorted({r for key in PRINCIPAL_KEYS for r in unresolved_rules(app, world, world.principals[key])})
    assert not missing, ("routes the security gates cannot reach, because no builder in tests/security/builders/ "
                         "registers values for their URL arguments (w.arg(name, value, endpoints=...), see "
                         "tests/security/world.py):\n  " + "\n  ".join(missing))


def test_every_principal_exists_and_has_a_token(world):
    assert set(world.principals) == set(PRINCIPAL_KEYS)
    for key in PRINCIPAL_KEYS:
        p = world.principals[key]
        assert (p.user is None) == (key == "anonymous") and (p.token is None) == (key == "anonymous"), key
