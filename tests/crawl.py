"""A bounded breadth-first crawler over a Playwright BrowserContext, shared by the e2e and security gates.

It starts at "/", opens every same-origin ``<a href>`` and submits every GET ``<form>`` with its default
values, and for each page records the URL, the status, and every request the page made (so a test can
assert that nothing leaves the app's origin), plus console errors and CSP violations.

It never follows what changes state or the session: POST forms, the logout and language-switch routes,
``?lang=`` links; it skips static files. URLs are normalised (no fragment, sorted query) and each path is
opened with at most ``max_queries_per_path`` distinct query strings, so pagination and filters stay bounded.

Usage::

    records = crawl(context, live_app.base_url, principal="lead@ettlingen",
                    on_page=lambda page, record: ...)   # page is still open here: run axe, read text, ...

``on_page`` runs for HTML pages only; a response Chromium would download (CSV, ICS, attachments) is fetched
with the context's cookies instead and kept in ``record.body`` (first ``max_body`` bytes).
"""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from typing import Callable, Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

#: paths never opened: they end the session or switch the language (both POST-only today; kept as a guard)
SKIP_PATHS = ("/abmelden", "/sprache")
#: query keys that would switch the UI language
SKIP_QUERY_KEYS = {"lang", "sprache", "language"}
#: static files are not pages
STATIC_PREFIXES = ("/static/",)
STATIC_SUFFIXES = (".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp",
                   ".woff", ".woff2", ".ttf", ".otf")

# Collects CSP violations in the page; an init script runs before the page's own code and is not subject to CSP.
_CSP_LISTENER = """
window.__crawlCsp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__crawlCsp.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber});
});
"""

# Every same-origin link and the URL each GET form would open with its default values.
_DISCOVER = """
() => {
  const out = [];
  for (const a of document.querySelectorAll('a[href]')) {
    out.push({kind: a.hasAttribute('download') ? 'download' : 'link', url: a.href});
  }
  for (const f of document.forms) {
    const method = (f.getAttribute('method') || 'get').toLowerCase();
    if (method !== 'get') continue;
    const action = new URL(f.getAttribute('action') || document.location.href, document.baseURI);
    const data = new FormData(f);
    const params = new URLSearchParams();
    for (const [k, v] of data.entries()) { if (typeof v === 'string') params.append(k, v); }
    action.search = params.toString();
    out.push({kind: 'form', url: action.href});
  }
  return out;
}
"""


@dataclasses.dataclass
class Request:
    """One request a page made."""
    url: str
    method: str
    resource_type: str

    @property
    def origin(self) -> str:
        return origin_of(self.url)


