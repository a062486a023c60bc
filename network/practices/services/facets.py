"""The pages' count, facets and ranked page of practices over one evaluation of the match (issue #17)."""

from __future__ import annotations

import sqlalchemy as sa

from network.extensions import db
from network.municipalities.models import Municipality
from network.practices.models import PracticeSearch, practice_topic
from network.topics.models import FieldOfAction, Topic


def _score(terms, parsed):
    """The pages' relevance of a row (the same expression on both databases, so both give the same hits in the
    same order): per positive clause, a hit in the title counts 10, every occurrence in the term string 1."""
    strpos = sa.func.instr if db.session.get_bind().dialect.name == "sqlite" else sa.func.strpos
    bar = strpos(terms, " | ")
    score = sa.literal(0)
    for c in parsed.positive:
        pattern = c.pattern()
        first = strpos(terms, pattern)
        score = score + sa.case((sa.and_(first > 0, first < bar), 10), else_=0) + \
            (sa.func.length(terms) - sa.func.length(sa.func.replace(terms, pattern, ""))) / len(pattern)
    return score


def _facet_parts(m, lit, count) -> list:
    """The topic, field and city facets over the rows of `m`, each driven by those rows (a look-up per row by
    primary key), not by a scan of the whole table: SQLite keeps a LEFT JOIN's order (with an inner join it scanned
    every city of the installation to group by its index; the empty group the outer join adds is dropped by the
    caller); PostgreSQL hashed all of practice_topic and all cities for a thousand rows, a LATERAL subquery makes it
    look them up."""
    if db.session.get_bind().dialect.name == "sqlite":
        return [
            sa.select(lit("topic"), Topic.slug, Topic.name, count).select_from(
                m.outerjoin(practice_topic, practice_topic.c.practice_id == m.c.id).outerjoin(
                    Topic, Topic.id == practice_topic.c.topic_id)).group_by(Topic.slug, Topic.name),
            sa.select(lit("field"), FieldOfAction.slug, FieldOfAction.name, count).select_from(
                m.outerjoin(FieldOfAction, FieldOfAction.id == m.c.field_id)).group_by(FieldOfAction.slug,
                                                                                      FieldOfAction.name),
            sa.select(lit("city"), Municipality.slug, Municipality.name, count).select_from(
                m.outerjoin(Municipality, Municipality.id == m.c.municipality_id)).group_by(Municipality.slug,
                                                                                           Municipality.name),
        ]
    # OFFSET 0 / LIMIT 1 keep PostgreSQL from pulling the subqueries up into the hash joins it chose before
    topic = (sa.select(Topic.slug, Topic.name).join(practice_topic, practice_topic.c.topic_id == Topic.id)
             .where(practice_topic.c.practice_id == m.c.id).offset(0).lateral("t"))
    field = (sa.select(FieldOfAction.slug, FieldOfAction.name).where(FieldOfAction.id == m.c.field_id)
             .limit(1).lateral("f"))
    city = (sa.select(Municipality.slug, Municipality.name).where(Municipality.id == m.c.municipality_id)
            .limit(1).lateral("c"))
    return [sa.select(lit(kind), sub.c.slug, sub.c.name, count).select_from(m.join(sub, sa.true()))
            .group_by(sub.c.slug, sub.c.name) for kind, sub in (("topic", topic), ("field", field), ("city", city))]


def _count_and_facets(matching, parsed=None, window=None, facets=True) -> tuple[int, dict, list | None]:
    """One statement: the number of rows of `matching` (all matches, or the pages' sample of the newest), the
    counts per topic, field of action, city and year, and with `parsed` the ids of the page `window` of these rows
    by relevance (_score, computed for these rows only), then newest first. `facets=False`: only the page."""
    m = matching.cte("m").prefix_with("MATERIALIZED")
    text = sa.String()

    def lit(value):
        return sa.literal(value, text)

    count = sa.func.count()
    parts = [] if not facets else [
        sa.select(lit("total"), lit(""), lit(""), count).select_from(m),
        *_facet_parts(m, lit, count),
        sa.select(lit("year"), sa.cast(m.c.year, text), sa.cast(m.c.year, text), count).select_from(m)
        .group_by(m.c.year),
    ]
    if parsed is not None:
        score = _score(PracticeSearch.terms, parsed)
        page = (sa.select(m.c.id.label("id"), score.label("score"), m.c.sortkey.label("sortkey"))
                .join(PracticeSearch, PracticeSearch.practice_id == m.c.id)
                .order_by(score.desc(), m.c.sortkey.desc(), m.c.id.desc())
                .limit(window["limit"]).offset(window["offset"]).subquery())
        parts.append(sa.select(lit("hit"), sa.cast(page.c.score, text), sa.cast(page.c.sortkey, text), page.c.id))
    total, counted, hits = 0, {"topic": [], "field": [], "city": [], "year": []}, []
    for kind, key, name, n in db.session.execute(sa.union_all(*parts) if len(parts) > 1 else parts[0]).all():
        if kind == "total":
            total = n
        elif kind == "hit":
            hits.append((int(float(key)), name or "", n))
        elif key is not None:
            counted[kind].append((key, name, n))
    facets = counted
    for kind in ("topic", "field", "city"):
        facets[kind].sort(key=lambda row: (-row[2], row[1]))
    facets["year"] = sorted(((int(float(k)), str(int(float(k))), n) for k, _n, n in facets["year"]),
                            key=lambda row: -row[0])
    hits.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
    return total, facets, [row[2] for row in hits] if parsed is not None else None
