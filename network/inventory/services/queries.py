"""Reading the inventory: a city's projects by field of action, filters, roadmap, network overview, CSV export.

Tenancy: every read goes through core.tenancy.scope(); another city's draft or city-only project never
appears in a list, a count, a chart, an export, the API or a panel.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden

from network.core.current import current_network_slug
from network.core.permissions import can, require
from network.core.tenancy import scope
from network.extensions import db
from network.inventory.models import PRIORITIES, PRIORITY_ORDER, STATUSES, CityField, Project
from network.inventory.services._common import csv_cells, csv_header
from network.municipalities.models import Municipality
from network.networks.models import Network
from network.networks.services import active_member_clause, request_network
from network.topics.models import FieldOfAction, Topic


def city_or_404(slug: str) -> Municipality:
    """A city by slug (cities are public); unknown slugs answer 404."""
    city = db.session.execute(sa.select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()
    if city is None:
        abort(404)
    return city


def fields_of_action(network_id: int | None = None):
    """The fields of action of one network (default: this request's) in their order (the overview's rows)."""
    if network_id is None:
        network_id = request_network().id
    return db.session.execute(sa.select(FieldOfAction).where(FieldOfAction.network_id == network_id)
                              .order_by(FieldOfAction.position, FieldOfAction.name)).scalars().all()


def active_topics(city_id: int | None = None):
    """The active topics by name (the filter's and the form's choices): of the networks the city takes part in,
    or, without a city, of this request's network."""
    stmt = sa.select(Topic).where(Topic.status == "active")
    if city_id is None:
        stmt = stmt.where(Topic.network_id == request_network().id)
    else:
        stmt = stmt.where(Topic.network_id.in_(_city_networks(city_id).with_only_columns(Network.id)))
    return db.session.execute(stmt.order_by(Topic.name, Topic.id)).scalars().all()


def _city_networks(city_id: int):
    """select(Network) of the networks the city takes part in (member or guest)."""
    return sa.select(Network).where(active_member_clause(Network.id, sa.literal(city_id)))


def city_fields(city_id: int, keep_id: int | None = None) -> list[tuple[Network, list[FieldOfAction]]]:
    """The fields of action a project of the city may be filed under: those of every network the city takes part
    in, grouped by network (by name; this request's network first). `keep_id`: a project's present field stays
    choosable even if the city has left its network. One query."""
    in_city_networks = FieldOfAction.network_id.in_(_city_networks(city_id).with_only_columns(Network.id))
    where = sa.or_(in_city_networks, FieldOfAction.id == keep_id) if keep_id else in_city_networks
    rows = db.session.execute(
        sa.select(FieldOfAction, Network).join(Network, Network.id == FieldOfAction.network_id).where(where)
        .order_by(sa.case((Network.slug == current_network_slug(), 0), else_=1), Network.name, Network.id,
                  FieldOfAction.position, FieldOfAction.name)).all()
    groups: dict[int, tuple[Network, list]] = {}
    for fld, network in rows:
        groups.setdefault(network.id, (network, []))[1].append(fld)
    return list(groups.values())


def field_choices(city_id: int, keep_id: int | None = None):
    """The form's choices: a flat list for a city in one network, grouped by network (optgroups) for more."""
    groups = city_fields(city_id, keep_id)
    if len(groups) == 1:
        return [(str(f.id), f.name) for f in groups[0][1]]
    return {network.name: [(str(f.id), f.name) for f in items] for network, items in groups}


def visible(user, city_id: int | None = None):
    """select(Project) of the projects the user may see (optionally of one city)."""
    stmt = scope(Project, user)
    if city_id is not None:
        stmt = stmt.where(Project.municipality_id == city_id)
    return stmt


def get_project_or_404(user, project_id) -> Project:
    """One project the user may see, or 404 (another city's draft or city-only project too)."""
    project = db.session.execute(visible(user).where(Project.id == project_id)).unique().scalar_one_or_none()
    if project is None:
        abort(404)
    return project


def may_edit(user, project: Project) -> bool:
    """A lead edits everything of the own city; staff only their own drafts."""
    if can(user, "project.manage", project):
        return True
    return (can(user, "project.draft", project) and project.is_draft
            and project.created_by_id is not None and project.created_by_id == getattr(user, "id", None))


def require_edit(user, project: Project) -> None:
    """The user may change or delete this project (see may_edit), else 404 (another city) or 403."""
    require(user, "project.draft", project)  # another city: 404, no right at all: 403
    if not may_edit(user, project):
        raise Forbidden()


