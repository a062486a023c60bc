"""The lead's changes to the city's Digitalstrategie. Every service: require() first, German messages for bad
input (nothing half-written: the request boundary rolls back), an audit event, flush."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from network.core import audit, files
from network.core.boundary import Conflict, check_version
from network.core.permissions import require
from network.core.validation import Checker
from network.extensions import db
from network.inventory.models import CityField
from network.strategy.models import (
    VISIBILITY_LABELS,
    CouncilDecision,
    Strategy,
    StrategyDocument,
)

#: the vision may be long (a Leitbild with headings), but not a book
MAX_VISION = 20_000
#: a city's own list: Erkelenz has nine; more than 30 is a typo or an import accident
MAX_FIELDS = 30


def parse_day(value) -> date | None:
    """A day as TT.MM.JJJJ (or JJJJ-MM-TT); ValueError for anything else, None for empty."""
    text = (value or "").strip() if not isinstance(value, date) else value
    if isinstance(text, date):
        return text
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


def _strategy(actor, city, create: bool = True) -> Strategy | None:
    """The city's strategy row (created, visible to the own city only, when the lead records the first part)."""
    row = db.session.execute(sa.select(Strategy).where(Strategy.municipality_id == city.id)).scalar_one_or_none()
    if row is None and create:
        row = Strategy(municipality_id=city.id, visibility="city", updated_by_id=actor.id)
        db.session.add(row)
        db.session.flush()
    return row


def stale_message() -> str:
    return _("Die Digitalstrategie wurde inzwischen von jemand anderem geändert. Ihre Eingaben stehen noch im "
             "Formular; bitte vergleichen Sie sie und speichern Sie erneut.")


def save_strategy(actor, city, data: dict, *, version) -> Strategy:
    """Record the vision (Leitbild, Markdown) and who may read the strategy; a stale version answers 409."""
    require(actor, "strategy.edit", city)
    c = Checker()
    vision = c.text("vision", data.get("vision"), label=_("Das Leitbild"), required=False, max_len=MAX_VISION,
                    multiline=True)
    visibility = c.choice("visibility", data.get("visibility"), VISIBILITY_LABELS, label=_("die Sichtbarkeit"))
    c.done()
    row = _strategy(actor, city, create=False)
    if row is None:
        if str(version or "0") not in ("", "0"):
            raise Conflict({"version": stale_message()})
        row = _strategy(actor, city)
    else:
        check_version(row, version, stale_message())
    row.vision, row.visibility, row.updated_by_id = vision, visibility, actor.id
    audit.record(actor, "strategy.updated", obj=row, summary=f"Digitalstrategie von {city.name} geändert")
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict({"version": stale_message()}) from None
    return row


def add_decision(actor, city, data: dict) -> CouncilDecision:
    """Record a council decision: its day (TT.MM.JJJJ, not in the future) and title."""
    require(actor, "strategy.edit", city)
    c = Checker()
    title = c.text("title", data.get("title"), label=_("den Titel des Beschlusses"), max_len=300)
    try:
        day = parse_day(data.get("decided_on"))
        if day is None:
            c.add("decided_on", _("Bitte geben Sie das Datum des Beschlusses an (TT.MM.JJJJ)."))
        elif day > date.today() or day.year < 1990:
            c.add("decided_on", _("Das Datum eines Beschlusses liegt zwischen 1990 und heute."))
    except ValueError:
        day = None
        c.add("decided_on", _("Bitte geben Sie ein gültiges Datum als TT.MM.JJJJ an, z. B. 27.03.2019."))
    c.done()
    _strategy(actor, city)
    row = CouncilDecision(municipality_id=city.id, decided_on=day, title=title, created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "strategy.decision_added", obj=row, summary=f"Beschluss {title} eingetragen")
    return row


def _own_or_404(model, city, row_id):
    """The city's own decision, document or field with this id, else 404."""
    row = db.session.execute(sa.select(model).where(model.id == row_id, model.municipality_id == city.id)
                             ).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


def delete_decision(actor, city, decision_id) -> None:
    """Remove a decision of the own city."""
    require(actor, "strategy.edit", city)
    row = _own_or_404(CouncilDecision, city, decision_id)
    audit.record(actor, "strategy.decision_deleted", obj=row, summary=f"Beschluss {row.title} entfernt")
    db.session.delete(row)
    db.session.flush()


