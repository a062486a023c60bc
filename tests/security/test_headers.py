"""Security headers on every response the crawl sees, on static files and on every error page;
error pages carry a request id and never a traceback."""

import re

import pytest

from tests.security.conftest import report
from tests.security.crawl import Crawl, links_in
from tests.security.world import PRINCIPAL_KEYS

pytestmark = pytest.mark.http_only


def header_problems(resp) -> list[str]:
    h = resp.headers
    problems = []
    csp = h.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    script_src = directives.get("script-src") or directives.get("default-src", "")
    if not csp:
        problems.append("no Content-Security-Policy")
    elif not script_src:
        problems.append("CSP without script-src/default-src")
    elif "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src or "*" in script_src.split():
        problems.append(f"CSP script-src allows inline/eval/any: {script_src}")
    if directives.get("frame-ancestors") != "frame-ancestors 'none'":
        problems.append(f"CSP frame-ancestors is not 'none': {directives.get('frame-ancestors')}")
    if "object-src" in directives and directives["object-src"] != "object-src 'none'":
        problems.append("CSP object-src is not 'none'")
    if h.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not h.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if not re.fullmatch(r"[0-9a-f]{16}", h.get("X-Request-ID", "")):
        problems.append(f"no request id: {h.get('X-Request-ID')!r}")
    return problems


@pytest.mark.parametrize("key", PRINCIPAL_KEYS)
def test_every_crawled_response_carries_the_security_headers(app, world, key):
    failures, statics, count = [], set(), [0]

    def visit(kind, url, resp):
        if kind == "mail":
            return
        count[0] += 1
        for p in header_problems(resp):
            failures.append(f"{url} ({kind}, as {key}, {resp.status_code}): {p}")
        if resp.mimetype == "text/html":
            html = resp.get_data(as_text=True)
            statics.update(re.findall(r'(?:href|src)="(/static/[^"?]+)', html))

    # the headers come from one after_request hook: one URL per rule (and a shorter link crawl) reaches every route
    # and kind of answer (page, API, redirect, error, download); the canary gate opens every object
    Crawl(app, world, world.principals[key], max_pages=80, per_rule=1).run(visit)
    client = app.test_client()
    for path in sorted(statics):
        resp = client.get(path)
        assert resp.status_code == 200, path
        failures += [f"{path} (static): {p}" for p in header_problems(resp)]
    report(f"headers: {key}: {count[0]} responses and {len(statics)} static files checked")
    assert count[0] > 20 and statics
    assert not failures, "\n".join(failures)


TRACEBACK = re.compile(r"Traceback|File \"|line \d+, in|werkzeug\.|sqlalchemy\.exc|RuntimeError|kaputt-geheim")


def _error_page_ok(resp, status, where):
    assert resp.status_code == status, (where, resp.status_code)
    assert not header_problems(resp), (where, header_problems(resp))
    body = resp.get_data(as_text=True)
    assert not TRACEBACK.search(body), f"{where}: traceback or exception text in the error page"
    rid = resp.headers["X-Request-ID"]
    if resp.mimetype == "application/json":
        error = resp.get_json()["error"]
        assert error["code"] and error["message"], where
    else:
        assert rid in body, f"{where}: the page does not show its request id {rid}"
        assert "<h1" in body and "Zur Startseite" in body, where


def test_error_pages(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    _error_page_ok(client.get("/gibt-es-nicht"), 404, "HTML 404")
    _error_page_ok(client.get("/abmelden"), 405, "HTML 405")
    _error_page_ok(client.post("/anmelden", data={"email": "x", "password": "y"}), 400, "HTML 400 (CSRF)")
    _error_page_ok(client.get("/api/v1/gibt-es-nicht"), 404, "API 404")
    _error_page_ok(client.get("/api/v1/me"), 401, "API 401")
    bearer = {"Authorization": f"Bearer {world.staff_a_token}"}
    _error_page_ok(client.get("/api/v1/municipalities/gibt-es-nicht", headers=bearer), 404, "API 404 with token")
    _error_page_ok(client.post("/api/v1/me", headers=bearer), 405, "API 405")


def test_a_500_shows_a_request_id_and_no_traceback(make_app):
    """A separate app with a test-only route that raises (production-like: not TESTING, not DEBUG)."""
    other = make_app(TESTING=False, DEBUG=False, PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise RuntimeError("kaputt-geheim: interne Details")

    other.add_url_rule("/_test/boom", "test_boom", boom)
    other.add_url_rule("/api/v1/_test/boom", "test_api_boom", boom)
    client = other.test_client()
    _error_page_ok(client.get("/_test/boom"), 500, "HTML 500")
    _error_page_ok(client.get("/api/v1/_test/boom"), 500, "API 500")


def test_the_header_check_can_fail(app):
    """Mutation check: a response without our headers is reported."""
    from flask import Response
    problems = header_problems(Response("x", headers={"Content-Security-Policy": "script-src 'self' 'unsafe-inline'"}))
    assert len(problems) >= 4, problems
    assert links_in('<a href="/x">', "http://staedtenetz.test/") == ["/x"]
