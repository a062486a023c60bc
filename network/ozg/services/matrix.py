"""The network's OZG matrix: Themenfelder -> services × member cities (25 cities per page), filters, counts, CSV,
and one service's page (who offers it online, with which solution).

Statements per matrix page, whatever the number of cities and services: the network, a page of its cities, the
catalogue, the page's visible statuses, and the network's online counts per service (core.tenancy.scope).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from network.core.tenancy import scope
from network.extensions import db
from network.municipalities.models import Municipality
from network.networks.services import active_member_clause, request_network
from network.ozg.models import STATUSES, OzgService, OzgStatus
from network.ozg.services.catalogue import themenfeld_slug

#: member cities per page of the matrix (columns); a network of 10,800 cities is 432 pages
CITIES_PER_PAGE = 25


@dataclass
class MatrixFilters:
    """The matrix's filters from the query string (anything unknown is ignored)."""

    themenfeld: str = ""
    lebenslage: str = ""
    status: str = ""
    online: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> MatrixFilters:
        status = args.get("status", "")
        try:
            page = max(1, min(int(args.get("seite", 1)), 100_000))
        except ValueError:
            page = 1
        return cls(themenfeld=args.get("themenfeld", "")[:120], lebenslage=args.get("lebenslage", "")[:200],
                   status=status if status in STATUSES else "", online=args.get("online") in ("1", "on", "ja"),
                   page=page)

    def args(self, page: int | None = None) -> dict:
        out = {k: v for k, v in (("themenfeld", self.themenfeld), ("lebenslage", self.lebenslage),
                                 ("status", self.status)) if v}
        if self.online:
            out["online"] = "1"
        if page and page > 1:
            out["seite"] = page
        return out

    @property
    def active(self) -> bool:
        return bool(self.themenfeld or self.lebenslage or self.status or self.online)


def _member_cities(network, page: int):
    """One page of the network's members and guests by name (one more row tells whether a next page exists)."""
    rows = db.session.execute(sa.select(Municipality).where(active_member_clause(network.id, Municipality.id))
                              .order_by(Municipality.name, Municipality.id)
                              .limit(CITIES_PER_PAGE + 1).offset((page - 1) * CITIES_PER_PAGE)).scalars().all()
    return rows[:CITIES_PER_PAGE], len(rows) > CITIES_PER_PAGE


def _services_with_online_counts(user, network) -> tuple[list, dict[int, int]]:
    """The catalogue and, per service, how many of the network's cities offer it online (as far as the user may
    see): one statement (the counts are a grouped subquery joined to the catalogue)."""
    counts = (scope(OzgStatus, user).where(OzgStatus.status == "online",
                                           active_member_clause(network.id, OzgStatus.municipality_id))
              .with_only_columns(OzgStatus.service_id, sa.func.count(OzgStatus.id).label("n"))
              .group_by(OzgStatus.service_id).subquery())
    rows = db.session.execute(sa.select(OzgService, counts.c.n).outerjoin(counts, counts.c.service_id == OzgService.id)
                              .order_by(OzgService.themenfeld, OzgService.lebenslage, OzgService.name,
                                        OzgService.ozg_id)).all()
    return [s for s, _n in rows], {s.id: n for s, n in rows if n}


