"""Sammelpflege (issue #21, item 5): a city's projects in one table, status, priority and planned end changed in
place and saved together with one form.

All or nothing: a page's rows are saved together or not at all. An invalid value or a row that someone else
changed meanwhile (version column) stops the whole save; the page comes back with every problem beside its row
and everything the user typed. Rows the user did not touch are never written and never conflict.

Who: whoever may edit a project (queries.may_edit): a lead every project of the own city, staff their own
drafts; another city answers 404, a coordinator without a city role 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden

from network.core import audit
from network.core.boundary import Conflict
from network.core.permissions import can, require
from network.core.validation import ValidationFailed
from network.extensions import db
from network.inventory.models import PRIORITIES, STATUSES, Project, ReportEntry, StatusReport
from network.inventory.services._common import SNAPSHOT_FIELDS, int_or_none
from network.inventory.services.parsers import format_month, parse_month
from network.inventory.services.projects import _labelled
from network.inventory.services.queries import _ordered, may_edit, visible
from network.municipalities.models import Municipality

#: rows per page; the form saves the rows of one page
PAGE_SIZE = 50
#: the values the table edits
BULK_FIELDS = ("status", "priority", "end_month")


@dataclass
class BulkFilters:
    """Filter and page of the table, read leniently from the query string (unknown values are ignored)."""

    status: str = ""
    field_id: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "BulkFilters":
        status = args.get("status", "")
        field_id = int_or_none(args.get("feld"))
        page = int_or_none(args.get("seite")) or 1
        return cls(status if status in STATUSES else "", field_id if field_id and 0 < field_id < 2**31 else None,
                   min(max(page, 1), 10**6))

    def args(self, page: int | None = None) -> dict:
        """The query string (without the page unless given)."""
        out = {"status": self.status, "feld": self.field_id or ""}
        if page and page > 1:
            out["seite"] = page
        return {k: v for k, v in out.items() if v}


@dataclass
class BulkRow:
    """One row of the table: the project, the values in the inputs, messages and the marker."""

    project: Project
    values: dict  # status, priority, end_month (as text), version: what the inputs show
    original: dict  # the values the page was rendered with (to tell touched rows)
    report_state: str | None  # "unchanged", "changed", "new", "draft"; None: the city has no report yet
    errors: dict = dc_field(default_factory=dict)  # status/priority/end_month/version -> German message
    current: dict | None = None  # on a conflict: the saved values now


def _base(user, city: Municipality):
    """The projects of the city the user may edit here: a lead all, staff their own drafts."""
    require(user, "project.draft", city)  # another city: 404, no right at all (coordinator): 403
    stmt = visible(user, city.id)
    if not can(user, "project.manage", city):
        stmt = stmt.where(Project.is_draft.is_(True), Project.created_by_id == user.id)
    return stmt


def latest_report(city: Municipality) -> StatusReport | None:
    """The city's latest frozen status report (by year)."""
    return db.session.execute(sa.select(StatusReport).where(StatusReport.municipality_id == city.id)
                              .order_by(StatusReport.year.desc()).limit(1)).scalar_one_or_none()


def _report_state(project: Project, entry: ReportEntry | None, has_report: bool) -> str | None:
    if not has_report:
        return None
    if project.is_draft:
        return "draft"
    if entry is None:
        return "new"
    same = all(getattr(project, k) == getattr(entry, k) for k in SNAPSHOT_FIELDS) \
        and project.field_id == entry.field_id and project.topic_id == entry.topic_id
    return "unchanged" if same else "changed"


def _saved(project: Project) -> dict:
    return {"status": project.status, "priority": project.priority, "end_month": format_month(project.end_month),
            "version": str(project.version)}


def _rows(stmt, city: Municipality, report: StatusReport | None) -> list[BulkRow]:
    """The projects of ``stmt`` with their entry of the latest report: one query, whatever the number of rows."""
    report_id = report.id if report is not None else None
    stmt = _ordered(stmt).outerjoin(ReportEntry, sa.and_(ReportEntry.project_id == Project.id,
                                                         ReportEntry.report_id == report_id)) \
        .add_columns(ReportEntry)
    out = []
    for project, entry in db.session.execute(stmt).unique().all():
        saved = _saved(project)
        out.append(BulkRow(project, dict(saved), dict(saved), _report_state(project, entry, report is not None)))
    return out


def bulk_page(user, city: Municipality, filters: BulkFilters, posted: list[dict] | None = None,
              errors: dict | None = None) -> dict:
    """The table's page; with ``posted`` (a refused save) the posted rows again, with the user's input, the
    messages and, for a conflict, the saved values beside the row."""
    base = _base(user, city)
    stmt = base
    if filters.status:
        stmt = stmt.where(Project.status == filters.status)
    if filters.field_id:
        stmt = stmt.where(Project.field_id == filters.field_id)
    total = db.session.scalar(stmt.with_only_columns(sa.func.count(Project.id)).order_by(None))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    report = latest_report(city)
    if posted is None:
        rows = _rows(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE), city, report)
    else:
        ids = [r["id"] for r in posted if r["id"] is not None]
        rows = _rows(base.where(Project.id.in_(ids)), city, report)
        _overlay(rows, posted, errors or {})
    return {"rows": rows, "total": total, "page": page, "pages": pages, "has_next": page < pages,
            "report": report, "may_manage": can(user, "project.manage", city)}