@dataclass
class Filters:
    """The inventory page's filters (status, priority, topic, year), read leniently from the query string."""

    status: str = ""
    priority: str = ""
    topic: str = ""
    year: int | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        """Unknown values are ignored rather than refused: the filter links are shareable."""
        status = args.get("status", "")
        priority = args.get("prioritaet", "")
        topic = args.get("thema", "")[:80]
        try:
            year = int(args.get("jahr", "") or 0) or None
            if year is not None and not 1990 <= year <= 2100:
                year = None
        except ValueError:
            year = None
        return cls(status if status in STATUSES else "", priority if priority in PRIORITIES else "", topic, year)

    def apply(self, stmt):
        """The statement narrowed to the chosen filters."""
        if self.status:
            stmt = stmt.where(Project.status == self.status)
        if self.priority:
            stmt = stmt.where(Project.priority == self.priority)
        if self.topic:
            stmt = stmt.where(Project.topic.has(Topic.slug == self.topic))
        if self.year:
            first, last = date(self.year, 1, 1), date(self.year, 12, 1)
            start = sa.func.coalesce(Project.start_month, Project.end_month)
            end = sa.func.coalesce(Project.end_month, Project.start_month)
            stmt = stmt.where(start <= last, end >= first)
        return stmt

    @property
    def active(self) -> bool:
        return bool(self.status or self.priority or self.topic or self.year)

    def args(self) -> dict:
        out = {"status": self.status, "prioritaet": self.priority, "thema": self.topic, "jahr": self.year or ""}
        return {k: v for k, v in out.items() if v}


def _ordered(stmt):
    return stmt.join(Project.field).order_by(FieldOfAction.position, FieldOfAction.name,
                                             sa.case(PRIORITY_ORDER, value=Project.priority),
                                             Project.title, Project.id)


def _ordered_own(stmt):
    """Ordered by the city's own fields of action (projects without one last), then as _ordered."""
    return stmt.outerjoin(CityField, CityField.id == Project.city_field_id).order_by(
        sa.case((Project.city_field_id.is_(None), 1), else_=0), CityField.position, CityField.name,
        sa.case(PRIORITY_ORDER, value=Project.priority), Project.title, Project.id)


@dataclass(frozen=True)
class NoCityField:
    """The group of projects without one of the city's own fields of action."""

    id: int = 0

    @property
    def name(self) -> str:
        return _("Ohne eigenes Handlungsfeld")


def city_field_list(city_id: int) -> list[CityField]:
    """The city's own fields of action in their order (empty: the city uses the network's)."""
    return db.session.execute(sa.select(CityField).where(CityField.municipality_id == city_id)
                              .order_by(CityField.position, CityField.name, CityField.id)).scalars().all()


def group_by_city_field(projects) -> list[tuple]:
    """Consecutive projects grouped by the city's own field of action (NoCityField for none), in the given order."""
    groups: dict[int, list] = {}
    fields = {}
    for p in projects:
        key = p.city_field_id or 0
        groups.setdefault(key, []).append(p)
        fields[key] = p.city_field if p.city_field_id else NoCityField()
    return [(fields[key], items) for key, items in groups.items()]


def own_grouping(city: Municipality, wanted: bool) -> bool:
    """Group by the city's own fields: only when asked for and the city has its own list."""
    return bool(wanted) and db.session.execute(
        sa.select(CityField.id).where(CityField.municipality_id == city.id).limit(1)).first() is not None


def status_counts(user, city_id: int | None = None, stmt=None) -> dict[str, int]:
    """Visible projects per status (one query)."""
    base = stmt if stmt is not None else visible(user, city_id)
    rows = db.session.execute(base.with_only_columns(Project.status, sa.func.count(Project.id))
                              .group_by(Project.status)).all()
    counts = {s: 0 for s in STATUSES}
    counts.update({s: n for s, n in rows})
    return counts


def group_by_field(projects) -> list[tuple[FieldOfAction, list[Project]]]:
    """Consecutive projects grouped by their field of action, in the given order."""
    groups: dict[int, list] = {}
    fields = {}
    for p in projects:
        groups.setdefault(p.field_id, []).append(p)
        fields[p.field_id] = p.field
    return [(fields[fid], items) for fid, items in groups.items()]


#: projects per page of a city's inventory (a page shows what a person reads, issue #17: a screen and a half of
#: rows; the filters narrow)
CITY_PAGE_SIZE = 25


