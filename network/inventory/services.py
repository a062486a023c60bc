"""Inventory services: projects (drafts, release, optimistic locking), inventory and roadmap, network overview,
status reports (freeze, diff against the previous one), providers for other domains.

Tenancy: every read goes through core.tenancy.scope(); another city's draft or city-only project never
appears in a list, a count, a chart, an export, the API or a panel.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field as dc_field
from datetime import date

import sqlalchemy as sa
from flask import abort, current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden

from network.core import audit
from network.inventory.signals import report_published
from network.core.models import utcnow
from network.core.permissions import can, require, roles_of
from network.core.tenancy import scope
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.inventory.models import (PRIORITIES, PRIORITY_ORDER, STATUSES, VISIBILITY_LABELS, Project,
                                      ReportEntry, StatusReport)
from network.municipalities.models import Municipality
from network.topics.models import FieldOfAction, Topic

MAX_SUMMARY = 20_000
#: the copied columns of a report entry (every field of the project at freeze time)
SNAPSHOT_FIELDS = ("title", "summary", "status", "priority", "start_month", "end_month", "department", "contact",
                   "budget_eur", "funding_source", "visibility", "is_lighthouse")
#: statuses that count as "still to do" for the funding radar
OPEN_STATUSES = ("idea", "in_progress")


# --- small parsers shared by forms, API and CSV import ----------------------------------------

_MONTH_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[./](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})$"), ("y",)),
)


def parse_month(value) -> date | None:
    """'2026-03', '03/2026', '03.2026', '15.03.2026', '2026' -> date(2026, 3, 1); '' -> None; else ValueError."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value).strip()
    if not text:
        return None
    for pattern, parts in _MONTH_PATTERNS:
        m = pattern.match(text)
        if m:
            got = dict(zip(parts, m.groups()))
            year, month = int(got["y"]), int(got.get("m") or 1)
            if got.get("d") is not None:
                date(year, month, int(got["d"]))  # raises for 31.02.
            if not (1990 <= year <= 2100 and 1 <= month <= 12):
                raise ValueError(text)
            return date(year, month, 1)
    raise ValueError(text)


def format_month(value: date | None) -> str:
    """date(2026, 3, 1) -> '03/2026'."""
    return f"{value.month:02d}/{value.year}" if value else ""


def parse_budget(value) -> int | None:
    """'12.500', '12500', '12.500,00 €', 12500 -> 12500; '' -> None; else ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = round(value)
    else:
        text = str(value).strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?|\d+(,\d{1,2})?", text):
            number = round(float(text.replace(".", "").replace(",", ".")))
        elif re.fullmatch(r"\d+(\.\d{1,2})?", text):
            number = round(float(text))
        else:
            raise ValueError(value)
    if not 0 <= number <= 10**12:
        raise ValueError(value)
    return number


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "y", "ja", "j", "x", "yes", "true", "wahr", "on")


def format_eur(value: int | None) -> str:
    return f"{value:,} €".replace(",", ".") if value is not None else ""


# --- reading ---------------------------------------------------------------------------------

def city_or_404(slug: str) -> Municipality:
    """A city by slug (cities are public); unknown slugs answer 404."""
    city = db.session.execute(sa.select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()
    if city is None:
        abort(404)
    return city


def fields_of_action():
    return db.session.execute(sa.select(FieldOfAction).order_by(FieldOfAction.position, FieldOfAction.name)).scalars().all()


def active_topics():
    return db.session.execute(sa.select(Topic).where(Topic.status == "active").order_by(Topic.name)).scalars().all()


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


def _require_edit(user, project: Project) -> None:
    require(user, "project.draft", project)  # another city: 404, no right at all: 403
    if not may_edit(user, project):
        raise Forbidden()


@dataclass
class Filters:
    status: str = ""
    priority: str = ""
    topic: str = ""
    year: int | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
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


def status_counts(user, city_id: int | None = None, stmt=None) -> dict[str, int]:
    """Visible projects per status (one query)."""
    base = stmt if stmt is not None else visible(user, city_id)
    rows = db.session.execute(base.with_only_columns(Project.status, sa.func.count(Project.id))
                              .group_by(Project.status)).all()
    counts = {s: 0 for s in STATUSES}
    counts.update({s: n for s, n in rows})
    return counts


def group_by_field(projects) -> list[tuple[FieldOfAction, list[Project]]]:
    groups: dict[int, list] = {}
    fields = {}
    for p in projects:
        groups.setdefault(p.field_id, []).append(p)
        fields[p.field_id] = p.field
    return [(fields[fid], items) for fid, items in groups.items()]


def inventory(user, city: Municipality, filters: Filters) -> dict:
    """The city's inventory page: groups by field of action, counts per status, filter choices."""
    require(user, "project.view") if getattr(user, "is_authenticated", False) else None
    stmt = filters.apply(visible(user, city.id))
    projects = db.session.execute(_ordered(stmt)).unique().scalars().all()
    return {
        "groups": group_by_field(projects),
        "total": len(projects),
        "counts": status_counts(user, stmt=stmt),
        "all_counts": status_counts(user, city.id) if filters.active else None,
        "topics": active_topics(),
        "drafts": sum(1 for p in projects if p.is_draft),
    }