def add_document(actor, city, title: str, file_storage) -> StrategyDocument:
    """Store a document of the strategy (documents only, checked by content like every attachment)."""
    require(actor, "strategy.edit", city)
    c = Checker()
    title = c.text("title", title, label=_("den Titel des Dokuments"), max_len=200)
    c.done()
    saved = files.save_upload(file_storage, allowed=files.DOCUMENT_TYPES)
    _strategy(actor, city)
    row = StrategyDocument(municipality_id=city.id, title=title, storage_name=saved.storage_name,
                           original_name=saved.original_name, content_type=saved.content_type, size=saved.size,
                           sha256=saved.sha256, uploaded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "strategy.document_added", obj=row, summary=f"Dokument {title} hochgeladen")
    return row


def delete_document(actor, city, document_id) -> str:
    """Remove a document row; the caller deletes the stored file after the commit (returns its name)."""
    require(actor, "strategy.edit", city)
    row = _own_or_404(StrategyDocument, city, document_id)
    name = row.storage_name
    audit.record(actor, "strategy.document_deleted", obj=row, summary=f"Dokument {row.title} entfernt")
    db.session.delete(row)
    db.session.flush()
    return name


def field_or_404(city, field_id) -> CityField:
    return _own_or_404(CityField, city, field_id)


def _check_field(c: Checker, city, data: dict, keep_id: int | None = None) -> dict:
    name = c.text("name", data.get("name"), label=_("den Namen des Handlungsfelds"), max_len=120)
    description = c.text("description", data.get("description"), label=_("Die Beschreibung"), required=False,
                         max_len=500, multiline=True)
    if name:
        clash = sa.select(CityField.id).where(CityField.municipality_id == city.id,
                                              sa.func.lower(CityField.name) == name.lower())
        if keep_id is not None:
            clash = clash.where(CityField.id != keep_id)
        if db.session.execute(clash).first():
            c.add("name", _("Ihre Kommune hat schon ein Handlungsfeld dieses Namens."))
    return {"name": name, "description": description}


def add_field(actor, city, data: dict) -> CityField:
    """Add one of the city's own fields of action (at the end of the list)."""
    require(actor, "strategy.edit", city)
    c = Checker()
    values = _check_field(c, city, data)
    count = db.session.scalar(sa.select(sa.func.count(CityField.id)).where(CityField.municipality_id == city.id))
    if count >= MAX_FIELDS:
        c.add("name", _("Eine Kommune kann höchstens %(n)s eigene Handlungsfelder anlegen.", n=MAX_FIELDS))
    c.done()
    _strategy(actor, city)
    row = CityField(municipality_id=city.id, position=(count + 1) * 10, **values)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "strategy.field_added", obj=row, summary=f"Handlungsfeld {row.name} angelegt")
    return row


def update_field(actor, city, row: CityField, data: dict) -> CityField:
    """Rename or describe a field of action; its projects keep it."""
    require(actor, "strategy.edit", city)
    c = Checker()
    values = _check_field(c, city, data, keep_id=row.id)
    try:
        position = int(data.get("position") or row.position)
        if not 0 <= position <= 10_000:
            raise ValueError
    except (TypeError, ValueError):
        position = row.position
        c.add("position", _("Bitte geben Sie die Reihenfolge als ganze Zahl zwischen 0 und 10000 an."))
    c.done()
    row.name, row.description, row.position = values["name"], values["description"], position
    audit.record(actor, "strategy.field_updated", obj=row, summary=f"Handlungsfeld {row.name} geändert")
    db.session.flush()
    return row


def delete_field(actor, city, row: CityField) -> None:
    """Remove a field of action; its projects keep their network field and lose only this one."""
    require(actor, "strategy.edit", city)
    from network.inventory.models import Project
    db.session.execute(sa.update(Project).where(Project.city_field_id == row.id).values(city_field_id=None))
    audit.record(actor, "strategy.field_deleted", obj=row, summary=f"Handlungsfeld {row.name} entfernt")
    db.session.delete(row)
    db.session.flush()

