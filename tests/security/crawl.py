"""In-process crawler of the security suite (Flask test client), database snapshots, URL building.

``Crawl(app, world, principal).run(visit)`` logs in as the principal and fetches, with GET only:
  1. every same-origin link and GET form reachable from "/" (bounded by MAX_PAGES),
  2. every GET rule of app.url_map (HTML and API) with its arguments filled from the world
     (API calls carry the principal's Bearer token, HTML calls the session cookie),
  3. the links in the emails addressed to the principal (outbox).
``visit(kind, url, response)`` is called for every response; the crawl returns what it fetched.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import sqlalchemy as sa

from network.extensions import db
from tests import factories

MAX_PAGES = 250
MAX_URLS_PER_RULE = 60
HOST = "staedtenetz.test"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

#: columns that GET requests may legitimately touch (bookkeeping), as (table, column)
GET_BOOKKEEPING = {
    # API: when a token was last used, at most every 5 minutes (shown in the token list)
    ("api_token", "last_used_at"),
}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = {"action": a.get("action") or "", "fields": {}}
        elif tag in ("input", "select", "textarea") and self._form is not None and a.get("name"):
            if a.get("type") not in ("submit", "button"):
                self._form["fields"][a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            action = self._form["action"]
            query = urlencode(self._form["fields"])
            self.links.append(action + ("&" if "?" in action else "?") + query if query else action or "?")
            self._form = None


def links_in(html: str, base: str) -> list[str]:
    """Same-origin GET targets (paths with query) found in a page."""
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.links:
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", HOST):
            continue
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        if path.startswith("/static/"):
            continue
        out.append(path)
    return out


def mail_links(text: str) -> list[str]:
    return [urlunsplit(("", "", p.path, p.query, "")) for p in map(urlsplit, re.findall(r"https?://[^\s\"'<>]+", text))
            if p.netloc == HOST]


def build_url(app, endpoint: str, args: dict) -> str:
    return app.url_map.bind(HOST, url_scheme="http").build(endpoint, args, force_external=False)


def is_api(rule) -> bool:
    return rule.rule.startswith("/api/")


def unresolved_rules(app, world, principal) -> list[str]:
    """Rules with an URL argument the world has no value for (test_world.py fails on them)."""
    out = []
    for rule in app.url_map.iter_rules():
        missing = [n for n in sorted(rule.arguments) if not world.arg_values(n, principal, rule.endpoint)]
        if rule.endpoint != "static" and missing:
            out.append(f"{rule.endpoint} ({rule.rule}): {', '.join(missing)}")
    return sorted(out)


def rule_urls(app, world, principal, methods=frozenset({"GET"}), per_rule: int = MAX_URLS_PER_RULE):
    """(rule, url) for every rule with one of `methods`, arguments from the world (bounded).

    Rules with an argument the world has no value for are left out here; test_world.py names them."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or not (rule.methods & set(methods)):
            continue
        names = sorted(rule.arguments)
        choices = [world.arg_values(name, principal, rule.endpoint) for name in names]
        if not all(choices):
            continue
        for combo in itertools.islice(itertools.product(*choices), per_rule):
            yield rule, build_url(app, rule.endpoint, dict(zip(names, combo)))


def login_client(app, principal):
    """A test client logged in through the real form (anonymous: not logged in)."""
    client = app.test_client()
    if principal.user is not None:
        resp = client.post("/anmelden", data={"email": principal.email, "password": factories.PASSWORD})
        assert resp.status_code == 302, f"login of {principal.key} failed: {resp.status_code}"
    return client