def matrix(user, filters: MatrixFilters) -> dict:
    """The matrix of this request's network for one page of its cities."""
    network = request_network()  # the views let only the network's readers in (readable_network)
    cities, has_next = _member_cities(network, filters.page)
    services, online = _services_with_online_counts(user, network)
    city_ids = [c.id for c in cities]
    cells: dict[tuple[int, int], tuple] = {}
    if city_ids:
        stmt = scope(OzgStatus, user).where(OzgStatus.municipality_id.in_(city_ids))
        for row in db.session.execute(stmt.with_only_columns(
                OzgStatus.municipality_id, OzgStatus.service_id, OzgStatus.status, OzgStatus.maturity,
                OzgStatus.solution, OzgStatus.is_efa)).all():
            cells[(row.service_id, row.municipality_id)] = (row.status, row.maturity, row.solution, row.is_efa)

    fields = sorted({s.themenfeld for s in services})
    field_slugs = {themenfeld_slug(f): f for f in fields}
    field_name = field_slugs.get(filters.themenfeld, "")
    lebenslagen = [(n, n) for n in sorted({s.lebenslage for s in services if not field_name or s.themenfeld == field_name})]

    def keep(s) -> bool:
        if field_name and s.themenfeld != field_name:
            return False
        if filters.lebenslage and s.lebenslage != filters.lebenslage:
            return False
        if filters.online and not online.get(s.id):
            return False
        if filters.status:
            return any(cells.get((s.id, c), ("open",))[0] == filters.status for c in city_ids)
        return True

    groups = []
    per_city = {c: Counter() for c in city_ids}
    for s in services:
        if not keep(s):
            continue
        if not groups or groups[-1]["name"] != s.themenfeld:
            groups.append({"name": s.themenfeld, "slug": themenfeld_slug(s.themenfeld), "rows": [],
                           "online_somewhere": 0, "per_city": Counter()})
        group = groups[-1]
        row_cells = []
        for c in city_ids:
            cell = cells.get((s.id, c))
            status = cell[0] if cell else "open"
            per_city[c][status] += 1
            if status == "online":
                group["per_city"][c] += 1
            row_cells.append((status, cell))
        if online.get(s.id):
            group["online_somewhere"] += 1
        group["rows"].append({"service": s, "cells": row_cells, "online": online.get(s.id, 0)})
    return {"network": network, "cities": cities, "has_next": has_next, "groups": groups, "per_city": per_city,
            "themenfelder": [(themenfeld_slug(f), f) for f in fields], "lebenslagen": lebenslagen,
            "shown": sum(len(g["rows"]) for g in groups), "total": len(services)}


def matrix_rows(data: dict) -> list[list]:
    """The matrix as CSV rows: one per service, one column per city of the page (status as text)."""
    header = [_("OZG-ID"), _("Leistung"), _("Themenfeld"), _("Lebenslage")] + [c.name for c in data["cities"]] \
        + [_("online in Mitgliedskommunen")]
    out = [header]
    for group in data["groups"]:
        for row in group["rows"]:
            s = row["service"]
            out.append([s.ozg_id, s.name, s.themenfeld, s.lebenslage]
                       + [str(STATUSES[status]) for status, _cell in row["cells"]] + [row["online"]])
    return out


def service_page(user, service) -> dict:
    """One service in this request's network: its LeiKa services and the members' visible statuses (online
    first), with the projects and practices the user may see."""
    from network.inventory.models import Project
    from network.ozg.models import LeikaService
    from network.practices.models import Practice
    network = request_network()  # the views let only the network's readers in (readable_network)
    order = sa.case({"online": 0, "in_progress": 1, "planned": 2}, value=OzgStatus.status, else_=3)
    rows = db.session.execute(
        scope(OzgStatus, user).where(OzgStatus.service_id == service.id,
                                     active_member_clause(network.id, OzgStatus.municipality_id))
        .join(Municipality, Municipality.id == OzgStatus.municipality_id)
        .order_by(order, Municipality.name).limit(500)).scalars().all()
    project_ids = {r.project_id for r in rows if r.project_id}
    practice_ids = {r.practice_id for r in rows if r.practice_id}
    projects = {p.id: p.title for p in db.session.execute(
        scope(Project, user).where(Project.id.in_(project_ids)).with_only_columns(Project.id, Project.title))} \
        if project_ids else {}
    practices = {p.id: p.title for p in db.session.execute(
        scope(Practice, user).where(Practice.id.in_(practice_ids), Practice.status == "published")
        .with_only_columns(Practice.id, Practice.title))} if practice_ids else {}
    leika = db.session.execute(sa.select(LeikaService).where(LeikaService.service_id == service.id)
                               .order_by(LeikaService.name).limit(500)).scalars().all()
    counts = Counter(r.status for r in rows)
    return {"network": network, "rows": rows, "projects": projects, "practices": practices, "leika": leika,
            "counts": counts, "online": [r for r in rows if r.status == "online"]}
