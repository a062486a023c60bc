"""Issue #15, finding 1: with the database away every page answers 503 (German, Retry-After), the API a 503
envelope and /healthz names the dependency; the first request after the database is back answers 200 again."""

import logging
import os
import socket
import threading

import pytest
import sqlalchemy as sa

from network import create_app
from network.core.scheduler import _wrap
from network.extensions import db
from tests.conftest import free_port, login
from tests.dbutil import db_kind


def _app(url, tmp_path, **over):
    cfg = {"TESTING": True, "SECRET_KEY": "outage", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
           "RATELIMIT_ENABLED": False, "MAIL_BACKEND": "locmem", "SERVER_NAME": "staedtenetz.test",
           "UPLOAD_FOLDER": str(tmp_path)}
    cfg.update(over)
    return create_app(cfg)


def _assert_503_page(resp):
    assert resp.status_code == 503, resp.status_code
    assert resp.headers["Retry-After"].isdigit()
    html = resp.get_data(as_text=True)
    assert "Vorübergehend nicht erreichbar" in html and "Datenbank" in html and 'lang="de"' in html
    assert "Traceback" not in html and "Internal Server Error" not in html


@pytest.fixture
def down_app(tmp_path):
    """An app whose PostgreSQL URL points at a closed loopback port."""
    app = _app(f"postgresql://postgres@127.0.0.1:{free_port()}/staedtenetz", tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_closed_port_every_answer_is_503(down_app):
    client = down_app.test_client()
    for path in ("/", "/vorhaben/ettlingen/"):
        _assert_503_page(client.get(path))
    _assert_503_page(client.post("/anmelden", data={"email": "a@b.test", "password": "x"}))
    resp = client.get("/api/v1/me", headers={"Authorization": "Bearer abc"})
    assert resp.status_code == 503 and resp.headers["Retry-After"]
    err = resp.get_json()["error"]
    assert err["code"] == "unavailable" and "Datenbank" in err["message"]
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.get_json() == {
        "status": "unavailable", "checks": {"database": "unavailable"}, "down": ["database"]}


def test_closed_port_logged_in_user_gets_the_german_503_not_a_bare_500(down_app):
    """The user loader and the locale selector need the database: the 503 page must not."""
    client = down_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = "some-session-key"
        sess["_fresh"] = True
    for path in ("/", "/gibt-es-nicht", "/profil"):
        _assert_503_page(client.get(path))
    with client.session_transaction() as sess:
        sess["lang"] = "en"
    resp = client.get("/")
    assert resp.status_code == 503 and "Temporarily unavailable" in resp.get_data(as_text=True)


def test_healthz_names_redis_when_the_limiter_uses_it(tmp_path, app):
    other = _app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path,
                 RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0")
    with other.app_context():
        from network.core.health import dependency_status
        assert dependency_status() == {"database": "ok", "redis": "unavailable"}
        db.engine.dispose()
    # the usual app (memory storage): database only, 200
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 200 and resp.get_json() == {"status": "ok", "checks": {"database": "ok"}}


def test_scheduler_job_survives_an_outage_and_resumes(app, down_app, caplog):
    calls = []

    def job():
        calls.append(1)
        return {"n": db.session.scalar(sa.text("SELECT 1"))}

    caplog.set_level(logging.WARNING, logger="network.core.scheduler")
    _wrap(down_app, job, "probe")()  # raises nothing
    assert "database unavailable" in caplog.text and "Traceback" not in caplog.text
    _wrap(down_app, job, "probe")()
    assert len(calls) == 2
    # the same job on a reachable database runs normally
    results = []
    _wrap(app, lambda: results.append(db.session.scalar(sa.text("SELECT 1"))), "probe")()
    assert results == [1]


class _Proxy:
    """A loopback TCP forwarder to PostgreSQL that can be switched off (a real outage for the app)."""

    def __init__(self, target_port, port):
        self.target_port, self.port = target_port, port
        self.conns, self.server = [], None

    def start(self):
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", self.port))
        self.server.listen(50)
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()
        return self

    def _accept(self, server):
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self):
        try:  # wakes the thread blocked in accept(); close() alone leaves the socket listening on Linux
            self.server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.server.close()
        for s in self.conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.conns = []


@pytest.mark.slow
@pytest.mark.skipif(db_kind() != "postgresql", reason="stops a PostgreSQL connection path")
def test_real_outage_503_then_200_at_the_first_request_after(app, database_url, staff_a, tmp_path):
    url = sa.engine.make_url(database_url)
    proxy = _Proxy(url.port or 5432, free_port()).start()
    outage_app = _app(url.set(port=proxy.port).render_as_string(hide_password=False), tmp_path)
    client = outage_app.test_client()
    try:
        login(client, staff_a)
        assert client.get("/").status_code == 200
        assert client.get("/healthz").status_code == 200
        proxy.stop()
        _assert_503_page(client.get("/"))  # logged in: user loader fails first
        _assert_503_page(client.get("/vorhaben/ettlingen/"))
        assert client.get("/healthz").status_code == 503
        proxy.start()
        assert client.get("/").status_code == 200  # the very first request after the database is back
        assert client.get("/healthz").status_code == 200
    finally:
        proxy.stop()
        with outage_app.app_context():
            db.engine.dispose()
