"""Wiring of the municipalities domain: its sentences in the audit log and the links to city pages."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from network.extensions import db
from network.municipalities.models import Municipality

SENTENCES = {
    "municipality.admitted": _l("%(actor)s hat %(object)s ins Netzwerk aufgenommen."),
    "municipality.updated": _l("%(actor)s hat die Stammdaten von %(object)s geändert."),
    "municipality.left": _l("%(actor)s hat den Austritt von %(object)s eingetragen."),
    "municipality.readmitted": _l("%(actor)s hat %(object)s wieder aufgenommen."),
}


def city_links(ids, reader) -> dict:
    """City pages are public: every city is named and linked."""
    rows = db.session.execute(sa.select(Municipality.id, Municipality.name, Municipality.slug)
                              .where(Municipality.id.in_(ids))).all()
    return {r.id: (r.name, url_for("municipalities.detail", slug=r.slug)) for r in rows}


def init_app(app) -> None:
    """Register the audit sentences and city links (core/audit.describe)."""
    from network.core.audit import register_object_links, register_sentences
    register_sentences(app, SENTENCES, ("Municipality",))
    register_object_links(app, "Municipality", city_links)
