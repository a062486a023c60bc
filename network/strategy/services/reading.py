"""Reading a city's Digitalstrategie. The strategy row carries the visibility; its decisions and documents are
shown only behind it (scope()), so another city's private strategy answers 404 everywhere."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from flask import abort

from network.core.permissions import can
from network.core.tenancy import scope
from network.extensions import db
from network.inventory import services as inventory
from network.inventory.models import CityField, Project
from network.strategy.models import CouncilDecision, Strategy, StrategyDocument

#: projects shown under the fields of the strategy page (a city's whole inventory is rarely larger)
MAX_PROJECTS = 500


def may_edit(user, city) -> bool:
    """The city's own lead."""
    return getattr(user, "is_authenticated", False) and getattr(user, "municipality_id", None) == city.id \
        and can(user, "strategy.edit", city)


def strategy_or_404(user, city) -> Strategy | None:
    """The city's strategy as far as the user may see it; None for the own city before one is recorded; another
    city's private (or missing) strategy answers 404."""
    row = db.session.execute(scope(Strategy, user).where(Strategy.municipality_id == city.id)).scalar_one_or_none()
    if row is not None:
        return row
    if getattr(user, "is_authenticated", False) and getattr(user, "municipality_id", None) == city.id:
        return None
    abort(404)


def document_or_404(user, city, document_id) -> StrategyDocument:
    """A document of a strategy the user may see, else 404."""
    strategy_or_404(user, city)
    doc = db.session.execute(sa.select(StrategyDocument).where(StrategyDocument.id == document_id,
                                                               StrategyDocument.municipality_id == city.id)
                             ).scalar_one_or_none()
    if doc is None:
        abort(404)
    return doc


def _field_groups(user, city, fields: list[CityField]) -> list[dict]:
    """Each of the city's fields (or, without its own list, the network's fields its projects use) with its
    visible projects and their counts per status (the traffic lights)."""
    stmt = inventory.visible(user, city.id).where(Project.status != "dropped")
    projects = db.session.execute(stmt.order_by(Project.title, Project.id).limit(MAX_PROJECTS)).unique() \
        .scalars().all()
    if fields:
        by_field: dict[int, list] = {f.id: [] for f in fields}
        rest = []
        for p in projects:
            (by_field[p.city_field_id] if p.city_field_id in by_field else rest).append(p)
        groups = [{"field": f, "projects": by_field[f.id]} for f in fields]
        if rest:
            groups.append({"field": inventory.NoCityField(), "projects": rest})
    else:
        seen: dict[int, dict] = {}
        for p in sorted(projects, key=lambda p: (p.field.position, p.field.name)):
            seen.setdefault(p.field_id, {"field": p.field, "projects": []})["projects"].append(p)
        groups = list(seen.values())
    for g in groups:
        g["counts"] = Counter(p.status for p in g["projects"])
    return groups


def strategy_page(user, city) -> dict:
    """Everything the strategy page shows (a fixed number of statements)."""
    strategy = strategy_or_404(user, city)
    fields = inventory.city_field_list(city.id)
    decisions = db.session.execute(sa.select(CouncilDecision).where(CouncilDecision.municipality_id == city.id)
                                   .order_by(CouncilDecision.decided_on.desc(), CouncilDecision.id)).scalars().all()
    documents = db.session.execute(sa.select(StrategyDocument).where(StrategyDocument.municipality_id == city.id)
                                   .order_by(StrategyDocument.created_at, StrategyDocument.id)).scalars().all()
    return {"strategy": strategy, "fields": fields, "own_fields": bool(fields),
            "groups": _field_groups(user, city, fields), "roadmap": inventory.roadmap(user, city, bool(fields)),
            "decisions": decisions, "documents": documents, "reports": inventory.list_reports(user, city),
            "may_edit": may_edit(user, city)}
