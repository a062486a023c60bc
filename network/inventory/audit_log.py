"""The inventory's sentences in the audit log and the links to projects and reports (core/audit.describe)."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from network.core.tenancy import scope
from network.extensions import db
from network.inventory.models import Project, StatusReport

SENTENCES = {
    "project.created": _l("%(actor)s hat das Vorhaben %(object)s angelegt."),
    "project.updated": _l("%(actor)s hat das Vorhaben %(object)s geändert."),
    "project.released": _l("%(actor)s hat das Vorhaben %(object)s freigegeben."),
    "project.deleted": _l("%(actor)s hat ein Vorhaben von %(city)s gelöscht."),
    "project.imported": _l("%(actor)s hat Vorhaben für %(city)s aus einer CSV-Datei eingelesen."),
    "report.published": _l("%(actor)s hat den Sachstandsbericht %(object)s veröffentlicht."),
}


def _links(model, endpoint, key):
    def links(ids, reader) -> dict:
        rows = db.session.execute(sa.select(model.id, model.title).where(model.id.in_(ids))).all()
        visible = set(db.session.execute(
            scope(model, reader).where(model.id.in_(ids)).with_only_columns(model.id)).scalars())
        return {r.id: (r.title, url_for(endpoint, **{key: r.id}) if r.id in visible else None) for r in rows}
    return links


project_links = _links(Project, "inventory.detail", "project_id")
report_links = _links(StatusReport, "inventory.report", "report_id")
