"""Gates over every page a principal can reach: WCAG 2.1 AA (axe-core), no request leaves our origin, no 5xx.

The pages are found by crawling (tests/crawl.py), not listed by hand: a new page is checked the day a link
to it appears. Each principal logs in through the real login form. The number of pages checked per
principal is printed (with -s) and repeated in the terminal summary.
"""

import json
import uuid

import pytest

from tests.crawl import crawl, summary
from tests.e2e.conftest import PRINCIPALS, report

pytestmark = [pytest.mark.e2e, pytest.mark.rendering]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_PAGES = 100
#: URLs per Flask endpoint: nine city pages share one template, and each principal sees each kind of page once
#: (a second URL of the same endpoint cost ~40 % of the crawl's time and found nothing the first did not; the
#: four principals already see each template with different data), the rest of the budget goes to other kinds
PER_ENDPOINT = 1


def run_axe(page, axe_source) -> list[dict]:
    """Inject axe-core (evaluate is not subject to our CSP, an inline <script> would be) and run it."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    result = page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                                            summary: (v.nodes[0] || {}).failureSummary || ''}));
           }""", AXE_TAGS)
    return result


def format_violations(problems) -> str:
    lines = []
    for record, v in problems:
        lines.append(f"- {record.describe()}: Regel {v['id']} ({v['impact']}): {v['help']}\n"
                     f"    Ziele: {', '.join(v['targets'])}\n    {v['summary'].splitlines()[-1] if v['summary'] else ''}")
    return "\n".join(lines)


@pytest.mark.parametrize("principal", list(PRINCIPALS))
def test_every_reachable_page_is_accessible_and_stays_on_our_origin(principal, live_app, new_context, axe_source,
                                                                   endpoint_of):
    """Crawl as the principal; each page: 0 axe violations, every request to our origin, no CSP violation, < 400."""
    ctx = new_context(PRINCIPALS[principal])
    violations = []

    def check(page, record):
        for v in run_axe(page, axe_source):
            violations.append((record, v))

    records = crawl(ctx, live_app.base_url, principal=principal, max_pages=MAX_PAGES, on_page=check,
                    group_of=endpoint_of, max_per_group=PER_ENDPOINT)
    html_pages = [r for r in records if r.kind == "html"]
    endpoints = {endpoint_of(r.url) for r in html_pages}
    report(f"{principal}: {len(html_pages)} Seiten ({len(endpoints)} Endpunkte) mit axe-core geprüft, "
           f"alle Anfragen an die eigene Herkunft ({summary(records)})")
    if len(records) >= MAX_PAGES:
        report(f"  Achtung: Seitenbudget {MAX_PAGES} für {principal} ausgeschöpft – MAX_PAGES erhöhen?")

    assert len(html_pages) >= 3, f"Crawl als {principal} fand kaum Seiten: {[r.url for r in records]}"
    broken = [r for r in records if r.error]
    assert not broken, f"Seiten, die sich als {principal} nicht prüfen ließen:\n" + "\n".join(
        f"- {r.describe()}: {r.error}" for r in broken)
    server_errors = [r for r in records if r.status is None or r.status >= 500]
    assert not server_errors, f"Serverfehler beim Crawl als {principal}:\n" + "\n".join(
        f"- {r.describe()}" for r in server_errors)
    dead = [r for r in records if r.status >= 400]
    assert not dead, (f"Verlinkte Seiten, die als {principal} nicht erreichbar sind (toter Link oder Link, den die "
                      f"Rolle nicht sehen dürfte):\n" + "\n".join(f"- {r.describe()}" for r in dead))
    foreign = [(r, q) for r in records for q in r.foreign_requests(live_app.base_url)]
    assert not foreign, f"Anfragen an fremde Herkunft (CDN, Schriften, Analyse) als {principal}:\n" + "\n".join(
        f"- {r.describe()}: {q.method} {q.url} ({q.resource_type})" for r, q in foreign)
    csp = [(r, v) for r in records for v in r.csp_violations]
    assert not csp, f"CSP-Verstöße (Inline-Stil/-Skript oder fremde Quelle) als {principal}:\n" + "\n".join(
        f"- {r.describe()}: {json.dumps(v, ensure_ascii=False)}" for r, v in csp)
    assert not violations, (f"WCAG-2.1-AA-Verstöße (axe-core, {', '.join(AXE_TAGS)}) als {principal}:\n"
                            + format_violations(violations))


def test_error_page_is_accessible(live_app, new_context, axe_source):
    """The 404 page, which no link leads to, meets the same gate."""
    ctx = new_context()
    page = ctx.new_page()
    url = f"{live_app.base_url}/gibt-es-nicht-{uuid.uuid4().hex[:8]}"
    response = page.goto(url)
    assert response.status == 404, f"{url}: erwartet 404, bekam {response.status}"
    found = run_axe(page, axe_source)
    assert not found, "WCAG-Verstöße auf der 404-Seite:\n" + "\n".join(
        f"- Regel {v['id']}: {v['help']} – {', '.join(v['targets'])}" for v in found)


def test_the_gate_itself_sees_violations_and_foreign_requests(live_app, new_context, axe_source):
    """Guard against a gate that passes because it checks nothing: planted faults must be reported."""

    def plant(page, record):
        page.evaluate("""() => {
            const input = document.createElement('input'); input.type = 'text';        // no label
            document.querySelector('main').appendChild(input);
            const img = document.createElement('img'); img.src = 'https://cdn.example.invalid/pixel.png';
            document.body.appendChild(img);
        }""")
        page.wait_for_timeout(300)
        record.planted = [v["id"] for v in run_axe(page, axe_source)]

    records = crawl(new_context(), live_app.base_url, principal="Selbsttest", max_pages=1, on_page=plant)
    (record,) = records
    assert any(r.resource_type == "document" for r in record.requests), "der Crawler zeichnet keine Anfragen auf"
    assert "label" in record.planted, f"axe-core meldet ein Feld ohne Beschriftung nicht: {record.planted}"
    blocked = [v["blocked"] for v in record.csp_violations] + [q.url for q in record.foreign_requests(live_app.base_url)]
    assert any("cdn.example.invalid" in b for b in blocked), \
        f"die fremde Anfrage wurde weder als Anfrage noch als CSP-Verstoß erkannt: {record.requests} {record.csp_violations}"