def roadmap(user, city: Municipality) -> dict:
    """Timeline by quarter: fields of action, projects sorted by priority, quarters from the data."""
    stmt = visible(user, city.id).where(Project.status != "dropped")
    projects = db.session.execute(_ordered(stmt)).unique().scalars().all()
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
    for fld, items in group_by_field(projects):
        dated = [p for p in items if p.quarters()]
        undated = [p for p in items if not p.quarters()]
        rows.append((fld, [(p, _cells(p, quarters)) for p in dated], undated))
    return {"quarters": quarters, "groups": rows, "total": len(projects)}


def _cells(project: Project, quarters) -> list[bool]:
    (start, end) = project.quarters()
    return [start <= q <= end for q in quarters]


def overview(user) -> dict:
    """Network overview: member cities side by side, counts per status and per field of action (two queries)."""
    require(user, "project.view")
    cities = db.session.execute(sa.select(Municipality).where(Municipality.status == "member")
                                .order_by(Municipality.name)).scalars().all()
    fields = fields_of_action()
    base = visible(user)
    by_status = defaultdict(lambda: {s: 0 for s in STATUSES})
    for city_id, status, n in db.session.execute(
            base.with_only_columns(Project.municipality_id, Project.status, sa.func.count(Project.id))
            .group_by(Project.municipality_id, Project.status)).all():
        by_status[city_id][status] = n
    by_field = defaultdict(int)
    for city_id, field_id, n in db.session.execute(
            base.with_only_columns(Project.municipality_id, Project.field_id, sa.func.count(Project.id))
            .group_by(Project.municipality_id, Project.field_id)).all():
        by_field[(field_id, city_id)] = n
    totals = {c.id: sum(by_status[c.id].values()) for c in cities}
    status_totals = {s: sum(by_status[c.id][s] for c in cities) for s in STATUSES}
    return {"cities": cities, "fields": fields, "by_status": by_status, "by_field": by_field, "totals": totals,
            "status_totals": status_totals, "max_total": max(totals.values(), default=0),
            "field_totals": {f.id: sum(by_field[(f.id, c.id)] for c in cities) for f in fields}}


def export_rows(user, city: Municipality) -> list[list]:
    """The visible inventory as CSV rows (the same columns the import understands)."""
    projects = db.session.execute(_ordered(visible(user, city.id))).unique().scalars().all()
    rows = [[_("Titel"), _("Handlungsfeld"), _("Thema"), _("Status"), _("Priorität"), _("Beginn"), _("Ende"),
             _("Amt"), _("Ansprechperson"), _("Budget (Euro)"), _("Finanzierung"), _("Sichtbarkeit"),
             _("Leuchtturmprojekt"), _("Zusammenfassung"), _("Entwurf")]]
    for p in projects:
        rows.append([p.title, p.field.name, p.topic.name if p.topic else "", p.status_label, p.priority_label,
                     format_month(p.start_month), format_month(p.end_month), p.department, p.contact,
                     p.budget_eur if p.budget_eur is not None else "", p.funding_source, p.visibility_label,
                     _("ja") if p.is_lighthouse else _("nein"), p.summary, _("ja") if p.is_draft else _("nein")])
    return rows


# --- writing ---------------------------------------------------------------------------------

