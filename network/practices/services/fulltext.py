"""Full-text search over practices: the search row, matching, snippets, facets."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field as dc_field

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from network.core import search as textsearch
from network.core.permissions import roles_of
from network.core.resultcache import ResultCache, bump
from network.extensions import db
from network.core.current import current_network_slug
from network.municipalities.models import Municipality
from network.networks.models import ACTIVE_STATUSES, Network, NetworkMembership
from network.networks.services import active_member_clause
from network.practices.models import SECTIONS, Practice, PracticeSearch, practice_topic
from network.practices.services._common import VISIBLE_STATUSES
from network.practices.services.access import visible_clause
from network.practices.services.facets import _count_and_facets
from network.topics.models import FieldOfAction, Topic

# --- search -------------------------------------------------------------------------------------

def _body_text(practice: Practice) -> str:
    parts = [practice.summary, practice.tags, practice.municipality.name if practice.municipality else "",
             practice.field.name if practice.field else ""]
    parts += [t.name for t in practice.topics]
    parts += [practice.section(k) for k in SECTIONS]
    return "\n".join(p for p in parts if p)


def reindex(practice: Practice) -> None:
    """Rewrite the practice's search row in the current transaction."""
    body = _body_text(practice)
    row = db.session.get(PracticeSearch, practice.id)
    if row is None:
        row = PracticeSearch(practice_id=practice.id)
        db.session.add(row)
    row.terms = textsearch.term_string(practice.title, body)
    changed()
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            sa.text("UPDATE practice_search SET document = setweight(to_tsvector('german', :t), 'A') || "
                    "setweight(to_tsvector('german', :b), 'B') WHERE practice_id = :id"),
            {"t": textsearch.fold(practice.title), "b": textsearch.fold(body), "id": practice.id})


def _like(clause):
    """PostgreSQL: the LIKE pattern of a clause, written into the statement (a-z, 0-9 and spaces only, core.search).
    See _inline: as a parameter, a generic plan reads the trigram index for a word in every practice."""
    return sa.bindparam(None, "%" + clause.pattern() + "%", sa.String(), literal_execute=True)


def _inline(number: int):
    """A LIMIT or OFFSET written into the statement. psycopg prepares a statement after five runs, and PostgreSQL
    then plans it once for any parameters: with LIMIT $1 that generic plan sorts every visible match instead of
    walking the newest first and stopping after the sample ("Verwaltung": 90 → 930 ms, "Sirenen" anonymous
    60 → 220 ms from about the eleventh search on a connection). In the text, the plan knows how few rows it needs."""
    return sa.bindparam(None, int(number), sa.Integer(), literal_execute=True)


_fts = sa.table("practice_fts", sa.column("rowid"), sa.column("practice_fts"))


def _fts_match(clauses) -> str:
    # patterns hold only a-z, 0-9 and spaces (core.search), each quoted as one FTS5 string
    return " AND ".join('"' + c.pattern() + '"' for c in clauses)


@dataclass
class Filters:
    topic: str = ""
    field: str = ""
    city: str = ""
    year: int | None = None
    #: the filter "Netzwerk": a network's slug, ALL_NETWORKS, "" for this request's network; None: no such filter
    #: (the API, which has no current network: every practice the token owner may see)
    network: str | None = None

    def args(self) -> dict:
        out = {"thema": self.topic, "handlungsfeld": self.field, "kommune": self.city, "jahr": self.year,
               "netzwerk": self.network}
        return {k: v for k, v in out.items() if v}


#: the filter value "all my networks"
ALL_NETWORKS = "alle"
#: a user takes part in a handful of networks; this only bounds the choice
MAX_NETWORKS = 50


def user_networks(user) -> list:
    """(slug, name, id) of the networks the user's city takes part in and of those the user coordinates, by name
    (one query; none for visitors and users of no network)."""
    if not getattr(user, "is_authenticated", False):
        return []
    clauses = []
    own = getattr(user, "municipality_id", None)
    if own is not None:
        clauses.append(active_member_clause(Network.id, sa.literal(own)))
    coordinated = sorted(getattr(user, "coordinated_networks", None) or ())
    if coordinated:
        clauses.append(Network.slug.in_(coordinated))
    if not clauses:
        return []
    return db.session.execute(sa.select(Network.slug, Network.name, Network.id).where(sa.or_(*clauses))
                              .order_by(Network.name, Network.id).limit(MAX_NETWORKS)).all()


