"""Fixtures of the security suite: the world (see world.py) and a summary printed at the end."""

import pytest

from tests.security.world import build_world

#: lines the gates want printed at the end of the run (pages, canaries, payloads checked)
SUMMARY: list[str] = []


@pytest.fixture
def world(app):
    """Cities A and B with principals, objects, canaries: built once per test process, its rows restored before
    every test (tests/snapshot.py), so each test starts from the same state; the DB is emptied after."""
    from tests.snapshot import reuse
    return reuse("security-world", build_world)


def report(line: str) -> None:
    """Print now (visible with -s) and again in the terminal summary."""
    print(line)
    SUMMARY.append(line)


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("security gates")
        for line in SUMMARY:
            terminalreporter.write_line(line)


@pytest.fixture
def make_app(database_url):
    """A separate app instance from create_app() on the test database (for config variants)."""
    from network import create_app
    from network.extensions import db
    from tests.conftest import IsolatedClient
    made = []

    def _make(**overrides):
        config = {"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": database_url,
                  "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "MAIL_BACKEND": "locmem",
                  "SERVER_NAME": "staedtenetz.test", "PREFERRED_URL_SCHEME": "http"}
        config.update(overrides)
        other = create_app(config)
        other.test_client_class = IsolatedClient
        made.append(other)
        return other

    yield _make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