def _labelled(value, mapping: dict, default=None):
    """Accept the key ('in_progress') or its German label ('in Umsetzung')."""
    if value in (None, ""):
        return default
    text = str(value).strip()
    if text in mapping:
        return text
    low = text.lower()
    for key, label in mapping.items():
        if str(label).lower() == low:
            return key
    return text


def check_project(c: Checker, data: dict, *, fields_by_id=None, topics_by_id=None) -> dict:
    """Validate project input (form, API or import row); returns the column values."""
    out = {
        "title": c.text("title", data.get("title"), label=_("den Titel"), max_len=200),
        "summary": c.text("summary", data.get("summary"), label=_("Die Zusammenfassung"), required=False,
                          max_len=MAX_SUMMARY),
        "department": c.text("department", data.get("department"), label=_("Das Amt"), required=False, max_len=160),
        "contact": c.text("contact", data.get("contact"), label=_("Die Ansprechperson"), required=False,
                          max_len=160),
        "funding_source": c.text("funding_source", data.get("funding_source"), label=_("Die Finanzierung"),
                                 required=False, max_len=200),
        "is_lighthouse": parse_bool(data.get("is_lighthouse")),
    }
    status = _labelled(data.get("status"), STATUSES)
    if status not in STATUSES:
        c.add("status", _("Bitte wählen Sie einen Status: Idee, in Umsetzung, umgesetzt, pausiert oder verworfen."))
    out["status"] = status
    priority = _labelled(data.get("priority"), PRIORITIES, "medium")
    if priority not in PRIORITIES:
        c.add("priority", _("Bitte wählen Sie eine Priorität: hoch, mittel oder niedrig."))
    out["priority"] = priority
    visibility = _labelled(data.get("visibility"), VISIBILITY_LABELS, "city")
    if visibility not in VISIBILITY_LABELS:
        c.add("visibility", _("Bitte wählen Sie, wer das Vorhaben sehen darf."))
    out["visibility"] = visibility
    for key in ("start_month", "end_month"):
        try:
            out[key] = parse_month(data.get(key))
        except (TypeError, ValueError):
            out[key] = None
            c.add(key, _("Bitte geben Sie einen Monat an, z. B. 03/2026 oder 2026-03."))
    if out["start_month"] and out["end_month"] and out["end_month"] < out["start_month"]:
        c.add("end_month", _("Das Ende liegt vor dem Beginn."))
    try:
        out["budget_eur"] = parse_budget(data.get("budget_eur"))
    except (TypeError, ValueError):
        out["budget_eur"] = None
        c.add("budget_eur", _("Bitte geben Sie die Kosten als ganze Euro an, z. B. 25000 oder 25.000."))
    field_id = _int_or_none(data.get("field_id"))
    if fields_by_id is None:
        fld = db.session.get(FieldOfAction, field_id) if field_id else None
    else:
        fld = fields_by_id.get(field_id)
    if fld is None:
        c.add("field_id", _("Bitte wählen Sie ein Handlungsfeld."))
    out["field_id"] = field_id
    topic_id = _int_or_none(data.get("topic_id"))
    if data.get("topic_id") not in (None, "") and topic_id is None:
        c.add("topic_id", _("Bitte wählen Sie ein Thema aus der Liste."))
    elif topic_id is not None:
        topic = (topics_by_id.get(topic_id) if topics_by_id is not None else db.session.get(Topic, topic_id))
        if topic is None or topic.status != "active":
            c.add("topic_id", _("Bitte wählen Sie ein Thema aus der Liste."))
    out["topic_id"] = topic_id
    return out


def _int_or_none(value):
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _acting_city(actor) -> Municipality:
    city = getattr(actor, "municipality", None)
    if city is None:
        raise Forbidden()
    return city


def create_project(actor, data: dict) -> Project:
    """Record a project of the actor's city; staff records a draft, a lead a released project."""
    require(actor, "project.draft")
    city = _acting_city(actor)
    c = Checker()
    values = check_project(c, data)
    c.done()
    draft = not can(actor, "project.manage", city)
    project = Project(municipality_id=city.id, created_by_id=actor.id, updated_by_id=actor.id, is_draft=draft,
                      **values)
    db.session.add(project)
    db.session.flush()
    audit.record(actor, "project.created", obj=project,
                 summary=f"Vorhaben {project.title} angelegt" + (" (Entwurf)" if draft else ""))
    db.session.flush()
    return project


