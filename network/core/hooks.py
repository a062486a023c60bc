"""Extension points between domains. A domain registers here; another domain's page or job collects.

No domain imports another domain's views. Each domain package may have a ``setup.py`` with
``init_app(app)`` (called by create_app after the blueprints are registered) that registers:

* page panels: ``register_panel(app, slot, fn, order)``; ``fn(user, **kw)`` returns ``(template, ctx)``
  or ``None``. Slots and their keyword arguments:

  ============== ================= ==========================================================
  slot           kw                where it renders
  ============== ================= ==========================================================
  dashboard      known             the members' start page (main/dashboard.html)
  topic          topic, known      the topic page, section "Praxisberichte, Vorhaben und Treffen"
  municipality   city              the city page (municipalities/detail.html)
  profile        –                 the profile page (accounts/profile.html)
  practice       practice          the practice page, after its sections (practices/detail.html)
  project        project           the project page (inventory/detail.html)
  ozg_service    service, rows     inside each city's row of an OZG service page (ozg/service.html)
  footer         –                 every page's footer (links such as Impressum/Datenschutz)
  ============== ================= ==========================================================

  The template is included with ``ctx`` in its context (``{{ ctx.items }}``).

  What the page already loaded reaches the panels as ``known`` (a dict; the topic page passes ``lead_city_ids``,
  the cities leading the topic, lead first, and the values of the panel columns below), so that a panel does not
  read it again.

* panel columns: ``register_panel_column(app, slot, key, fn)``: small values a panel or waiting source needs, read
  together with others instead of in a statement of their own (issue #17). Slots and what ``fn`` returns:

  ``topic``: ``fn(user, row_id)`` returns a SQL expression correlated to ``Topic.id`` (an EXISTS, a scalar
  subquery) or None; the topic page reads ``panel_columns("topic", user, Topic.id)`` in its own first statement
  and hands the values to the panels as ``known[key]``.

  ``dashboard``: ``fn(user, None)`` returns a select() of aggregates without GROUP BY (exactly one row) or None;
  the dashboard reads all of them, with its own counts, in one statement (``panel_values``) and hands the panels
  and the waiting sources ``known["key.column"]`` for each column of each select.

* what waits for the user: ``register_waiting(app, fn, order)``; ``fn(user, known)`` returns a list of WaitingItem
  (decisions, votes, handovers, RSVPs, questions, reports due …) for the dashboard's one ordered list "Was auf
  Sie wartet". A source reads a bounded number of statements (one or two), whatever the number of items; items
  with a due date come first (earliest first), then the others in the sources' order.

* calendar sources: ``register_calendar_source(app, fn)``; ``fn(user)`` returns CalendarEntry items
  for the user's personal calendar feed (meetings build the feed; funding deadlines join it).

* digest sections: ``register_digest_section(app, fn, order)``; ``fn(user, since, until, follows)`` returns
  a DigestSection or None. ``follows`` maps "topic" / "municipality" / "practice" / "body" to the set of ids
  the user follows with the weekly digest for that kind of event (the interest domain owns following).
  It is called inside ``force_locale(user.language)``, so gettext works; it must only list what the user
  may see.

* personal data: ``register_personal_data(app, tables, export_fn, erase_fn=None)``: ``tables`` names
  every table of the domain that holds a user's personal data (a column referencing users.id or an email
  address); ``export_fn(user) -> {table: [row dicts]}`` for the data export; ``erase_fn(user)`` removes
  purely personal rows (votes, RSVPs, follows) when the account is deleted (authored content stays with the
  city; the user row itself is anonymised as "ehemaliges Mitglied").

* events are typed signals, not hooks: each domain declares its own in ``<domain>/signals.py`` (see
  ``core/signals.py``); domains that need another's data import its services directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app


@dataclass
class CalendarEntry:
    uid: str  # stable, e.g. "meeting-12@staedtenetz"
    summary: str
    start: date | datetime  # a date for all-day entries, else an aware datetime
    end: date | datetime | None = None
    url: str = ""  # absolute URL back to the page
    description: str = ""
    location: str = ""
    sequence: int = 0
    status: str = "CONFIRMED"  # or "CANCELLED"
    last_modified: datetime | None = None


@dataclass
class WaitingItem:
    text: str  # already translated, one sentence
    url: str
    due: date | None = None  # sorts first, earliest first
    detail: str = ""  # e.g. the network's name or "fällig am …"
    kind: str = ""  # e.g. "topic.claim", for tests and styling
    #: an optional one-click answer next to the link: {"url": …, "label": …, "fields": {…}} (a POST button)
    button: dict | None = None


@dataclass
class DigestItem:
    title: str
    url: str  # absolute URL
    detail: str = ""


@dataclass
class DigestSection:
    key: str  # e.g. "practices", "meetings"
    title: str  # already translated
    items: list[DigestItem] = field(default_factory=list)


def _registry(app) -> dict:
    return app.extensions.setdefault("staedtenetz_hooks", {"panels": {}, "calendar": [], "digest": [],
                                                           "personal_data": [], "waiting": []})


def register_personal_data(app, tables: list[str], export_fn, erase_fn=None) -> None:
    entries = _registry(app)["personal_data"]
    if all(e["export"] is not export_fn for e in entries):
        entries.append({"tables": list(tables), "export": export_fn, "erase": erase_fn})


def personal_data_sources() -> list[dict]:
    return list(_registry(current_app)["personal_data"])


def register_panel(app, slot: str, fn, order: int = 50) -> None:
    entries = _registry(app)["panels"].setdefault(slot, [])
    if all(f is not fn for _o, f in entries):
        entries.append((order, fn))
        entries.sort(key=lambda e: e[0])


def register_panel_column(app, slot: str, key: str, fn) -> None:
    _registry(app).setdefault("panel_columns", {}).setdefault(slot, {})[key] = fn


def panel_columns(slot: str, user, row_id) -> dict:
    """{key: labelled SQL expression} of the slot's panel columns for this user (those that answered None left out),
    for the page's own statement; its values go to the panels as known[key]."""
    out = {}
    for key, fn in _registry(current_app).get("panel_columns", {}).get(slot, {}).items():
        expression = fn(user, row_id)
        if expression is not None:
            out[key] = expression.label(key.replace(".", "_"))
    return out


