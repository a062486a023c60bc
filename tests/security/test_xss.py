"""XSS: every payload of payloads.py in every user-editable text field; the pages that show them
are opened in Chromium without our CSP (bypass_csp=True: escaping alone must hold; a payload our CSP would
block runs here, so this is the stronger check, and the CSP itself is checked by the header gate and the
crawl's CSP listener): 0 dialogs, no executed payload (window.__xss), no injected markup (on*-attributes,
script/iframe/object/base elements, javascript:/data: URLs). The HTML of the emails is opened
too (a mail client has no CSP). Reflected input (query parameters, form echo of invalid input) is
checked in-process for every payload.

Data goes into the session's live app (gunicorn, scheduler, SMTP sink), created through the services
in-process on the live app's database, and is removed again afterwards (the browser/a11y crawl of
tests/e2e must not meet hundreds of payload cities). Fields today (XSS_FIELDS): user name (invitation, profile), city name,
district and website (admission/edit), API token name; the audit summaries echo them. A later domain
adds a function to XSS_FIELDS that stores the payloads in its fields and returns the paths of the
pages that show them.
"""

import re
import time

import pytest
import sqlalchemy as sa

from network.accounts.models import ApiToken
from tests.security.conftest import report
from tests.security.payloads import DOM_CHECK, INIT_SCRIPT, all_payloads, markup_problems

pytestmark = pytest.mark.e2e

PAYLOADS = all_payloads()
COORDINATOR = "koordination@staedtenetz.example"
DEMO_PASSWORD = "Demo-Passwort-2026"