def stale_message() -> str:
    return _("Das Vorhaben wurde inzwischen von jemand anderem geändert. Ihre Eingaben stehen noch im Formular; "
             "bitte vergleichen Sie sie mit der aktuellen Fassung und speichern Sie erneut.")


def update_project(actor, project: Project, data: dict, *, version) -> Project:
    """Change a project; a stale version answers 409 and writes nothing."""
    _require_edit(actor, project)
    if str(version) != str(project.version):
        raise ValidationFailed({"version": stale_message()}, status=409)
    c = Checker()
    values = check_project(c, data)
    c.done()
    changed = [k for k, v in values.items() if getattr(project, k) != v]
    for key, value in values.items():
        setattr(project, key, value)
    project.updated_by_id = actor.id
    audit.record(actor, "project.updated", obj=project, summary=f"Vorhaben {project.title} geändert",
                 fields=changed)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ValidationFailed({"version": stale_message()}, status=409)
    return project


def project_values(project: Project) -> dict:
    """The editable values of a project, as check_project() accepts them (for partial API updates)."""
    out = {k: getattr(project, k) for k in SNAPSHOT_FIELDS}
    out.update(field_id=project.field_id, topic_id=project.topic_id)
    return out


def release_project(actor, project: Project, *, version=None) -> Project:
    """A lead releases a staff draft: from now on its visibility applies."""
    require(actor, "project.manage", project)
    if version is not None and str(version) != str(project.version):
        raise ValidationFailed({"version": stale_message()}, status=409)
    if not project.is_draft:
        raise ValidationFailed({"is_draft": _("Das Vorhaben ist bereits freigegeben.")}, status=409)
    project.is_draft = False
    project.updated_by_id = actor.id
    audit.record(actor, "project.released", obj=project, summary=f"Vorhaben {project.title} freigegeben")
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ValidationFailed({"version": stale_message()}, status=409)
    return project


def delete_project(actor, project: Project) -> None:
    """Delete a project (a lead: any of the city; staff: their own draft). Reports keep their copy."""
    _require_edit(actor, project)
    audit.record(actor, "project.deleted", obj=project, summary=f"Vorhaben {project.title} gelöscht")
    db.session.delete(project)
    db.session.flush()


# --- status reports --------------------------------------------------------------------------

def list_reports(user, city: Municipality):
    """The city's reports the user may see, newest first."""
    return db.session.execute(scope(StatusReport, user).where(StatusReport.municipality_id == city.id)
                              .order_by(StatusReport.year.desc())).scalars().all()


def get_report_or_404(user, report_id) -> StatusReport:
    report = db.session.execute(scope(StatusReport, user).where(StatusReport.id == report_id)).scalar_one_or_none()
    if report is None:
        abort(404)
    return report


def _entry_visibilities(user, city_id: int) -> tuple[str, ...] | None:
    """Which entries of a city's report the user sees (None: all of them)."""
    roles = roles_of(user)
    if "coordinator" in roles or (getattr(user, "municipality_id", None) == city_id and "anonymous" not in roles):
        return None
    return ("public",) if "anonymous" in roles else ("network", "public")


def report_entries(user, report: StatusReport) -> list[ReportEntry]:
    stmt = sa.select(ReportEntry).where(ReportEntry.report_id == report.id)
    allowed = _entry_visibilities(user, report.municipality_id)
    if allowed is not None:
        stmt = stmt.where(ReportEntry.visibility.in_(allowed))
    stmt = stmt.order_by(ReportEntry.field_position, ReportEntry.field_name,
                         sa.case(PRIORITY_ORDER, value=ReportEntry.priority), ReportEntry.title, ReportEntry.id)
    return db.session.execute(stmt).scalars().all()


def previous_report(report: StatusReport) -> StatusReport | None:
    """The city's published report before this one (by year); visibility is checked by the caller."""
    return db.session.execute(
        sa.select(StatusReport).where(StatusReport.municipality_id == report.municipality_id,
                                      StatusReport.year < report.year)
        .order_by(StatusReport.year.desc()).limit(1)).scalar_one_or_none()