@dataclasses.dataclass
class PageRecord:
    """What the crawler saw on one URL."""
    url: str
    principal: str
    status: int | None = None
    content_type: str = ""
    #: the page the URL was found on ("" for the start URL), and whether by link or GET form
    found_on: str = ""
    found_by: str = ""
    #: "html" (opened and checked), "other" (JSON/text Chromium showed) or "download" (fetched with the cookies)
    kind: str = "html"
    title: str = ""
    #: where the browser ended up after redirects
    final_url: str = ""
    requests: list[Request] = dataclasses.field(default_factory=list)
    console_errors: list[str] = dataclasses.field(default_factory=list)
    csp_violations: list[dict] = dataclasses.field(default_factory=list)
    #: only for downloads
    body: bytes = b""
    #: an exception raised while opening the page or by on_page, as text
    error: str = ""
    seconds: float = 0.0

    def foreign_requests(self, origin: str) -> list[Request]:
        """Requests that went anywhere but `origin` (data: and blob: URLs stay in the page and count as local)."""
        return [r for r in self.requests
                if not r.url.startswith(("data:", "blob:", "about:")) and r.origin != origin]

    def describe(self) -> str:
        src = f" (gefunden auf {self.found_on} per {self.found_by})" if self.found_on else ""
        return f"{self.url} [{self.status}] als {self.principal}{src}"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def normalise(url: str) -> str:
    """Drop the fragment, sort the query, keep empty values (a GET form's defaults)."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def default_skip(url: str) -> str | None:
    """Why a same-origin URL is not opened, or None to open it."""
    parts = urlsplit(url)
    path = parts.path
    if any(path == p or path.startswith(p + "/") for p in SKIP_PATHS):
        return "ändert Sitzung oder Sprache"
    if path.startswith(STATIC_PREFIXES) or path.lower().endswith(STATIC_SUFFIXES):
        return "statische Datei"
    if any(k.lower() in SKIP_QUERY_KEYS for k, _ in parse_qsl(parts.query, keep_blank_values=True)):
        return "wechselt die Sprache"
    return None


def crawl(context, base_url: str, *, principal: str = "", start: Iterable[str] = ("/",), max_pages: int = 60,
          max_queries_per_path: int = 3, on_page: Callable | None = None,
          group_of: Callable[[str], str] | None = None, max_per_group: int = 3,
          skip: Callable[[str], str | None] = default_skip, follow_forms: bool = True,
          max_body: int = 2_000_000, timeout_ms: int = 15_000) -> list[PageRecord]:
    """Breadth-first over same-origin links and GET forms; returns one PageRecord per URL opened.

    `context` is a Playwright BrowserContext (logged in or not); the crawler opens one page in it and
    closes it at the end. `on_page(page, record)` runs on every HTML page while it is open; what it raises
    is kept in `record.error` and the crawl goes on, so one broken page does not hide the others.

    `group_of(url)` (e.g. the Flask endpoint of the path) with `max_per_group` opens only a few URLs of the
    same kind (nine city pages render one template), so the page budget reaches every kind of page.
    """
    origin = origin_of(base_url)
    queue: deque[tuple[str, str, str]] = deque()
    seen: set[str] = set()
    queries_per_path: dict[str, set[str]] = {}
    per_group: dict[str, int] = {}
    records: list[PageRecord] = []

    def enqueue(url: str, found_on: str, found_by: str):
        if not url.startswith(("http://", "https://")):
            return  # mailto:, tel:, javascript:
        url = normalise(url)
        if origin_of(url) != origin or url in seen or skip(url):
            return
        parts = urlsplit(url)
        queries = queries_per_path.setdefault(parts.path, set())
        if parts.query not in queries and len(queries) >= max_queries_per_path:
            return
        if group_of is not None:
            group = group_of(url)
            if per_group.get(group, 0) >= max_per_group:
                return
            per_group[group] = per_group.get(group, 0) + 1
        queries.add(parts.query)
        seen.add(url)
        queue.append((url, found_on, found_by))

    for s in start:
        enqueue(urljoin(base_url + "/", s), "", "")

    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.add_init_script(_CSP_LISTENER)
    current: dict[str, PageRecord | None] = {"record": None}

    def on_request(req):
        rec = current["record"]
        if rec is not None:
            rec.requests.append(Request(req.url, req.method, req.resource_type))

    def on_websocket(ws):
        rec = current["record"]
        if rec is not None:
            rec.requests.append(Request(ws.url, "GET", "websocket"))

    def on_console(msg):
        rec = current["record"]
        if rec is not None and msg.type == "error":
            rec.console_errors.append(msg.text)

    page.on("request", on_request)
    page.on("websocket", on_websocket)
    page.on("console", on_console)
    try:
        while queue and len(records) < max_pages:
            url, found_on, found_by = queue.popleft()
            record = PageRecord(url=url, principal=principal, found_on=found_on, found_by=found_by)
            records.append(record)
            current["record"] = record
            t0 = time.monotonic()
            if found_by == "Download":  # <a download>: Chromium would save it; fetch it with the same cookies
                _fetch_download(context, record, max_body)
                record.seconds = time.monotonic() - t0
                current["record"] = None
                continue
            try:
                response = page.goto(url, wait_until="load")
            except Exception as exc:  # noqa: BLE001 – a download or a broken page; recorded, not fatal
                if "Download is starting" in str(exc) or "net::ERR_ABORTED" in str(exc):
                    _fetch_download(context, record, max_body)
                else:
                    record.error = f"Seite ließ sich nicht öffnen: {exc}"
                record.seconds = time.monotonic() - t0
                current["record"] = None
                continue
            record.status = response.status if response else None
            record.final_url = page.url
            if normalise(page.url) != url:
                seen.add(normalise(page.url))  # a redirect target is not opened twice
            record.content_type = (response.headers.get("content-type", "") if response else "")
            if "html" not in record.content_type:
                record.kind = "other"  # JSON or text shown by Chromium: recorded, not checked as a page
                record.body = (response.body() if response else b"")[:max_body]
                record.seconds = time.monotonic() - t0
                current["record"] = None
                continue
            try:
                record.title = page.title()
                if on_page is not None:
                    on_page(page, record)
                record.csp_violations = page.evaluate("() => window.__crawlCsp || []")
                for item in page.evaluate(_DISCOVER):
                    if item["kind"] == "form" and not follow_forms:
                        continue
                    enqueue(item["url"], url, {"form": "Formular", "download": "Download"}.get(item["kind"], "Link"))
            except Exception as exc:  # noqa: BLE001
                record.error = f"{type(exc).__name__}: {exc}"
            record.seconds = time.monotonic() - t0
            current["record"] = None
    finally:
        page.close()
    return records


def _fetch_download(context, record: PageRecord, max_body: int):
    resp = context.request.get(record.url, max_redirects=5)
    record.kind = "download"
    record.status = resp.status
    record.content_type = resp.headers.get("content-type", "")
    record.body = resp.body()[:max_body]
    record.requests.append(Request(record.url, "GET", "download"))


def login_via_form(page, base_url: str, email: str, password: str):
    """Log in through the real login form, as a person would; fails loudly if the form stays."""
    page.goto(base_url + "/anmelden")
    page.fill("main input[name=email]", email)
    page.fill("main input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    if urlsplit(page.url).path == "/anmelden":
        alert = page.locator("main [role=alert]").all_inner_texts()
        raise AssertionError(f"Anmeldung als {email} gescheitert: {alert or page.url}")


def summary(records: list[PageRecord]) -> str:
    """One line: how many pages, how many downloads, slowest page."""
    html = [r for r in records if r.kind == "html"]
    slow = max(records, key=lambda r: r.seconds, default=None)
    return (f"{len(html)} Seiten, {len(records) - len(html)} Downloads"
            + (f", langsamste {slow.url} ({slow.seconds:.1f}s)" if slow else ""))