def _overlay(rows: list[BulkRow], posted: list[dict], errors: dict) -> None:
    """Put the user's input back into the touched rows, the messages beside them; a conflict row shows the saved
    values and carries the saved version, so that saving again overwrites them on purpose."""
    by_id = {r["id"]: r for r in posted}
    for row in rows:
        sent = by_id.get(row.project.id)
        if sent is None:
            continue
        row.original = {k: sent.get("orig_" + k, "") for k in BULK_FIELDS}
        row.errors = {k: errors[f"{row.project.id}-{k}"] for k in BULK_FIELDS + ("version",)
                      if f"{row.project.id}-{k}" in errors}
        if _touched(sent) or row.errors:
            row.values = {k: sent.get(k, "") for k in BULK_FIELDS} | {"version": sent.get("version", "")}
        if "version" in row.errors:
            row.current = _saved(row.project)
            row.values["version"] = row.current["version"]


def _touched(sent: dict) -> bool:
    return any((sent.get(k) or "").strip() != (sent.get("orig_" + k) or "").strip() for k in BULK_FIELDS)


def _check_row(project: Project, sent: dict, errors: dict) -> dict | None:
    """The row's new values, or None when they are invalid (the messages go into ``errors``)."""
    pid = project.id
    status = _labelled(sent.get("status"), STATUSES)
    if status not in STATUSES:
        errors[f"{pid}-status"] = _("Bitte wählen Sie einen Status: Idee, in Umsetzung, umgesetzt, pausiert oder "
                                    "verworfen.")
    priority = _labelled(sent.get("priority"), PRIORITIES)
    if priority not in PRIORITIES:
        errors[f"{pid}-priority"] = _("Bitte wählen Sie eine Priorität: hoch, mittel oder niedrig.")
    try:
        end = parse_month(sent.get("end_month"))
    except (TypeError, ValueError):
        end = None
        errors[f"{pid}-end_month"] = _("Bitte geben Sie einen Monat an, z. B. 03/2026 oder 2026-03.")
    else:
        if end and project.start_month and end < project.start_month:
            errors[f"{pid}-end_month"] = _("Das Ende liegt vor dem Beginn (%(start)s).",
                                          start=format_month(project.start_month))
    if any(k.startswith(f"{pid}-") for k in errors):
        return None
    return {"status": status, "priority": priority, "end_month": end}


def conflict_message(project: Project) -> str:
    """A row changed by someone else since the page was loaded, naming the project and who changed it."""
    who = project.updated_by.name if project.updated_by else _("jemand anderem")
    return _("„%(title)s“ wurde inzwischen von %(who)s geändert. Gespeichert ist jetzt: %(status)s, Priorität "
             "%(priority)s, Ende %(end)s. Ihre Eingaben stehen noch in der Zeile; speichern Sie erneut, um die "
             "gespeicherte Fassung zu überschreiben.", title=project.title, who=who, status=project.status_label,
             priority=project.priority_label, end=format_month(project.end_month) or _("offen"))


def save_bulk(actor, city: Municipality, rows: list[dict]) -> list[Project]:
    """Save the changed rows of one page together; nothing at all when one row is invalid or stale.

    A row counts when the user changed it (its values differ from the ``orig_*`` values the page was rendered
    with) and the new values differ from the saved ones; its version must then be the saved one. Another city's
    project answers 404 and a project the actor may not edit 403, before anything is written.
    """
    require(actor, "project.draft", city)
    ids = [r["id"] for r in rows]
    if len(ids) > PAGE_SIZE or len(set(ids)) != len(ids):
        abort(400)
    found = {p.id: p for p in db.session.execute(
        visible(actor, city.id).where(Project.id.in_(ids)).options(selectinload(Project.updated_by))
    ).unique().scalars()} if ids else {}
    if len(found) != len(ids):
        abort(404)  # another city's project, or none at all
    errors: dict[str, str] = {}
    writes = []
    for sent in rows:
        project = found[sent["id"]]
        if not may_edit(actor, project):
            raise Forbidden()
        if not _touched(sent):
            continue  # left as it was: never written, never a conflict (someone else's change stays)
        values = _check_row(project, sent, errors)
        if values is None:
            continue
        changed = [k for k, v in values.items() if getattr(project, k) != v]
        if not changed:
            continue
        if str(sent.get("version") or "") != str(project.version):
            errors[f"{project.id}-version"] = conflict_message(project)
            continue
        writes.append((project, values, changed))
    if errors:
        if all(k.endswith("-version") for k in errors):
            raise Conflict(errors)
        raise ValidationFailed(errors)
    for project, values, changed in writes:
        for key, value in values.items():
            setattr(project, key, value)
        project.updated_by_id = actor.id
        audit.record(actor, "project.updated", obj=project, summary=f"Vorhaben {project.title} geändert",
                     fields=changed, via="sammelpflege")
    try:
        db.session.flush()
    except StaleDataError:  # changed between our read and our write: the boundary rolls everything back
        raise Conflict({"version": _("Ein Vorhaben wurde gerade von jemand anderem geändert; es wurde nichts "
                                     "gespeichert. Bitte laden Sie die Seite neu.")}) from None
    return [p for p, _v, _c in writes]
