"""Writing projects: checking input (form, API, CSV row), recording, changing with optimistic locking,
releasing a staff draft, deleting."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from network.core import audit
from network.core.boundary import Conflict, check_version
from network.core.permissions import can, require
from network.core.validation import Checker
from network.extensions import db
from network.inventory.models import PRIORITIES, STATUSES, VISIBILITY_LABELS, Project
from network.inventory.services._common import MAX_SUMMARY, SNAPSHOT_FIELDS, acting_city, int_or_none
from network.inventory.services.parsers import (MAX_BUDGET_EUR, AmountOutOfRange, format_eur, parse_bool,
                                                parse_budget, parse_month)
from network.inventory.services.queries import active_topics, city_field_list, city_fields, require_edit
from network.topics.models import FieldOfAction, Topic


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
        "contact": c.text("contact", data.get("contact"), label=_("Die Ansprechperson"), required=False, multiline=False,
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
    except AmountOutOfRange:
        out["budget_eur"] = None
        c.add("budget_eur", budget_range_message())
    except (TypeError, ValueError):
        out["budget_eur"] = None
        c.add("budget_eur", _("Bitte geben Sie die Kosten als ganze Euro an, z. B. 25000 oder 25.000."))
    field_id = int_or_none(data.get("field_id"))
    if fields_by_id is None:
        fld = db.session.get(FieldOfAction, field_id) if field_id else None
    else:
        fld = fields_by_id.get(field_id)
    if fld is None:
        c.add("field_id", _("Bitte wählen Sie ein Handlungsfeld."))
    out["field_id"] = field_id
    topic_id = int_or_none(data.get("topic_id"))
    if data.get("topic_id") not in (None, "") and topic_id is None:
        c.add("topic_id", _("Bitte wählen Sie ein Thema aus der Liste."))
    elif topic_id is not None:
        topic = (topics_by_id.get(topic_id) if topics_by_id is not None else db.session.get(Topic, topic_id))
        if topic is None or topic.status != "active":
            c.add("topic_id", _("Bitte wählen Sie ein Thema aus der Liste."))
    out["topic_id"] = topic_id
    return out


def allowed_choices(city_id: int, project: Project | None = None) -> tuple[dict, dict]:
    """(fields by id, topics by id) a project of the city may be filed under: those of the networks the city takes
    part in; an edited project keeps its present field and topic even after its city left their network."""
    fields_by_id = {f.id: f for _n, items in city_fields(city_id, project.field_id if project else None)
                    for f in items}
    topics_by_id = {t.id: t for t in active_topics(city_id)}
    if project is not None and project.topic is not None:
        topics_by_id.setdefault(project.topic_id, project.topic)
    return fields_by_id, topics_by_id


def _city_field(c: Checker, data: dict, city_id: int, values: dict) -> None:
    """The city's own field of action, if the input names one (absent: unchanged; empty: none)."""
    if "city_field_id" not in data:
        return
    raw = data.get("city_field_id")
    field_id = int_or_none(raw)
    if raw not in (None, "") and (field_id is None or field_id not in {f.id for f in city_field_list(city_id)}):
        c.add("city_field_id", _("Bitte wählen Sie eines der eigenen Handlungsfelder Ihrer Kommune."))
    values["city_field_id"] = field_id


def create_project(actor, data: dict) -> Project:
    """Record a project of the actor's city; staff records a draft, a lead a released project."""
    require(actor, "project.draft")
    city = acting_city(actor)
    c = Checker()
    fields_by_id, topics_by_id = allowed_choices(city.id)
    values = check_project(c, data, fields_by_id=fields_by_id, topics_by_id=topics_by_id)
    _city_field(c, data, city.id, values)
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


def budget_range_message() -> str:
    """The German message for an amount outside the documented range (form, API and CSV import alike)."""
    return _("Die Kosten müssen zwischen 0 und %(max)s Euro liegen.", max=format_eur(MAX_BUDGET_EUR)[:-2])


def _flush_or_conflict() -> None:
    """Flush; a row changed by someone else meanwhile (version column) is a conflict, not a lost write."""
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict({"version": stale_message()}) from None


def stale_message() -> str:
    """The German text of a stale edit (form and API)."""
    return _("Das Vorhaben wurde inzwischen von jemand anderem geändert. Ihre Eingaben stehen noch im Formular; "
             "bitte vergleichen Sie sie mit der aktuellen Fassung und speichern Sie erneut.")


def update_project(actor, project: Project, data: dict, *, version) -> Project:
    """Change a project; a stale version answers 409 and writes nothing."""
    require_edit(actor, project)
    check_version(project, version, stale_message())
    c = Checker()
    fields_by_id, topics_by_id = allowed_choices(project.municipality_id, project)
    values = check_project(c, data, fields_by_id=fields_by_id, topics_by_id=topics_by_id)
    _city_field(c, data, project.municipality_id, values)
    c.done()
    changed = [k for k, v in values.items() if getattr(project, k) != v]
    for key, value in values.items():
        setattr(project, key, value)
    project.updated_by_id = actor.id
    audit.record(actor, "project.updated", obj=project, summary=f"Vorhaben {project.title} geändert",
                 fields=changed)
    _flush_or_conflict()
    return project


def project_values(project: Project) -> dict:
    """The editable values of a project, as check_project() accepts them (for partial API updates)."""
    out = {k: getattr(project, k) for k in SNAPSHOT_FIELDS}
    out.update(field_id=project.field_id, topic_id=project.topic_id)
    return out


def release_project(actor, project: Project, *, version=None) -> Project:
    """A lead releases a staff draft: from now on its visibility applies."""
    require(actor, "project.manage", project)
    if version is not None:
        check_version(project, version, stale_message())
    if not project.is_draft:
        raise Conflict({"is_draft": _("Das Vorhaben ist bereits freigegeben.")})
    project.is_draft = False
    project.updated_by_id = actor.id
    audit.record(actor, "project.released", obj=project, summary=f"Vorhaben {project.title} freigegeben")
    _flush_or_conflict()
    return project


def delete_project(actor, project: Project) -> None:
    """Delete a project (a lead: any of the city; staff: their own draft). Reports keep their copy."""
    require_edit(actor, project)
    audit.record(actor, "project.deleted", obj=project, summary=f"Vorhaben {project.title} gelöscht")
    db.session.delete(project)
    db.session.flush()
