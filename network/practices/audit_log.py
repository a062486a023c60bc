"""The practices' sentences in the audit log and the links to them (core/audit.describe)."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from network.extensions import db
from network.practices.models import Practice, PracticeQuestion, PracticeReuse
from network.practices.services.access import visible_clause

SENTENCES = {
    "practice.created": _l("%(actor)s hat den Praxisbericht %(object)s angelegt."),
    "practice.updated": _l("%(actor)s hat den Praxisbericht %(object)s geändert."),
    "practice.published": _l("%(actor)s hat den Praxisbericht %(object)s veröffentlicht."),
    "practice.archived": _l("%(actor)s hat den Praxisbericht %(object)s archiviert."),
    "practice.attachment_added": _l("%(actor)s hat eine Anlage zu %(object)s hochgeladen."),
    "practice.attachment_deleted": _l("%(actor)s hat eine Anlage von %(object)s entfernt."),
    "practice.reuse_set": _l("%(actor)s hat für %(city)s die Nachnutzung von %(object)s eingetragen."),
    "practice.question_asked": _l("%(actor)s hat eine Frage zu %(object)s gestellt."),
    "practice.question_answered": _l("%(actor)s hat eine Frage zu %(object)s beantwortet."),
}


def _named(practice_ids, reader) -> dict:
    rows = db.session.execute(sa.select(Practice.id, Practice.title).where(Practice.id.in_(practice_ids))).all()
    visible = set(db.session.execute(sa.select(Practice.id).where(Practice.id.in_(practice_ids),
                                                                  visible_clause(reader))).scalars())
    return {r.id: (r.title, url_for("practices.detail", practice_id=r.id) if r.id in visible else None) for r in rows}


def practice_links(ids, reader) -> dict:
    return _named(ids, reader)


def _via_practice(model):
    def links(ids, reader) -> dict:
        pairs = db.session.execute(sa.select(model.id, model.practice_id).where(model.id.in_(ids))).all()
        named = _named(sorted({p.practice_id for p in pairs}), reader)
        return {p.id: named[p.practice_id] for p in pairs if p.practice_id in named}
    return links


reuse_links = _via_practice(PracticeReuse)
question_links = _via_practice(PracticeQuestion)
