"""What the inventory gives other domains and pages: panels (topic, city, dashboard), the funding radar's
matching projects, the practices form's project choices, the weekly digest's new status reports."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from network.core.hooks import DigestItem, DigestSection
from network.core.models import utcnow
from network.core.tenancy import scope
from network.extensions import db
from network.inventory.models import STATUSES, Project, StatusReport
from network.inventory.services._common import OPEN_STATUSES
from network.inventory.services.queries import status_counts, visible
from network.municipalities.models import Municipality


#: projects per page of the topic page's panel
TOPIC_PROJECTS_PAGE = 20


def topic_projects(user, topic, page: int = 1, per_page: int = TOPIC_PROJECTS_PAGE) -> dict:
    """One page of the projects of every city linked to the topic that the user may see, and their total
    (one query; count(*) over() rides along, one more only past the last page)."""
    page = max(1, page)
    stmt = visible(user).where(Project.topic_id == topic.id).join(Project.municipality) \
        .order_by(Municipality.name, Project.title, Project.id)
    rows = db.session.execute(stmt.add_columns(sa.func.count().over().label("total"))
                              .limit(per_page).offset((page - 1) * per_page)).unique().all()
    if rows:
        total = rows[0].total
    else:
        total = db.session.scalar(stmt.with_only_columns(sa.func.count(Project.id)).order_by(None))
    return {"items": [r[0] for r in rows], "page": page, "total": total or 0, "per_page": per_page}


def city_summary(user, city: Municipality) -> dict:
    """Counts of the city's visible projects and reports, and whether this year's report exists (two queries)."""
    counts = status_counts(user, city.id)
    reports, this_year = db.session.execute(city_reports_stmt(user, city)).one()
    return {"city": city, "counts": counts, "total": sum(counts.values()), "reports": reports or 0,
            "year": utcnow().year, "report_this_year": bool(this_year)}


def city_reports_stmt(user, city: Municipality):
    """One row: the city's visible status reports (`total`) and those of this year (`this_year`)."""
    year = utcnow().year
    return (scope(StatusReport, user).where(StatusReport.municipality_id == city.id)
            .with_only_columns(sa.func.count(StatusReport.id).label("total"),
                               sa.func.count(sa.case((StatusReport.year == year, StatusReport.id))).label("this_year")))


def city_projects_stmt(user, city: Municipality):
    """One row: the city's visible projects per status, a column per status (status_counts without GROUP BY)."""
    return visible(user, city.id).with_only_columns(
        *[sa.func.count(sa.case((Project.status == status, Project.id))).label(status) for status in STATUSES])


def city_summary_from(values: dict, city: Municipality, key: str) -> dict | None:
    """city_summary() from the dashboard's counts statement (core.hooks.panel_values: `key`.projects.<status>,
    `key`.reports.total / .this_year), or None when they were not read."""
    if f"{key}.reports.total" not in values:
        return None
    counts = {status: values.get(f"{key}.projects.{status}") or 0 for status in STATUSES}
    return {"city": city, "counts": counts, "total": sum(counts.values()),
            "reports": values[f"{key}.reports.total"] or 0, "year": utcnow().year,
            "report_this_year": bool(values[f"{key}.reports.this_year"])}


def matching_projects(user, municipality_id, field_ids, topic_ids) -> list[dict]:
    """For the funding radar (funding imports it): the city's open projects without funding in the fields/topics."""
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
    """For the practices form (practices imports it): the city's released projects the user may see, by title."""
    stmt = visible(user, municipality_id).where(Project.is_draft.is_(False)).order_by(Project.title)
    return [(p.id, p.title) for p in db.session.execute(stmt).unique().scalars()]


def reports_digest_section(user, since, until, follows) -> DigestSection | None:
    """Weekly digest: status reports published in (since, until] by the cities the user follows, if visible."""
    from network.interest.services import preferences  # the interest domain owns following and its modes
    city_ids = set((follows or {}).get("municipality") or ())
    # `follows` joins the cities of every weekly kind: a member who hears of reports at once (or not at all)
    # must not find them here as well
    if not city_ids or preferences(user).get("report.published") != "weekly":
        return None
    rows = db.session.execute(
        scope(StatusReport, user).where(StatusReport.municipality_id.in_(city_ids),
                                        StatusReport.published_at > since, StatusReport.published_at <= until)
        .options(sa.orm.joinedload(StatusReport.municipality))
        .order_by(StatusReport.published_at, StatusReport.id).limit(50)).scalars().all()
    items = [DigestItem(title=r.title, url=url_for("inventory.report", report_id=r.id, _external=True),
                        detail=r.municipality.name) for r in rows]
    return DigestSection(key="reports", title=_("Neue Sachstandsberichte der Kommunen, denen Sie folgen"),
                         items=items)