def _network_scope(user, filters: Filters) -> tuple[list, str, list | None]:
    """(the user's networks, the chosen value, the network ids to narrow to or None). The default is this request's
    network if the user takes part in it, else all the user's networks; an unknown value counts as the default."""
    if filters.network is None:
        return [], "", None
    mine = user_networks(user)
    if not mine:
        return [], "", None
    slugs = {slug: network_id for slug, _name, network_id in mine}
    chosen = filters.network if filters.network == ALL_NETWORKS or filters.network in slugs else ""
    if not chosen:
        chosen = current_network_slug() if current_network_slug() in slugs else ALL_NETWORKS
    ids = list(slugs.values()) if chosen == ALL_NETWORKS else [slugs[chosen]]
    return mine, chosen, ids


@dataclass
class SearchHit:
    practice: Practice
    snippet: object  # Markup
    title: object = ""  # Markup: the title with the hits in <mark>


@dataclass
class SearchResult:
    query: str
    parsed: textsearch.ParsedQuery
    filters: Filters
    hits: list[SearchHit]
    total: int
    page: int
    pages: int
    facets: dict
    #: the filter "Netzwerk": the user's networks (slug, name, id) and the chosen slug or ALL_NETWORKS
    networks: list = dc_field(default_factory=list)
    network: str = ""
    #: bounded counting (the pages): more matches than count_limit; `total` is then count_limit + 1 and the facets
    #: count the newest count_limit + 1 matches only
    capped: bool = False
    count_limit: int | None = None
    #: the facets cut to their top N: kind -> whether there are more values than shown
    more: dict = dc_field(default_factory=dict)
    #: the facet shown with all its values (up to FACET_EXPANDED), if any
    expanded: str = ""
    has_next: bool = False


def _year_expr():
    return sa.extract("year", sa.func.coalesce(Practice.published_at, Practice.created_at))


def _sortkey():
    """What the lists sort by, newest first (indexed: ix_practice_sortkey)."""
    return sa.func.coalesce(Practice.published_at, Practice.created_at)


def _matching(user, parsed, filters: Filters, *, include_drafts: bool, network_ids=None, walk: bool = False):
    """Select of the matching practices (id, city, field, year, sort key, rank) – visibility first, then the query.

    `walk` (the bounded pages when a word is common): match each clause inside the row's term string instead of
    through the full-text index, so that the database can walk the practices newest first (ix_practice_sortkey)
    and stop after the rows it needs; the hits are the same (the index matches the same substrings)."""
    dialect = db.session.get_bind().dialect.name
    # both planners would drive from the city's index (the OR of "own city", the network's member cities) and then
    # sort every visible row; "+ 0" keeps them on ix_practice_sortkey, which the walk needs
    owner = Practice.municipality_id + 0 if walk else Practice.municipality_id
    visible = visible_clause(user, owner)
    if include_drafts:
        status_ok = sa.or_(Practice.status.in_(VISIBLE_STATUSES),
                           owner == (getattr(user, "municipality_id", None) or -1))
    else:
        status_ok = Practice.status.in_(VISIBLE_STATUSES)
    rank = sa.literal(0.0)
    stmt = sa.select(Practice.id.label("id"), Practice.municipality_id.label("municipality_id"),
                     Practice.field_id.label("field_id"), _year_expr().label("year"), _sortkey().label("sortkey")
                     ).where(visible, status_ok)
    if parsed.nothing:
        stmt = stmt.where(sa.false())
    if walk and dialect == "sqlite" and parsed.clauses:
        # instr: the patterns and the term strings are lower case (core.search), no LIKE wildcards needed
        stmt = stmt.join(PracticeSearch, PracticeSearch.practice_id == Practice.id)
        for c in parsed.positive:
            stmt = stmt.where(sa.func.instr(PracticeSearch.terms, c.pattern()) > 0)
        for c in parsed.negative:
            stmt = stmt.where(sa.func.instr(PracticeSearch.terms, c.pattern()) == 0)
        parsed = textsearch.ParsedQuery()  # done
    if parsed.positive:
        if dialect == "sqlite":
            stmt = stmt.join(_fts, _fts.c.rowid == Practice.id).where(
                _fts.c.practice_fts.op("MATCH")(_fts_match(parsed.positive)))
            rank = sa.func.bm25(sa.literal_column("practice_fts"))
        else:
            stmt = stmt.join(PracticeSearch, PracticeSearch.practice_id == Practice.id)
            for c in parsed.positive:
                stmt = stmt.where(PracticeSearch.terms.like(_like(c)))
            rank = -sa.func.ts_rank_cd(PracticeSearch.document,
                                       sa.func.websearch_to_tsquery(sa.literal("german", sa.String).cast(
                                           sa.dialects.postgresql.REGCONFIG), parsed.websearch_text()))
    for c in parsed.negative:
        if dialect == "sqlite":
            excluded = sa.select(_fts.c.rowid).where(_fts.c.practice_fts.op("MATCH")('"' + c.pattern() + '"'))
        else:
            excluded = sa.select(PracticeSearch.practice_id).where(PracticeSearch.terms.like(_like(c)))
        stmt = stmt.where(Practice.id.not_in(excluded))
    if filters.topic:
        stmt = stmt.where(Practice.id.in_(
            sa.select(practice_topic.c.practice_id).join(Topic, Topic.id == practice_topic.c.topic_id)
            .where(Topic.slug == filters.topic)))
    if filters.field:
        stmt = stmt.where(Practice.field_id.in_(sa.select(FieldOfAction.id).where(FieldOfAction.slug == filters.field)))
    if filters.city:
        stmt = stmt.where(Practice.municipality_id.in_(
            sa.select(Municipality.id).where(Municipality.slug == filters.city)))
    if filters.year and 1900 <= filters.year <= 2999:
        stmt = stmt.where(_year_expr() == filters.year)
    if network_ids is not None:
        # only practices of cities that take part (member or guest) in the chosen network(s)
        stmt = stmt.where(owner.in_(
            sa.select(NetworkMembership.municipality_id).where(NetworkMembership.network_id.in_(network_ids),
                                                               NetworkMembership.status.in_(ACTIVE_STATUSES))))
    return stmt.add_columns(rank.label("rank"))


