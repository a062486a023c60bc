"""Fixtures: one app and database per test session, emptied after every test."""

import contextvars
import os
import re
import socket
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from network import create_app
from network.extensions import db
from tests import factories
from tests.dbutil import db_kind, new_database_url

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_configure(config):
    # each test process (each xdist worker of each database pass) keeps its instance folder (secret key, locks,
    # Impressum files some tests write) to itself; subprocesses started by tests inherit it (an xdist worker inherits
    # its controller's environment, so a worker always makes its own)
    if not os.environ.get("STAEDTENETZ_INSTANCE_PATH") or os.environ.get("PYTEST_XDIST_WORKER"):
        import tempfile
        os.environ["STAEDTENETZ_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="staedtenetz-instance-")
    # argon2id stays the algorithm; tests use cheap parameters so that hundreds of logins stay fast
    from argon2 import PasswordHasher
    from network.accounts import models as account_models
    account_models._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


#: fixtures that start the shared live app or the browser (once per test process)
LIVE_FIXTURES = {"live_app", "browser"}


def pytest_collection_modifyitems(config, items):
    """Two rules for the two database passes and their parallel workers (issue #17, `make test`):

    - Tests of the live app or the browser form one xdist group: they run in one worker, one after the other, on
      one live app and one Chromium; the other workers take everything else.
    - The PostgreSQL pass leaves out what does not depend on the database: the rendering gates (axe crawl,
      screenshots, keyboard, XSS in the browser), the browser flows (`e2e`: they drive the same views and services
      that the non-browser tests run on PostgreSQL) and the HTTP-only gates (`http_only`: CSRF, security headers).
      Tests marked `both_databases` (the live smoke test of gunicorn + scheduler) run on both.
    """
    for item in items:
        if LIVE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("live"))
    if db_kind() != "postgresql":
        return
    for item in items:
        if item.get_closest_marker("both_databases"):
            continue
        for marker, why in (("rendering", "rendering gate"), ("e2e", "browser flow"), ("http_only", "HTTP-only gate"),
                            ("sqlite_only", "slow database-independent check")):
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(
                    reason=f"{why}: runs in the SQLite pass (the same pages and services are tested on PostgreSQL)"))
                break


def pytest_report_header(config):
    return f"Städtenetz test database: {db_kind()}"


@pytest.fixture(scope="session")
def database_url():
    return new_database_url("unit")


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production, not in the test's app context."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        from flask import has_app_context
        if has_app_context():
            db.session.expire_all()  # the test sees what the request committed
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # fixtures and restored snapshots change rows behind the app's back; tests/practices/test_result_cache.py
        # turns it on
        "RESULT_CACHE_SECONDS": 0,
        "MAIL_BACKEND": "locmem",
        "SERVER_NAME": "staedtenetz.test",
        "PREFERRED_URL_SCHEME": "http",
        # the SQLite and PostgreSQL runs go at the same time: each keeps its uploads to itself
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables():
    """Empty what the test wrote: one probe finds the tables with rows, which are emptied with DELETE, children
    before parents (on a few small tables far cheaper than TRUNCATE, which makes new files for every table and its
    indexes). On PostgreSQL every sequence the test advanced starts again at 1 (also after a rollback), in one
    statement (setval is not DDL); SQLite's rowids start again by themselves once a table is empty."""
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
    written = {row[0] for row in db.session.execute(sa.text(probe))}
    for table in tables:
        if table.name in written:
            db.session.execute(table.delete())
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(
            "SELECT setval(format('%I', sequencename)::regclass, 1, false) FROM pg_sequences "
            "WHERE schemaname = current_schema() AND last_value IS NOT NULL"))
    db.session.commit()