def panel_values(slot: str, user, extra: dict | None = None) -> dict:
    """The slot's panel columns (one-row selects of aggregates) and the page's own `extra` ({key: one-row
    select}) in one statement: {"key.column": value}. No statement when there is nothing to read."""
    import sqlalchemy as sa
    selects = dict(extra or {})
    for key, fn in _registry(current_app).get("panel_columns", {}).get(slot, {}).items():
        stmt = fn(user, None)
        if stmt is not None:
            selects[key] = stmt
    if not selects:
        return {}
    names, columns, source = [], [], None
    for key, stmt in selects.items():
        sub = stmt.subquery()
        source = sub if source is None else source.join(sub, sa.true())  # one row each: a plain product
        for column in sub.c:
            names.append(f"{key}.{column.key}")
            columns.append(column)
    from network.extensions import db
    row = db.session.execute(sa.select(*columns).select_from(source)).one()
    return dict(zip(names, row))


def panels(slot: str, user, **kw) -> list[tuple[str, dict]]:
    out = []
    for _order, fn in _registry(current_app)["panels"].get(slot, []):
        result = fn(user, **kw)
        if result:
            out.append(result)
    return out


def register_waiting(app, fn, order: int = 50) -> None:
    entries = _registry(app).setdefault("waiting", [])
    if all(f is not fn for _o, f in entries):
        entries.append((order, fn))
        entries.sort(key=lambda e: e[0])


def waiting_items(user, known: dict | None = None) -> list[WaitingItem]:
    """Everything that waits for the user, in one order: dated items first (earliest first), then the rest in
    the sources' order (a stable sort keeps each source's own order). `known`: what the page read for its sources
    (panel_values)."""
    out: list[WaitingItem] = []
    for _order, fn in _registry(current_app).get("waiting", []):
        out.extend(fn(user, known or {}) or ())
    return sorted(out, key=lambda i: (i.due is None, i.due or date.min))


def register_calendar_source(app, fn) -> None:
    if fn not in _registry(app)["calendar"]:
        _registry(app)["calendar"].append(fn)


def calendar_entries(user) -> list[CalendarEntry]:
    out: list[CalendarEntry] = []
    for fn in _registry(current_app)["calendar"]:
        out.extend(fn(user))
    return out


def register_digest_section(app, fn, order: int = 50) -> None:
    entries = _registry(app)["digest"]
    if all(f is not fn for _o, f in entries):
        entries.append((order, fn))
        entries.sort(key=lambda e: e[0])


def digest_sections(user, since: datetime, until: datetime, follows: dict | None = None) -> list[DigestSection]:
    out = []
    follows = follows or {}
    for _order, fn in _registry(current_app)["digest"]:
        section = fn(user, since, until, follows)
        if section and section.items:
            out.append(section)
    return out