def _plain(markdown_text: str) -> str:
    return re.sub(r"[*_`#>\[\]|]+", " ", markdown_text or "")


def _marked(window: str, ranges) -> object:
    """Escape first, then wrap the hit ranges in <mark>."""
    from markupsafe import Markup, escape
    out, pos = [], 0
    for a, b in ranges:
        out.append(str(escape(window[pos:a])))
        out.append("<mark>" + str(escape(window[a:b])) + "</mark>")
        pos = b
    out.append(str(escape(window[pos:])))
    return Markup("".join(out))


def marked_title(practice: Practice, parsed) -> object:
    """The escaped title with the hits in <mark>."""
    from markupsafe import escape
    found = textsearch.highlight(practice.title, parsed, width=10_000) if not parsed.empty else None
    return _marked(*found) if found else escape(practice.title)


def snippet(practice: Practice, parsed) -> object:
    """An escaped excerpt with the hits in <mark> (summary first, then the sections)."""
    from markupsafe import Markup, escape
    texts = [practice.summary] + [practice.section(k) for k in SECTIONS]
    if not parsed.empty:
        for text in texts:
            found = textsearch.highlight(_plain(text), parsed)
            if found:
                return _marked(*found)
    text = _plain(practice.summary or next((t for t in texts if t), ""))
    short = text[:280] + ("…" if len(text) > 280 else "")
    return Markup(escape(short))


#: the pages count matches only up to this many ("über 1.000"); the API counts them all
COUNT_LIMIT = 1000
#: values per facet on the pages, and when one facet is opened with "mehr"
FACET_TOP = 10
FACET_EXPANDED = 100
FACET_KINDS = ("topic", "field", "city", "year")