def inventory(user, city: Municipality, filters: Filters, page: int = 1, per_page: int = CITY_PAGE_SIZE,
              own_fields: bool = False) -> dict:
    """The city's inventory page: one page (50) of its projects grouped by field of action (the network's, or with
    `own_fields` the city's own), counts per status (and of drafts) over all of them, filter choices. A fixed
    number of queries however many projects."""
    require(user, "project.view") if getattr(user, "is_authenticated", False) else None
    page = max(1, page)
    stmt = filters.apply(visible(user, city.id))
    counts = {s: 0 for s in STATUSES}
    drafts = 0
    for status, is_draft, n in db.session.execute(
            stmt.with_only_columns(Project.status, Project.is_draft, sa.func.count(Project.id))
            .group_by(Project.status, Project.is_draft)).all():
        counts[status] = counts.get(status, 0) + n
        drafts += n if is_draft else 0
    total = sum(counts.values())
    # the topic links name the topic's network: loaded with the page, not per topic (constant statements)
    order, group = (_ordered_own, group_by_city_field) if own_fields else (_ordered, group_by_field)
    projects = db.session.execute(order(stmt).options(sa.orm.joinedload(Project.topic).joinedload(Topic.network))
                                  .limit(per_page).offset((page - 1) * per_page)).unique().scalars().all()
    first = (page - 1) * per_page + 1 if projects else 0
    return {
        "groups": group(projects),
        "total": total,
        "counts": counts,
        "all_counts": status_counts(user, city.id) if filters.active else None,
        "topics": active_topics(city.id),
        "drafts": drafts,
        "page": page, "has_next": page * per_page < total, "per_page": per_page,
        "first": first, "last": first + len(projects) - 1 if projects else 0,
    }


def roadmap(user, city: Municipality, own_fields: bool = False) -> dict:
    """Timeline by quarter: fields of action (the network's, or with `own_fields` the city's own), projects sorted
    by priority, quarters from the data."""
    stmt = visible(user, city.id).where(Project.status != "dropped")
    order, group = (_ordered_own, group_by_city_field) if own_fields else (_ordered, group_by_field)
    projects = db.session.execute(order(stmt)).unique().scalars().all()
    spans = [p.quarters() for p in projects if p.quarters()]
    quarters: list[tuple[int, int]] = []
    if spans:
        first = min(s[0] for s in spans)
        last = max(s[1] for s in spans)
        # at most 24 quarters; a project running longer is cut at the edges of the table
        y, q = first
        while (y, q) <= last and len(quarters) < 24:
            quarters.append((y, q))
            y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    rows = []
    for fld, items in group(projects):
        dated = [p for p in items if p.quarters()]
        undated = [p for p in items if not p.quarters()]
        rows.append((fld, [(p, _cells(p, quarters)) for p in dated], undated))
    return {"quarters": quarters, "groups": rows, "total": len(projects)}


def _cells(project: Project, quarters) -> list[bool]:
    (start, end) = project.quarters()
    return [start <= q <= end for q in quarters]


#: cities per page of the network overview (a column each in the field table)
OVERVIEW_PAGE_SIZE = 50


def overview(user, page: int = 1) -> dict:
    """Network overview of this request's network: one page of its member and guest cities side by side, counts
    per status and per field of action for the cities of the page, and their sums. Four queries, however many
    cities and projects there are; nothing is counted for cities that are not on the page."""
    require(user, "project.view")
    network = request_network()
    page = max(1, page)
    rows = db.session.execute(
        sa.select(Municipality).where(active_member_clause(network.id, Municipality.id))
        .order_by(Municipality.name, Municipality.id)
        .limit(OVERVIEW_PAGE_SIZE + 1).offset((page - 1) * OVERVIEW_PAGE_SIZE)).scalars().all()
    cities, has_next = rows[:OVERVIEW_PAGE_SIZE], len(rows) > OVERVIEW_PAGE_SIZE
    fields = fields_of_action(network.id)
    field_ids = {f.id for f in fields}
    by_status = defaultdict(lambda: {s: 0 for s in STATUSES})
    by_field = defaultdict(int)
    status_totals = {s: 0 for s in STATUSES}
    field_totals = defaultdict(int)
    if cities:
        # one GROUP BY, over the projects of this page's cities only (the municipality_id index narrows it)
        on_page = visible(user).where(Project.municipality_id.in_([c.id for c in cities]))
        for city_id, status, field_id, n in db.session.execute(
                on_page.with_only_columns(Project.municipality_id, Project.status, Project.field_id,
                                          sa.func.count(Project.id))
                .group_by(Project.municipality_id, Project.status, Project.field_id)).all():
            # a city in several networks files some projects under another network's fields: one row for those
            field_key = field_id if field_id in field_ids else None
            by_status[city_id][status] += n
            by_field[(field_key, city_id)] += n
            status_totals[status] += n
            field_totals[field_key] += n
    totals = {c.id: sum(by_status[c.id].values()) for c in cities}
    return {"network": network, "cities": cities, "fields": fields, "by_status": by_status, "by_field": by_field,
            "totals": totals, "status_totals": status_totals, "max_total": max(totals.values(), default=0),
            "field_totals": field_totals, "other_fields": field_totals[None] > 0, "page": page,
            "has_next": has_next}


def export_rows(user, city: Municipality) -> list[list]:
    """The visible inventory as CSV rows (the same columns the import understands)."""
    projects = db.session.execute(_ordered(visible(user, city.id))).unique().scalars().all()
    rows = [csv_header() + [_("Entwurf")]]
    for p in projects:
        rows.append(csv_cells(p, p.field.name, p.topic.name if p.topic else "")
                    + [_("ja") if p.is_draft else _("nein")])
    return rows
