"""Status reports (Sachstandsberichte): freezing the released inventory once a year, the report page with the
entries the reader may see, and the changes against the previous report."""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field

import sqlalchemy as sa
from flask import abort, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from network.core import audit
from network.core.boundary import Conflict
from network.core.models import utcnow
from network.core.permissions import require, roles_of
from network.core.templating import format_day
from network.core.tenancy import in_current_network, scope, shares_a_network
from network.core.validation import Checker
from network.extensions import db
from network.inventory.models import PRIORITY_ORDER, STATUSES, VISIBILITY_LABELS, Project, ReportEntry, StatusReport
from network.inventory.services._common import (MAX_SUMMARY, SNAPSHOT_FIELDS, acting_city, csv_cells, csv_header,
                                                int_or_none)
from network.inventory.services.queries import _ordered, visible
from network.inventory.signals import report_published
from network.municipalities.models import Municipality


def list_reports(user, city: Municipality):
    """The city's reports the user may see, newest first."""
    return db.session.execute(scope(StatusReport, user).where(StatusReport.municipality_id == city.id)
                              .order_by(StatusReport.year.desc())).scalars().all()


def get_report_or_404(user, report_id) -> StatusReport:
    """One report the user may see, or 404."""
    report = db.session.execute(scope(StatusReport, user).where(StatusReport.id == report_id)).scalar_one_or_none()
    if report is None:
        abort(404)
    return report


def _entry_visibilities(user, city_id: int) -> tuple[str, ...] | None:
    """Which entries of a city's report the user sees (None: all of them): the own city and the coordination of a
    network the city is in all; the cities sharing a network with it "network" and "public"; anyone else "public"
    (core.tenancy's rule for projects, applied to the frozen copies; at most one query)."""
    roles = roles_of(user)
    if "anonymous" in roles:
        return ("public",)
    own = getattr(user, "municipality_id", None)
    if own == city_id:
        return None
    if "coordinator" in roles and db.session.scalar(sa.select(in_current_network(sa.literal(city_id)))):
        return None
    if own is not None and db.session.scalar(sa.select(shares_a_network(sa.literal(city_id), own))):
        return ("network", "public")
    return ("public",)


def report_entries(user, report: StatusReport) -> list[ReportEntry]:
    """The report's entries the user may see, by field of action and priority."""
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
    """What changed between two snapshots, by kind."""

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
    """A lead freezes the city's released projects into "Sachstandsbericht <year>"; it never changes afterwards.

    The snapshot is always today's state. With data["confirm_past"] given (the form), an earlier year than the
    current one needs it to be true, so that nobody takes the report for the state at the end of that year."""
    require(actor, "report.freeze")
    city = acting_city(actor)
    require(actor, "report.freeze", city)
    c = Checker()
    this_year = utcnow().year
    year = int_or_none(data.get("year"))
    if year is None or not 2000 <= year <= this_year + 1:
        c.add("year", _("Bitte geben Sie ein Jahr zwischen 2000 und %(last)s an.", last=this_year + 1))
    title = c.text("title", data.get("title") or (f"Sachstandsbericht {year}" if year else ""),
                   label=_("den Titel"), max_len=200)
    note = c.text("note", data.get("note"), label=_("Das Vorwort"), required=False, max_len=MAX_SUMMARY)
    visibility = c.choice("visibility", data.get("visibility") or "network", VISIBILITY_LABELS,
                          label=_("die Sichtbarkeit"))
    if year is not None and "year" not in c.errors and year < this_year and data.get("confirm_past") is False:
        c.add("year", _("Der Bericht enthält den heutigen Stand des Inventars (%(today)s), nicht den Stand am Ende "
                        "von %(year)s. Bitte bestätigen Sie das unten oder geben Sie das Jahr %(this)s an.",
                        today=format_day(utcnow()), year=year, this=this_year))
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
    except IntegrityError:  # a second freeze of the same year at the same moment; the boundary rolls back
        raise Conflict({"year": _("Für dieses Jahr gibt es bereits einen Sachstandsbericht.")}) from None
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
    """A report's entries as CSV rows (the columns of the inventory export, without the draft column)."""
    return [csv_header()] + [csv_cells(e, e.field_name, e.topic_name) for e in entries]