@dataclass
class Changes:
    new: list = dc_field(default_factory=list)
    status_changed: list = dc_field(default_factory=list)  # (before, after)
    completed: list = dc_field(default_factory=list)  # (before, after)
    dropped: list = dc_field(default_factory=list)  # (before, after or None when removed)

    @property
    def any(self) -> bool:
        return bool(self.new or self.status_changed or self.completed or self.dropped)

    def counts(self) -> dict:
        return {"new": len(self.new), "status_changed": len(self.status_changed),
                "completed": len(self.completed), "dropped": len(self.dropped)}


def compare(before, after) -> Changes:
    """What changed between two snapshots (report entries or live projects, matched by project id).

    new: not in the earlier snapshot; completed: now "umgesetzt"; dropped: now "verworfen" or no longer in
    the inventory; status changed: any other change of status.
    """
    old = {e.project_id: e for e in before}
    changes = Changes()
    seen = set()
    for e in after:
        seen.add(e.project_id)
        prev = old.get(e.project_id)
        if prev is None:
            changes.new.append(e)
        elif prev.status != e.status:
            if e.status == "done":
                changes.completed.append((prev, e))
            elif e.status == "dropped":
                changes.dropped.append((prev, e))
            else:
                changes.status_changed.append((prev, e))
    for pid, prev in old.items():
        if pid not in seen and prev.status != "dropped":
            changes.dropped.append((prev, None))
    return changes


def field_status_counts(entries) -> dict:
    """{"rows": [(field name, {status: n}, total)], "totals": {status: n}, "total": n}."""
    rows: dict[tuple, dict] = {}
    for e in entries:
        key = (e.field_position, e.field_name)
        rows.setdefault(key, {s: 0 for s in STATUSES})[e.status] += 1
    totals = {s: sum(r[s] for r in rows.values()) for s in STATUSES}
    return {"rows": [(name, counts, sum(counts.values())) for (_p, name), counts in sorted(rows.items())],
            "totals": totals, "total": sum(totals.values())}


def report_view(user, report: StatusReport) -> dict:
    """Everything the report page shows: entries the user may see, counts, changes since the previous report."""
    entries = report_entries(user, report)
    prev = previous_report(report)
    if prev is not None and db.session.execute(scope(StatusReport, user).where(StatusReport.id == prev.id)).first() is None:
        prev = None  # the previous report is not visible to this user: no comparison
    changes = compare(report_entries(user, prev), entries) if prev is not None else None
    return {"entries": entries, "groups": _entry_groups(entries), "counts": field_status_counts(entries),
            "previous": prev, "changes": changes}


def _entry_groups(entries) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for e in entries:
        groups.setdefault(e.field_name, []).append(e)
    return list(groups.items())


def pending_changes(user, city: Municipality) -> dict:
    """The live inventory against the latest report (what the next report will show), for the city itself."""
    reports = list_reports(user, city)
    latest = reports[0] if reports else None
    projects = db.session.execute(_ordered(visible(user, city.id).where(Project.is_draft.is_(False)))) \
        .unique().scalars().all()
    return {"latest": latest, "changes": compare(report_entries(user, latest), projects) if latest else None,
            "reports": reports, "project_count": len(projects)}


