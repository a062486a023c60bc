"""The division of labour: topics x member cities, one page of cities at a time."""

import sqlalchemy as sa

from network.core.permissions import require
from network.extensions import db
from network.municipalities.models import Municipality
from network.networks.models import NetworkMembership
from network.topics.models import FieldOfAction, LeadClaim, Participation, Topic
from network.topics.services._common import _full_member_clause, _network
from network.topics.services.reading import fields_of_action

#: cities (columns) per matrix page: what fits a screen with horizontal scrolling inside the table
MATRIX_PAGE_SIZE = 25


def _matrix_topics(network, field_slug, *columns):
    """The network's active topics (of one field of action when chosen), in the matrix's order; with extra
    `columns` as (topic, column, ...) rows."""
    fields = fields_of_action(network)
    stmt = (sa.select(Topic, *columns).join(Topic.field)
            .where(Topic.network_id == network.id, Topic.status == "active")
            .order_by(FieldOfAction.position, FieldOfAction.name, Topic.name))
    selected = next((f for f in fields if f.slug == field_slug), None) if field_slug else None
    if selected is not None:
        stmt = stmt.where(Topic.field_id == selected.id)
    result = db.session.execute(stmt)
    return fields, selected, (result.all() if columns else result.scalars().all())


def _cells(topic_ids, city_filter=None) -> dict[tuple[int, int], str]:
    """(topic id, city id) -> lead / colead / participating / interested; a lead or co-lead outranks
    participation. `city_filter`: a SQL condition on the city id column (the page's cities), else all."""
    cells: dict[tuple[int, int], str] = {}
    if not topic_ids:
        return cells
    stmt = (sa.select(Participation.topic_id, Participation.municipality_id, Participation.status)
            .where(Participation.topic_id.in_(topic_ids)))
    if city_filter is not None:
        stmt = stmt.where(city_filter(Participation.municipality_id))
    for topic_id, city_id, status in db.session.execute(stmt).all():
        cells[(topic_id, city_id)] = status
    stmt = (sa.select(LeadClaim.topic_id, LeadClaim.municipality_id, LeadClaim.kind)
            .where(LeadClaim.topic_id.in_(topic_ids), LeadClaim.kind.in_(("lead", "colead")),
                   LeadClaim.status == "confirmed"))
    if city_filter is not None:
        stmt = stmt.where(city_filter(LeadClaim.municipality_id))
    for topic_id, city_id, kind in db.session.execute(stmt).all():
        cells[(topic_id, city_id)] = kind
    return cells


def _groups(topics):
    groups = []
    for topic in topics:
        if not groups or groups[-1][0].id != topic.field_id:
            groups.append((topic.field, []))
        groups[-1][1].append(topic)
    return groups


def matrix(user, field_slug: str | None = None, city_query: str | None = None, page: int = 1,
           per_page: int = MATRIX_PAGE_SIZE) -> dict:
    """One page of the division of labour in this request's network: its topics (of one field of action when
    chosen) x at most `per_page` of its member cities (guests lead and join no topic, cities that left are
    history), optionally only cities whose name contains `city_query`. Five queries however many cities,
    topics and networks there are; the cells are read for the page's cities only."""
    require(user, "topic.view")
    network = _network()
    page = max(1, page)
    # whether a member city leads the topic counts every member city of the network, not only this page's
    led = sa.exists().where(LeadClaim.topic_id == Topic.id, LeadClaim.kind == "lead",
                            LeadClaim.status == "confirmed",
                            _full_member_clause(network.id, LeadClaim.municipality_id))
    fields, selected, rows = _matrix_topics(network, field_slug, led.label("led"))
    topics = [topic for topic, _led in rows]
    without_lead = sum(1 for _topic, is_led in rows if not is_led)
    # the members first (a few hundred rows from the membership index), then their names: PostgreSQL otherwise walks
    # all 10,800 cities in name order and probes each for a membership (14 of 15 ms at Germany scale)
    members = (sa.select(NetworkMembership.municipality_id.label("id"))
               .where(NetworkMembership.network_id == network.id, NetworkMembership.status == "member")
               .cte("members").prefix_with("MATERIALIZED"))
    city_stmt = sa.select(Municipality, sa.func.count().over().label("total")).join(
        members, members.c.id == Municipality.id)
    if city_query:
        city_stmt = city_stmt.where(Municipality.name.icontains(city_query, autoescape=True))
    page_rows = db.session.execute(
        city_stmt.order_by(Municipality.name, Municipality.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    cities = [city for city, _total in page_rows]
    if page_rows:
        total = page_rows[0].total
    else:  # past the last page (or nothing matches): one more statement, off the usual path
        total = db.session.scalar(sa.select(sa.func.count()).select_from(
            city_stmt.with_only_columns(Municipality.id).subquery()))
    city_ids = [c.id for c in cities]
    topic_ids = [t.id for t in topics]
    cells = _cells(topic_ids, (lambda col: col.in_(city_ids)) if city_ids else (lambda col: sa.false()))
    lead_counts = {c.id: 0 for c in cities}
    colead_counts = {c.id: 0 for c in cities}
    for (_topic_id, city_id), role in cells.items():
        if role == "lead":
            lead_counts[city_id] += 1
        elif role == "colead":
            colead_counts[city_id] += 1
    first = (page - 1) * per_page + 1 if cities else 0
    return {"fields": fields, "selected": selected, "groups": _groups(topics), "topics": topics,
            "cities": cities, "cells": cells, "lead_counts": lead_counts, "colead_counts": colead_counts,
            "without_lead": without_lead, "page": page, "has_next": page * per_page < total, "total": total,
            "first": first, "last": first + len(cities) - 1 if cities else 0, "city_query": city_query or ""}


def matrix_export(user, field_slug: str | None = None) -> dict:
    """The whole matrix for the CSV export: every member city (names only, as tuples) and the cells; four
    queries. The view streams it row by row."""
    require(user, "topic.view")
    network = _network()
    _fields, _selected, topics = _matrix_topics(network, field_slug)
    cities = db.session.execute(
        sa.select(Municipality.id, Municipality.name).where(_full_member_clause(network.id))
        .order_by(Municipality.name, Municipality.id)).all()
    member_ids = {c.id for c in cities}
    cells = _cells([t.id for t in topics])
    lead_counts = dict.fromkeys(member_ids, 0)
    for (_topic_id, city_id), role in cells.items():
        if role == "lead" and city_id in member_ids:
            lead_counts[city_id] += 1
    return {"groups": _groups(topics), "cities": cities, "cells": cells, "lead_counts": lead_counts}
