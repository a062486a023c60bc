"""Browser fixtures for the end-to-end gates: principals, logged-in contexts, axe-core, a run summary."""

import os
import re

import pytest

from tests.conftest import ROOT
from tests.crawl import login_via_form

DEMO_PASSWORD = "Demo-Passwort-2026"

#: the principals the gates crawl as; accounts no other e2e test changes (test_smoke_live resets staff@bretten)
PRINCIPALS = {
    "anonym": None,
    "Mitarbeitende (staff@bruchsal)": "staff@bruchsal.example",
    "Leitung (lead@ettlingen)": "lead@ettlingen.example",
    "Netzwerkkoordination": "koordination@staedtenetz.example",
}

AXE_PATH = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")

#: lines printed at the end of the run (pages checked per principal, ...)
SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("Browser-Gates (Barrierefreiheit, Herkunft der Anfragen)")
        for line in SUMMARY:
            terminalreporter.write_line(line)


def report(line: str):
    """Print now (visible with -s) and again in the terminal summary."""
    print(line)
    SUMMARY.append(line)


@pytest.fixture(scope="session")
def axe_source():
    """axe-core from npm (package.json devDependency); missing means the gate fails, never skips."""
    if not os.path.exists(AXE_PATH):
        pytest.fail(f"axe-core fehlt unter {AXE_PATH} – `make assets` (npm ci) ausführen; "
                    "der Barrierefreiheits-Test darf nicht übersprungen werden.", pytrace=False)
    with open(AXE_PATH, encoding="utf-8") as f:
        return f.read()


@pytest.fixture(scope="session")
def endpoint_of(app):
    """URL -> Flask endpoint name (for the crawler's per-kind bound); unknown paths group by themselves."""
    from urllib.parse import urlsplit
    adapter = app.url_map.bind("localhost")

    def _endpoint(url: str) -> str:
        path = urlsplit(url).path
        try:
            endpoint, _args = adapter.match(path, method="GET")
            return endpoint
        except Exception:  # noqa: BLE001 – 404, 405 or a redirect: not a known page kind
            return path

    return _endpoint


@pytest.fixture
def new_context(browser, live_app):
    """Factory for fresh browser contexts (own cookies), optionally logged in through the real form."""
    contexts = []

    def _new(email=None, password=DEMO_PASSWORD, **kwargs):
        kwargs.setdefault("locale", "de-DE")
        kwargs.setdefault("timezone_id", "Europe/Berlin")
        ctx = browser.new_context(**kwargs)
        contexts.append(ctx)
        if email:
            page = ctx.new_page()
            login_via_form(page, live_app.base_url, email, password)
            page.close()
        return ctx

    yield _new
    for ctx in contexts:
        ctx.close()


def nav_link(page, name: str):
    """The main navigation's link `name` (exact text), its disclosure group opened first when it sits in one."""
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    text = re.compile(rf"^\s*{re.escape(name)}\s*$")
    link = nav.locator("a.site-nav__link").filter(has_text=text)
    group = nav.locator("details.site-nav__group").filter(has=page.locator("a.site-nav__link").filter(has_text=text))
    if group.count() and not group.evaluate("d => d.open"):
        group.locator("summary").click()
    return link


def logged_in_page(browser, base_url: str, email: str, password: str = DEMO_PASSWORD, **context_kwargs):
    """A fresh browser context (own cookies) logged in through the real login form; returns (context, page) with
    the page on the start page."""
    context = browser.new_context(**context_kwargs)
    page = context.new_page()
    page.goto(base_url + "/anmelden")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(base_url + "/")
    return context, page
