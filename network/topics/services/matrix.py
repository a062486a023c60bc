"""The division of labour: topics x member cities."""

import sqlalchemy as sa

from network.core.permissions import require
from network.extensions import db
from network.municipalities.models import Municipality
from network.topics.models import FieldOfAction, LeadClaim, Participation, Topic
from network.topics.services._common import _full_member_clause, _network
from network.topics.services.reading import fields_of_action


def matrix(user, field_slug: str | None = None) -> dict:
    """The division of labour in this request's network: its topics x its member cities (guests lead and join no
    topic, cities that left are history), a fixed number of queries however many networks there are."""
    require(user, "topic.view")
    network = _network()
    fields = fields_of_action(network)
    stmt = (sa.select(Topic).join(Topic.field).where(Topic.network_id == network.id, Topic.status == "active")
            .order_by(FieldOfAction.position, FieldOfAction.name, Topic.name))
    selected = next((f for f in fields if f.slug == field_slug), None) if field_slug else None
    if selected is not None:
        stmt = stmt.where(Topic.field_id == selected.id)
    topics = db.session.execute(stmt).scalars().all()
    cities = db.session.execute(
        sa.select(Municipality).where(_full_member_clause(network.id)).order_by(Municipality.name)
    ).scalars().all()
    member_ids = {c.id for c in cities}
    topic_ids = [t.id for t in topics]
    cells: dict[tuple[int, int], str] = {}
    if topic_ids:
        rows = db.session.execute(
            sa.select(Participation.topic_id, Participation.municipality_id, Participation.status)
            .where(Participation.topic_id.in_(topic_ids))
        ).all()
        for topic_id, city_id, status in rows:
            cells[(topic_id, city_id)] = status
        rows = db.session.execute(
            sa.select(LeadClaim.topic_id, LeadClaim.municipality_id, LeadClaim.kind)
            .where(LeadClaim.topic_id.in_(topic_ids), LeadClaim.kind.in_(("lead", "colead")),
                   LeadClaim.status == "confirmed")
        ).all()
        for topic_id, city_id, kind in rows:
            cells[(topic_id, city_id)] = kind  # a lead or co-lead outranks participation
    lead_counts = {c.id: 0 for c in cities}
    colead_counts = {c.id: 0 for c in cities}
    for (topic_id, city_id), role in cells.items():
        if city_id in member_ids and role == "lead":
            lead_counts[city_id] += 1
        elif city_id in member_ids and role == "colead":
            colead_counts[city_id] += 1
    groups = []
    for topic in topics:
        if not groups or groups[-1][0].id != topic.field_id:
            groups.append((topic.field, []))
        groups[-1][1].append(topic)
    without_lead = sum(1 for t in topics if not any(cells.get((t.id, c)) == "lead" for c in member_ids))
    return {"fields": fields, "selected": selected, "groups": groups, "topics": topics, "cities": cities,
            "cells": cells, "lead_counts": lead_counts, "colead_counts": colead_counts,
            "without_lead": without_lead}