def freeze_report(actor, data: dict) -> StatusReport:
    """A lead freezes the city's released projects into "Sachstandsbericht <year>"; it never changes afterwards."""
    require(actor, "report.freeze")
    city = _acting_city(actor)
    require(actor, "report.freeze", city)
    c = Checker()
    this_year = utcnow().year
    year = _int_or_none(data.get("year"))
    if year is None or not 2000 <= year <= this_year + 1:
        c.add("year", _("Bitte geben Sie ein Jahr zwischen 2000 und %(last)s an.", last=this_year + 1))
    title = c.text("title", data.get("title") or (f"Sachstandsbericht {year}" if year else ""),
                   label=_("den Titel"), max_len=200)
    note = c.text("note", data.get("note"), label=_("Das Vorwort"), required=False, max_len=MAX_SUMMARY)
    visibility = c.choice("visibility", data.get("visibility") or "network", VISIBILITY_LABELS,
                          label=_("die Sichtbarkeit"))
    if year is not None and "year" not in c.errors:
        latest = db.session.scalar(sa.select(sa.func.max(StatusReport.year))
                                   .where(StatusReport.municipality_id == city.id))
        if latest is not None and year <= latest:
            c.add("year", _("Es gibt bereits den Sachstandsbericht %(year)s; ein neuer Bericht braucht ein späteres "
                            "Jahr.", year=latest))
    c.done()
    report = StatusReport(municipality_id=city.id, year=year, title=title, note=note, visibility=visibility,
                          created_by_id=actor.id, published_at=utcnow())
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ValidationFailed({"year": _("Für dieses Jahr gibt es bereits einen Sachstandsbericht.")}, status=409)
    projects = db.session.execute(
        sa.select(Project).where(Project.municipality_id == city.id, Project.is_draft.is_(False))
        .order_by(Project.id)).unique().scalars().all()
    for p in projects:
        db.session.add(ReportEntry(report_id=report.id, project_id=p.id, field_id=p.field_id, field_name=p.field.name,
                                   field_position=p.field.position, topic_id=p.topic_id,
                                   topic_name=p.topic.name if p.topic else "",
                                   **{k: getattr(p, k) for k in SNAPSHOT_FIELDS}))
    audit.record(actor, "report.published", obj=report,
                 summary=f"{title} veröffentlicht ({len(projects)} Vorhaben)")
    report_published.send(report=report, targets=[("municipality", city.id)], title=f"{city.name}: {title}",
                       url=url_for("inventory.report", report_id=report.id),
                       audience="city:%d" % city.id if visibility == "city" else visibility, actor_id=actor.id)
    db.session.flush()
    return report


def report_rows(entries) -> list[list]:
    rows = [[_("Titel"), _("Handlungsfeld"), _("Thema"), _("Status"), _("Priorität"), _("Beginn"), _("Ende"),
             _("Amt"), _("Ansprechperson"), _("Budget (Euro)"), _("Finanzierung"), _("Sichtbarkeit"),
             _("Leuchtturmprojekt"), _("Zusammenfassung")]]
    for e in entries:
        rows.append([e.title, e.field_name, e.topic_name, e.status_label, e.priority_label,
                     format_month(e.start_month), format_month(e.end_month), e.department, e.contact,
                     e.budget_eur if e.budget_eur is not None else "", e.funding_source, e.visibility_label,
                     _("ja") if e.is_lighthouse else _("nein"), e.summary])
    return rows


# --- panels and providers ---------------------------------------------------------------------

def topic_projects(user, topic) -> list[Project]:
    """Projects of every city linked to the topic that the user may see (one query)."""
    stmt = visible(user).where(Project.topic_id == topic.id).join(Project.municipality) \
        .order_by(Municipality.name, Project.title)
    return db.session.execute(stmt).unique().scalars().all()


def city_summary(user, city: Municipality) -> dict:
    """Counts of the city's visible projects and reports (two queries)."""
    counts = status_counts(user, city.id)
    reports = db.session.scalar(scope(StatusReport, user).where(StatusReport.municipality_id == city.id)
                                .with_only_columns(sa.func.count(StatusReport.id)))
    return {"city": city, "counts": counts, "total": sum(counts.values()), "reports": reports or 0}


def matching_projects(user, municipality_id, field_ids, topic_ids) -> list[dict]:
    """Provider "inventory.matching_projects": the city's open projects without funding in the fields/topics."""
    field_ids, topic_ids = list(field_ids or []), list(topic_ids or [])
    if not field_ids and not topic_ids:
        return []
    match = []
    if field_ids:
        match.append(Project.field_id.in_(field_ids))
    if topic_ids:
        match.append(Project.topic_id.in_(topic_ids))
    stmt = visible(user, municipality_id).where(Project.status.in_(OPEN_STATUSES), Project.funding_source == "",
                                                sa.or_(*match)).order_by(Project.title)
    return [{"id": p.id, "title": p.title, "url": url_for("inventory.detail", project_id=p.id),
             "status": p.status, "status_label": p.status_label}
            for p in db.session.execute(stmt).unique().scalars()]


def city_projects(user, municipality_id) -> list[tuple[int, str]]:
    """Provider "inventory.city_projects": the city's released projects the user may see, by title."""
    stmt = visible(user, municipality_id).where(Project.is_draft.is_(False)).order_by(Project.title)
    return [(p.id, p.title) for p in db.session.execute(stmt).unique().scalars()]
