"""Inventory extension points: panels (topic, city, dashboard), the weekly digest's new status reports,
personal data, the cleanup job for unfinished CSV uploads (tasks.py), the Markdown filter."""

import sqlalchemy as sa

from network.core.hooks import (register_digest_section, register_panel, register_panel_column, register_personal_data,
                                register_waiting)
from network.core.markdown import render_markdown
from network.core.scheduler import register_job


def _topic_panel(user, topic=None, **_kw):
    from flask import request

    from network.inventory import services
    if topic is None:
        return None
    value = request.args.get("vorhaben", "1")
    page = int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1
    return "inventory/_panel_topic.html", {"projects": services.topic_projects(user, topic, page), "topic": topic}


def _city_panel(user, city=None, **_kw):
    from network.inventory import services
    if city is None:
        return None
    summary = services.city_summary(user, city)
    own = getattr(user, "municipality_id", None) == city.id
    if not summary["total"] and not summary["reports"] and not own:
        return None
    return "inventory/_panel_city.html", summary


#: from this month on, the current year's status report is due (the yearly job before the year ends)
REPORT_DUE_MONTH = 10


def _dashboard_projects(user, _row_id=None):
    """The dashboard's panel column "inventory.projects": the own city's visible projects per status."""
    from network.inventory.services.providers import city_projects_stmt
    city = getattr(user, "municipality", None)
    return city_projects_stmt(user, city) if city is not None else None


def _dashboard_reports(user, _row_id=None):
    """The dashboard's panel column "inventory.reports": the own city's reports, in all and this year."""
    from network.inventory.services.providers import city_reports_stmt
    city = getattr(user, "municipality", None)
    return city_reports_stmt(user, city) if city is not None else None


def _dashboard_summary(user, city, known):
    """The panel's and the waiting source's counts: from the dashboard's counts statement, else two queries."""
    from network.inventory import services
    from network.inventory.services.providers import city_summary_from
    return city_summary_from(known or {}, city, "inventory") or services.city_summary(user, city)


def _dashboard_panel(user, known=None, **_kw):
    from network.core.permissions import can
    city = getattr(user, "municipality", None)
    if city is None:
        return "inventory/_panel_dashboard.html", {"city": None}
    ctx = dict(_dashboard_summary(user, city, known))
    ctx["may_import"] = can(user, "project.manage", city)
    return "inventory/_panel_dashboard.html", ctx


def _waiting(user, known=None):
    """The current year's status report, due from October when the city has projects and none yet (the panel's
    statement, read once)."""
    from flask import url_for
    from flask_babel import gettext as _
    from network.core.hooks import WaitingItem
    from network.core.models import utcnow
    from network.core.permissions import can
    city = getattr(user, "municipality", None)
    if city is None or utcnow().month < REPORT_DUE_MONTH or not can(user, "report.freeze", city):
        return []
    summary = _dashboard_summary(user, city, known)
    if not summary["total"] or summary["report_this_year"]:
        return []
    return [WaitingItem(_("Der Sachstandsbericht %(year)s steht noch aus: Aktualisieren Sie die Vorhaben und "
                          "erstellen Sie den Bericht.", year=summary["year"]),
                        url_for("inventory.reports", slug=city.slug), kind="inventory.report")]


def _export(user) -> dict:
    from network.extensions import db
    from network.inventory.models import ImportUpload, Project, StatusReport
    projects = db.session.execute(
        sa.select(Project.id, Project.title, Project.created_at).where(
            sa.or_(Project.created_by_id == user.id, Project.updated_by_id == user.id))).all()
    reports = db.session.execute(sa.select(StatusReport.id, StatusReport.title, StatusReport.published_at)
                                 .where(StatusReport.created_by_id == user.id)).all()
    uploads = db.session.execute(sa.select(ImportUpload.id, ImportUpload.filename, ImportUpload.created_at)
                                 .where(ImportUpload.created_by_id == user.id)).all()
    return {
        "project": [{"id": i, "title": t, "created_at": c.isoformat()} for i, t, c in projects],
        "status_report": [{"id": i, "title": t, "published_at": c.isoformat()} for i, t, c in reports],
        "project_import": [{"id": i, "filename": f, "created_at": c.isoformat()} for i, f, c in uploads],
    }


def _erase(user) -> None:
    """Unfinished uploads are purely personal; projects and reports stay with the city."""
    from network.extensions import db
    from network.inventory.models import ImportUpload
    db.session.execute(sa.delete(ImportUpload).where(ImportUpload.created_by_id == user.id))


def init_app(app):
    """Register panels, the digest section, personal-data sources, the cleanup job and the markdown filter."""
    from network.core.audit import register_object_links, register_sentences
    from network.inventory import audit_log, services, tasks
    register_sentences(app, audit_log.SENTENCES, ("Project", "StatusReport"))
    register_object_links(app, "Project", audit_log.project_links)
    register_object_links(app, "StatusReport", audit_log.report_links)
    from network.inventory.models import STATUS_SHAPES
    app.jinja_env.filters.setdefault("markdown", render_markdown)
    # globals, so that imported macros and other domains' pages (panels) see them too
    app.jinja_env.globals.update(status_shapes=STATUS_SHAPES, format_month=services.format_month,
                                 format_eur=services.format_eur)
    register_panel(app, "topic", _topic_panel, order=20)
    register_panel(app, "municipality", _city_panel, order=20)
    register_panel(app, "dashboard", _dashboard_panel, order=20)
    register_panel_column(app, "dashboard", "inventory.projects", _dashboard_projects)
    register_panel_column(app, "dashboard", "inventory.reports", _dashboard_reports)
    register_waiting(app, _waiting, order=70)
    register_personal_data(app, ["project", "status_report", "project_import"], _export, _erase)
    register_digest_section(app, services.reports_digest_section, order=40)
    register_job(app, "inventory-purge-uploads", tasks.purge_uploads, seconds_config="SCHEDULER_INVENTORY_PURGE_SECONDS")