class Crawl:
    def __init__(self, app, world, principal, *, max_pages: int = MAX_PAGES, client=None,
                 per_rule: int = MAX_URLS_PER_RULE):
        """`max_pages` bounds the link crawl from "/", `per_rule` the URLs per url_map rule (argument combinations
        from the world): the canary gate needs every object, a check of what every response carries needs fewer."""
        self.app, self.world, self.principal, self.max_pages = app, world, principal, max_pages
        self.per_rule = per_rule
        self.client = client
        self.fetched: list[tuple[str, str, int]] = []

    def run(self, visit):
        p = self.principal
        client = self.client or login_client(self.app, p)
        seen: set[str] = set()

        def fetch(kind, url, headers=None, use_client=client):
            resp = use_client.get(url, headers=headers or {})
            self.fetched.append((kind, url, resp.status_code))
            visit(kind, url, resp)
            return resp

        # 1. links from the start page (HTML, session cookie)
        queue = ["/"]
        while queue and len(seen) < self.max_pages:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            resp = fetch("link", url)
            if 300 <= resp.status_code < 400 and resp.headers.get("Location"):
                queue += links_in(f'<a href="{resp.headers["Location"]}">', "http://" + HOST + url)
            elif resp.mimetype == "text/html":
                queue += [u for u in links_in(resp.get_data(as_text=True), "http://" + HOST + url) if u not in seen]
        self.truncated = [u for u in queue if u not in seen]
        # 2. every GET rule, arguments from the world
        api_client = self.app.test_client()
        bearer = {"Authorization": f"Bearer {p.token}"} if p.token else {}
        for rule, url in rule_urls(self.app, self.world, p, per_rule=self.per_rule):
            if is_api(rule):
                fetch("api", url, bearer, api_client)
            elif url not in seen:
                seen.add(url)
                fetch("rule", url)
        if p.user is not None:  # nothing in the crawl (all GET) may have logged the principal out
            resp = client.get("/profil")
            assert resp.status_code == 200, f"{p.key} was logged out by a GET request during the crawl"
        # 3. the principal's own emails and the links in them
        if p.email:
            from network.core.models import OutboxMessage
            db.session.expire_all()
            mails = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == p.email)).scalars().all()
            for m in mails:
                visit("mail", f"mail #{m.id} to {m.recipient}", m)
                for url in mail_links(m.body_text):
                    if url not in seen:
                        seen.add(url)
                        fetch("mail-link", url)
        return self.fetched


# --- database snapshots ------------------------------------------------------------------

def snapshot(exclude=GET_BOOKKEEPING) -> dict:
    """All rows of all tables (minus bookkeeping columns), for before/after comparisons."""
    db.session.expire_all()
    out = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            cols = [c for c in table.c if (table.name, c.name) not in exclude]
            rows = conn.execute(sa.select(*cols)).all()
            out[table.name] = sorted(repr(tuple(r)) for r in rows)  # repr: JSON columns hold dicts
    return out


def diff(before: dict, after: dict) -> str:
    """A short description of what changed ('' when nothing)."""
    lines = []
    for name in sorted(set(before) | set(after)):
        b, a = set(before.get(name, [])), set(after.get(name, []))
        if a != b:
            lines.append(f"table {name}: +{len(a - b)} -{len(b - a)} rows; added {sorted(a - b)[:2]}"
                         f" removed {sorted(b - a)[:2]}")
    return "\n".join(lines)


class WriteWatch:
    """Before/after comparisons that cost a snapshot only when needed: a full snapshot of every table costs about
    0.1 s, so a new one is taken only after a writing statement went through the engine (the app under test runs
    in this process, on this engine). ``changes()`` says what changed since the last comparison; ``rebase()``
    accepts what was written meanwhile (a login, a control request) as the new state."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")

    def __init__(self):
        self.wrote = False
        self.before = None

    def _on_statement(self, conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip()[:7].upper().startswith(self.WRITES):
            self.wrote = True

    def __enter__(self):
        self.before = snapshot()
        sa.event.listen(db.engine, "before_cursor_execute", self._on_statement)
        return self

    def __exit__(self, *exc):
        sa.event.remove(db.engine, "before_cursor_execute", self._on_statement)
        db.session.rollback()

    def changes(self) -> str:
        if not self.wrote:
            return ""
        self.wrote = False
        after = snapshot()
        changed, self.before = diff(self.before, after), after
        return changed

    def rebase(self) -> None:
        if self.wrote:
            self.wrote = False
            self.before = snapshot()