def _fields_core(ctx):
    """User names (invitations), API token names, cities (name, district, website), audit summaries."""
    from network.accounts import services as accounts
    from network.core import audit
    from network.core.validation import Checker, ValidationFailed
    from network.extensions import db
    from network.municipalities.models import Municipality
    from network.networks.models import NetworkMembership
    from network.networks.services import network_by_slug

    coord, stats = ctx["coordinator"], ctx["stats"]
    home = Municipality(slug="xss", name="XSS-Teststadt", kind="stadt", district="", website="", status="member")
    db.session.add(home)
    db.session.flush()
    readi = network_by_slug("readi")
    # the payload cities are members of re@di: the coordinator's bodies, meetings and lists take them
    db.session.add(NetworkMembership(network_id=readi.id, municipality_id=home.id, status="member"))
    names = set()
    for i, p in enumerate(PAYLOADS):
        try:
            with db.session.begin_nested():
                accounts.invite_user(coord, home, email=f"xss{i}@xss-test.example", name=p, role="staff")
            stats["user.name"] += 1
        except ValidationFailed:
            stats["skipped (too long)"] += 1
        try:
            with db.session.begin_nested():
                accounts.create_api_token(coord, p)
            stats["token.name"] += 1
        except ValidationFailed:
            stats["skipped (too long)"] += 1
        ok_name = len(p.strip()) <= 120 and p.strip().lower() not in names
        names.add(p.strip().lower())
        # the website must pass the service's URL check: payloads without spaces, behind a valid start
        website = "https://example.org/" + p.strip() if not re.search(r"\s", p.strip()) else ""
        c = Checker()
        c.url("website", website, label="w")
        if c.errors or len(website) > 300 or stats["city.website"] >= 12:  # 12 city pages are enough
            website = ""
        city = Municipality(slug=f"xss-{i:03d}", name=p.strip() if ok_name else f"XSS {i}",
                            district=p.strip()[:120], kind="stadt", status="member", website=website)
        db.session.add(city)
        db.session.flush()
        db.session.add(NetworkMembership(network_id=readi.id, municipality_id=city.id, status="member"))
        stats["city.name"] += ok_name
        stats["city.district"] += 1
        stats["city.website"] += bool(website)
        audit.record(coord, "municipality.updated", obj=city, summary=f"Stammdaten von {city.name} geändert")
    db.session.flush()
    websites = db.session.execute(sa.select(Municipality.slug).where(Municipality.website != "",
                                                                     Municipality.slug.like("xss-%"))).scalars().all()
    pages = ["/", "/kommunen/", "/kommunen/xss", "/kommunen/xss/konten", "/profil/tokens"]
    pages += [f"/kommunen/{s}" for s in websites]
    # the city list is paged (50 a page): every page, so that every city name is rendered once
    pages += [f"/kommunen/?seite={n}" for n in range(2, len(PAYLOADS) // 50 + 3)]
    # the edit form puts name, district and website into value attributes: a sample in the browser
    # (test_reflected_input_is_escaped renders every payload through the same form fields in-process)
    pages += [f"/kommunen/{s}/bearbeiten" for s in websites[:8]]
    # audit summaries that echo city and token names, 50 per page
    for action in ("municipality.updated", "token.created"):
        pages += [f"/protokoll?aktion={action}&seite={n}" for n in range(1, len(PAYLOADS) // 50 + 2)]
    return sorted(set(pages))


def _builder_modules():
    import importlib
    import pkgutil

    from tests.security import builders
    return [importlib.import_module(f"tests.security.builders.{name}")
            for name in sorted(m.name for m in pkgutil.iter_modules(builders.__path__))]


def _fields_domains(ctx):
    """Every builder module's xss_fields(ctx, payloads) -> paths (after the core fields: the "xss" city exists)."""
    pages = []
    for module in _builder_modules():
        if hasattr(module, "xss_fields"):
            pages += module.xss_fields(ctx, PAYLOADS)
    return pages


#: functions(ctx) that store the payloads in a domain's fields and return the paths showing them
XSS_FIELDS = [_fields_core, _fields_domains]


@pytest.fixture(scope="module")
def xss_live(live_app):
    """The session's live app, filled with payloads through the services, emptied again afterwards
    (so that the browser/a11y crawl of tests/e2e never meets hundreds of payload cities)."""
    from collections import Counter

    from network import create_app
    from network.accounts.services import find_user_by_email
    from network.core.models import AuditEvent, OutboxMessage
    from network.extensions import db

    seed_app = create_app({"DATABASE_URL": live_app.database_url, "SECRET_KEY": "live-test-secret",
                           "SERVER_NAME": f"127.0.0.1:{live_app.port}", "MAIL_BACKEND": "locmem", "TESTING": True})
    stats = Counter()
    with seed_app.test_request_context(base_url=live_app.base_url):
        coordinator = find_user_by_email(COORDINATOR)
        marks = {"audit": db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0,
                 "token": db.session.scalar(sa.select(sa.func.max(ApiToken.id))) or 0}
        ctx = {"coordinator": coordinator, "stats": stats, "payloads": PAYLOADS, "cleanups": []}
        try:
            pages = []
            for fn in XSS_FIELDS:
                pages += fn(ctx)
            mails = db.session.execute(sa.select(OutboxMessage.body_html).where(
                OutboxMessage.recipient.like("%@xss-test.example"))).scalars().all()
            db.session.commit()
            yield live_app, sorted(set(pages)), mails, stats
        finally:
            db.session.rollback()
            for clean_up in ctx["cleanups"]:  # a domain's own clean-ups (module xss_clean_up runs in _clean_up)
                clean_up()
            _clean_up(coordinator.id, marks)
            db.session.remove()
            db.engine.dispose()


def _clean_up(coordinator_id, marks):
    """Remove every row the payload run created on the shared live database."""
    from network.accounts.models import LoginSession, User, UserToken
    from network.core.models import AuditEvent, OutboxMessage
    from network.extensions import db
    from network.municipalities.models import Municipality
    from network.networks.models import NetworkMembership
    db.session.rollback()
    for module in _builder_modules():  # domain rows first: they refer to the payload cities
        if hasattr(module, "xss_clean_up"):
            module.xss_clean_up()
    cities = sa.select(Municipality.id).where(sa.or_(Municipality.slug == "xss", Municipality.slug.like("xss-%")))
    users = sa.select(User.id).where(User.email.like("%@xss-test.example"))
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.recipient.like("%@xss-test.example")))
    db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id > marks["audit"], sa.or_(
        AuditEvent.actor_id == coordinator_id, AuditEvent.municipality_id.in_(cities))))
    db.session.execute(sa.delete(ApiToken).where(ApiToken.id > marks["token"], ApiToken.user_id == coordinator_id))
    db.session.execute(sa.delete(UserToken).where(sa.or_(UserToken.user_id.in_(users), UserToken.created_by_id.in_(users))))
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id.in_(users)))
    db.session.execute(sa.delete(User).where(User.id.in_(users)))
    db.session.execute(sa.delete(NetworkMembership).where(NetworkMembership.municipality_id.in_(cities)))
    db.session.execute(sa.delete(Municipality).where(Municipality.id.in_(cities)))
    db.session.commit()
    left = db.session.scalar(sa.select(sa.func.count()).select_from(Municipality).where(Municipality.slug.like("xss%")))
    assert left == 0, "payload cities left on the live database"