@pytest.fixture(autouse=True)
def _app_context(request, app):
    """Every test runs inside an app context and leaves the database empty."""
    if "no_app_context" in request.keywords:
        yield
        return
    from network.extensions import limiter
    limiter.enabled = False  # another test's create_app() with the defaults switches the global limiter on
    ctx = app.test_request_context()
    ctx.push()
    factories.make_network()  # the installation's default network (DEFAULT_NETWORK), as the migration creates it
    db.session.commit()
    yield
    db.session.rollback()
    _empty_all_tables()
    db.session.remove()
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["RATELIMIT_ENABLED"] = False
    ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app):
    """Messages delivered by the locmem backend."""
    state = app.extensions["mailman"]
    state.outbox = []
    return state.outbox


# --- tenants and principals -------------------------------------------------------------

@pytest.fixture
def city_a():
    c = factories.make_city("Ettlingen")
    db.session.commit()
    return c


@pytest.fixture
def city_b():
    c = factories.make_city("Bühl", district="Landkreis Rastatt")
    db.session.commit()
    return c


@pytest.fixture
def lead_a(city_a):
    u = factories.make_user(city_a, "lead", email="lead@ettlingen.test", name="Lea Leitung")
    db.session.commit()
    return u


@pytest.fixture
def staff_a(city_a):
    u = factories.make_user(city_a, "staff", email="staff@ettlingen.test", name="Sami Mitarbeit")
    db.session.commit()
    return u


@pytest.fixture
def lead_b(city_b):
    u = factories.make_user(city_b, "lead", email="lead@buehl.test", name="Bea Bühl")
    db.session.commit()
    return u


@pytest.fixture
def staff_b(city_b):
    u = factories.make_user(city_b, "staff", email="staff@buehl.test", name="Ben Bühl")
    db.session.commit()
    return u


@pytest.fixture
def coordinator():
    u = factories.make_user(None, "lead", email="koordination@test.example", name="Koordination", coordinator=True)
    db.session.commit()
    return u


@pytest.fixture
def nord():
    """A second network beside re@di (issue #16); no city takes part in it unless a test joins one."""
    network = factories.make_network("nord", "Städtenetz Nord", region="Nordbaden")
    db.session.commit()
    return network


@pytest.fixture
def coordinator_nord(nord):
    """The coordinator of ``nord`` only (no rights in re@di)."""
    u = factories.make_user(None, "lead", email="nord@test.example", name="Nora Nord", coordinator=nord)
    db.session.commit()
    return u


@pytest.fixture
def admin():
    """The platform administration (no city, no network role)."""
    user = factories.make_user(None, "lead", email="plattform@test.example", name="Plattform",
                               is_platform_admin=True)
    db.session.commit()
    return user


@pytest.fixture
def sign_in(app):
    """A fresh client logged in as the user (one client per person: a second login on one client would keep the
    first session)."""
    def _sign_in(user):
        c = app.test_client()
        login(c, user)
        return c
    return _sign_in


def login(client, user, password=factories.PASSWORD):
    """Log in through the real form; returns the response."""
    resp = client.post("/anmelden", data={"email": user.email, "password": password})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return resp


@pytest.fixture
def login_as(client):
    def _login(user, password=factories.PASSWORD):
        login(client, user, password)
        return client
    return _login


@pytest.fixture
def count_queries(app):
    """Context manager counting SQL statements (for N+1 checks)."""
    import contextlib

    @contextlib.contextmanager
    def counter():
        statements = []

        def before(conn, cursor, statement, params, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counter


def row_count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def csrf_token_from(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert m, "no csrf token in page"
    return m.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_app():
    """gunicorn + scheduler + SMTP sink on loopback with a fresh demo database (once per session)."""
    from tests.live import LiveApp
    live = LiveApp().start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (once per session)."""
    from playwright.sync_api import Page, sync_playwright
    from tests.live import launch_browser

    if not getattr(Page.content, "_waits_for_load", False):
        # a click that submits a form returns once the next page starts loading; reading the page
        # before its load event could see half a document (flaky under load), so content() waits for it
        original = Page.content

        def content(self):
            self.wait_for_load_state("load")
            return original(self)
        content._waits_for_load = True
        Page.content = content
    with sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()
