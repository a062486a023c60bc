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
    caller); PostgreSQL hashed all of practice_topic and all cities for a thousand rows (see below)."""
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
    # PostgreSQL: each facet counts per id first (the topics through a LATERAL look-up per row, OFFSET 0 keeps it
    # from hashing all of practice_topic), then reads the names of the groups only, not of every row (a thousand
    # rows fall into a few hundred cities, a dozen fields)
    topic_ids = (sa.select(practice_topic.c.topic_id).where(practice_topic.c.practice_id == m.c.id)
                 .offset(0).lateral("t"))
    groups = {
        "topic": sa.select(topic_ids.c.topic_id.label("key"), count.label("n")).select_from(
            m.join(topic_ids, sa.true())).group_by(topic_ids.c.topic_id).subquery("gt"),
        "field": sa.select(m.c.field_id.label("key"), count.label("n")).group_by(m.c.field_id).subquery("gf"),
        "city": sa.select(m.c.municipality_id.label("key"), count.label("n")).group_by(m.c.municipality_id)
        .subquery("gc"),
    }
    return [sa.select(lit(kind), model.slug, model.name, groups[kind].c.n)
            .join_from(groups[kind], model, model.id == groups[kind].c.key)
            for kind, model in (("topic", Topic), ("field", FieldOfAction), ("city", Municipality))]


def _count_and_facets(matching, parsed=None) -> tuple[int, dict, list | None]:
    """One statement: the number of rows of `matching` (all matches, or the pages' sample of the newest), the
    counts per topic, field of action, city and year, and with `parsed` the ids of all these rows by relevance
    (_score, computed for these rows only), then newest first (a page is a slice of them)."""
    m = matching.cte("m").prefix_with("MATERIALIZED")
    text = sa.String()

    def lit(value):
        return sa.literal(value, text)

    count = sa.func.count()
    parts = [
        sa.select(lit("total"), lit(""), lit(""), count).select_from(m),
        *_facet_parts(m, lit, count),
        sa.select(lit("year"), sa.cast(m.c.year, text), sa.cast(m.c.year, text), count).select_from(m)
        .group_by(m.c.year),
    ]
    if parsed is not None:
        score = _score(PracticeSearch.terms, parsed)
        # every row of the sample (a page is a slice); ordered by hits.sort below
        scored = (sa.select(m.c.id.label("id"), score.label("score"), m.c.sortkey.label("sortkey"))
                  .join(PracticeSearch, PracticeSearch.practice_id == m.c.id).subquery())
        parts.append(sa.select(lit("hit"), sa.cast(scored.c.score, text), sa.cast(scored.c.sortkey, text),
                               scored.c.id))
    total, counted, hits = 0, {"topic": {}, "field": {}, "city": {}, "year": {}}, []
    for kind, key, name, n in db.session.execute(sa.union_all(*parts)).all():
        if kind == "total":
            total = n
        elif kind == "hit":
            hits.append((int(float(key)), name or "", n))
        elif key is not None:  # one value per slug and name (PostgreSQL counts per id: networks share slugs)
            counted[kind][key, name] = counted[kind].get((key, name), 0) + n
    facets = {kind: [(key, name, n) for (key, name), n in values.items()] for kind, values in counted.items()}
    for kind in ("topic", "field", "city"):
        facets[kind].sort(key=lambda row: (-row[2], row[1]))
    facets["year"] = sorted(((int(float(k)), str(int(float(k))), n) for k, _n, n in facets["year"]),
                            key=lambda row: -row[0])
    hits.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
    return total, facets, [row[2] for row in hits] if parsed is not None else None