def _check_pages(browser, live, pages, *, bypass_csp):
    context = browser.new_context(bypass_csp=bypass_csp)
    context.add_init_script(INIT_SCRIPT)
    # stylesheets and fonts play no part in script execution; skipping them keeps 2 cores fast
    context.route("**/*.{css,woff,woff2,ttf}", lambda route: route.abort())
    page = context.new_page()
    dialogs, problems = [], []
    page.on("dialog", lambda d: (dialogs.append((page.url, d.message)), d.dismiss()))
    page.goto(live.base_url + "/anmelden")
    page.fill("#email", COORDINATOR)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/anmelden" not in page.url, "login as the coordinator failed"
    for path in pages:
        resp = page.goto(live.base_url + path, wait_until="load")
        assert resp is not None and resp.status == 200, (path, resp and resp.status)
        page.wait_for_timeout(10)  # let autofocus/onload handlers fire
        result = page.evaluate(DOM_CHECK)
        label = "without CSP" if bypass_csp else "with CSP"
        for item in result["bad"]:
            problems.append(f"{path} ({label}): injected markup: {item}")
        if result["flag"]:
            problems.append(f"{path} ({label}): a payload ran (window.__xss={result['flag']})")
        for v in result["violations"]:
            problems.append(f"{path} ({label}): CSP blocked an injected script: {v}")
    context.close()
    return dialogs, problems


@pytest.mark.rendering
def test_payloads_never_run_in_the_browser(xss_live, browser):
    live, pages, mails, stats = xss_live
    started = time.time()
    dialogs, problems = [], []
    d, p = _check_pages(browser, live, pages, bypass_csp=True)
    dialogs += d
    problems += p
    # the invitation emails (HTML part), as a mail client without CSP would show them, 40 per page
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(("mail", d.message)), d.dismiss()))
    for i in range(0, len(mails), 40):
        page.set_content("\n".join(m or "" for m in mails[i:i + 40]), wait_until="load")
        page.wait_for_timeout(20)
        result = page.evaluate(DOM_CHECK)
        problems += [f"invitation mails {i}-{i + 39}: {b}" for b in result["bad"]]
        if result["flag"]:
            problems.append(f"invitation mails {i}-{i + 39}: a payload ran")
    context.close()
    report(f"xss: {len(PAYLOADS)} payloads ({dict(stats)}) on {len(pages)} pages (without CSP) "
           f"and in {len(mails)} emails, {time.time() - started:.1f}s in Chromium")
    assert len(PAYLOADS) >= 200 and stats["user.name"] >= 200 and stats["token.name"] >= 200
    assert len(mails) >= 200
    assert not dialogs, f"{len(dialogs)} dialogs opened: {dialogs[:10]}"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def test_the_browser_check_can_fail(browser):
    """Mutation check: an unescaped payload on a page is reported, with CSP bypassed."""
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content('<p><img src=x onerror="window.__xss=1"><script>alert(123)</script></p>', wait_until="load")
    page.wait_for_timeout(50)
    result = page.evaluate(DOM_CHECK)
    context.close()
    assert dialogs == ["123"] and result["flag"] == 1 and result["bad"]


# --- reflected input, in-process (every payload) ---------------------------------------------

def test_reflected_input_is_escaped(app):
    """Query parameters and the echo of invalid form input show every payload as text."""
    from tests import factories
    from tests.conftest import login
    from network.extensions import db
    city = factories.make_city("Ettlingen")
    lead = factories.make_user(city, "lead", email="lead@ettlingen.example")
    coord = factories.make_user(None, "lead", email="k@netz.example", coordinator=True)
    db.session.commit()
    lead_client, coord_client, anon = app.test_client(), app.test_client(), app.test_client()
    login(lead_client, lead)
    login(coord_client, coord)
    problems, checked = [], 0
    for p in PAYLOADS:
        too_long = p + " " + "x" * 130  # invalid: the form shows the input again
        for label, resp in (
            ("audit filter", coord_client.get("/protokoll", query_string={"aktion": p})),
            ("login next", anon.get("/anmelden", query_string={"next": p})),
            ("invite echo", lead_client.post("/kommunen/ettlingen/konten",
                                             data={"name": too_long, "email": p, "role": "staff"})),
            ("edit echo", lead_client.post("/kommunen/ettlingen/bearbeiten",
                                           data={"name": too_long, "district": p, "website": p,
                                                 "kind": "stadt", "population": p})),
            ("token echo", lead_client.post("/profil/tokens", data={"name": too_long})),
        ):
            assert resp.status_code in (200, 422), (label, resp.status_code, p)
            checked += 1
            for item in markup_problems(resp.get_data(as_text=True)):
                problems.append(f"{label}: {item} for payload {p!r}")
    report(f"xss: {checked} reflected responses checked in-process ({len(PAYLOADS)} payloads x 5 inputs)")
    assert not problems, "\n".join(problems[:30])
    assert markup_problems('<a href="javascript:x">') and markup_problems("<img src=x onerror=y>")