def search(user, q: str | None = "", filters: Filters | None = None, *, page: int = 1, per_page: int | None = None,
           include_drafts: bool = False, count_limit: int | None = None, facet_top: int | None = None,
           expand: str = "") -> SearchResult:
    """Full-text search over the practices the user may see, with facets that count only those.

    The filter "Netzwerk" (filters.network) narrows to the cities of this request's network by default, or of
    all the user's networks. Without `count_limit` (the API) everything is counted and ranked: the count and the
    four facets share one materialized evaluation of the match (a CTE), the result page is the second statement.

    The pages bound the work by what a person reads (issue #17): `count_limit` takes the newest count_limit + 1
    matches as the sample (walking the practices newest first where a word is common, so the database stops
    after them), counts them ("über 1.000"), draws the facets from them and ranks a query's hits among them;
    with fewer matches that is every match, so hits and order are those of the API. The list without a query
    reads its page newest first straight from the index. `facet_top` keeps the N largest values of each facet
    (all, up to FACET_EXPANDED, of the facet named by `expand`).
    """
    filters = filters or Filters()
    per_page = per_page or current_app.config.get("PRACTICES_PER_PAGE", 20)
    parsed = textsearch.parse_query(q)
    networks, network, network_ids = _network_scope(user, filters)
    scope = {"include_drafts": include_drafts, "network_ids": network_ids}
    ranked = None
    if count_limit is None:
        matching = _matching(user, parsed, filters, **scope)
        total, facets, _ = _count_and_facets(matching)
    else:
        total, facets, ranked = _sample(user, parsed, filters, scope, count_limit)
    capped = count_limit is not None and total > count_limit
    more = {}
    expand = expand if expand in FACET_KINDS else ""
    if facet_top:
        for kind in FACET_KINDS:
            keep = FACET_EXPANDED if kind == expand else facet_top
            more[kind] = len(facets[kind]) > keep
            facets[kind] = facets[kind][:keep]
    pages = max(1, math.ceil(total / per_page))
    page = max(1, page) if capped else min(max(1, page), pages)
    window = {"limit": per_page + 1, "offset": (page - 1) * per_page}
    if ranked is not None:
        ids = ranked[window["offset"]:window["offset"] + window["limit"]]
    elif count_limit is not None:
        # the list: newest first, straight from the index, also beyond the sample (the order is the same)
        m = _matching(user, parsed, filters, walk=True, **scope)
        ids = db.session.execute(m.with_only_columns(Practice.id).order_by(_sortkey().desc(), Practice.id.desc())
                                 .limit(_inline(window["limit"])).offset(_inline(window["offset"]))).scalars().all()
    else:
        sample = matching.subquery()
        order = ([sample.c.rank] if parsed.positive else []) + [sample.c.sortkey.desc(), sample.c.id.desc()]
        ids = db.session.execute(sa.select(sample.c.id).order_by(*order).limit(window["limit"])
                                 .offset(window["offset"])).scalars().all()
    has_next, ids = len(ids) > per_page, ids[:per_page]
    # the visibility again: a cached sample (_sample) may be a little late, the hits it names never more than allowed
    by_id = {p.id: p for p in db.session.execute(
        sa.select(Practice).where(Practice.id.in_(ids), visible_clause(user))
        .options(selectinload(Practice.topics))).scalars()} if ids else {}
    rows = [by_id[i] for i in ids if i in by_id]
    hits = [SearchHit(p, snippet(p, parsed), marked_title(p, parsed)) for p in rows]
    return SearchResult(query=q or "", parsed=parsed, filters=filters, hits=hits, total=total, page=page,
                        pages=pages, facets=facets, networks=networks, network=network, capped=capped,
                        count_limit=count_limit, more=more, expanded=expand, has_next=has_next)


#: the pages' samples per worker, valid until a practice changes (core.resultcache)
SAMPLES = ResultCache("practices")


def changed() -> None:
    """A practice changed in this transaction (text, status, visibility): the cached samples end with the commit."""
    bump(SAMPLES.name)


def _sample(user, parsed, filters: Filters, scope: dict, count_limit: int) -> tuple[int, dict, list | None]:
    """The pages' sample of the newest count_limit + 1 matches: its count, its facets and, for a query, its ids by
    relevance (all of them: a page is a slice). Kept in SAMPLES under everything the match depends on."""
    roles = roles_of(user)
    who = ("anonymous",) if "anonymous" in roles else (getattr(user, "municipality_id", None),
                                                        "coordinator" in roles, current_network_slug())
    key = (who, tuple(parsed.clauses), parsed.nothing, filters.topic, filters.field, filters.city, filters.year,
           None if scope["network_ids"] is None else tuple(scope["network_ids"]), scope["include_drafts"], count_limit)
    generation = SAMPLES.generation()
    found = SAMPLES.get(key, generation)
    if found is None:
        walk = _common(parsed) if parsed.positive else True
        sample = (_matching(user, parsed, filters, walk=walk, **scope)
                  .order_by(_sortkey().desc(), Practice.id.desc()).limit(_inline(count_limit + 1)))
        # a query's ranking comes with the count: one evaluation of the match
        found = _count_and_facets(sample, parsed if parsed.positive else None)
        SAMPLES.put(key, generation, found)
    total, facets, ranked = found
    return total, {kind: list(values) for kind, values in facets.items()}, ranked


#: SQLite: the match rate of a query's first clause is read among the newest PROBE_ROWS practices (by id); at
#: WALK_RATE or more the pages walk the practices newest first (about count_limit / rate rows to read), below it
#: they read the index's matches (about rate × all practices)
PROBE_ROWS = 2_000
WALK_RATE = 0.25


def _common(parsed) -> bool:
    """Whether to walk newest first rather than read the index (SQLite; PostgreSQL's planner chooses itself
    between the trigram index and ix_practice_sortkey from its statistics, so it always gets the walk's form).
    One bounded statement on SQLite: FTS5 counts the first clause's matches in a rowid range."""
    if db.session.get_bind().dialect.name != "sqlite":
        return True
    newest = sa.select(sa.func.max(Practice.id)).scalar_subquery() - PROBE_ROWS
    probe = sa.select(sa.func.count()).select_from(_fts).where(
        _fts.c.practice_fts.op("MATCH")(_fts_match(parsed.positive[:1])), _fts.c.rowid > newest)
    return (db.session.scalar(probe) or 0) >= PROBE_ROWS * WALK_RATE
