"""Writing a practice: check the input, create, update (a new revision each time), publish, archive."""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _

from network.core import audit
from network.core.boundary import Conflict, check_version
from network.core.models import utcnow
from network.core.permissions import can, require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.municipalities.models import Municipality
from network.practices.models import SECTIONS, VISIBILITIES, Practice, PracticeRevision
from network.practices.services._common import (MAX_SECTION, MAX_SUMMARY, flush_or_stale, int_or_none,
                                                stale_message)
from network.practices.services.choices import field_choices, project_choices, topic_choices
from network.practices.services.fulltext import changed, reindex
from network.practices.signals import practice_published


def _check(actor, data: dict, practice: Practice | None = None) -> dict:
    """Check form or API input; every bad value gets a German message (422)."""
    c = Checker()
    out = {}
    out["title"] = c.text("title", data.get("title"), label=_("einen Titel"), max_len=200, min_len=3)
    out["summary"] = c.text("summary", data.get("summary"), label=_("eine Kurzbeschreibung"), required=False,
                            max_len=MAX_SUMMARY)
    sections = {}
    given = data.get("sections") or {}
    if not isinstance(given, dict):
        c.add("sections", _("Die Abschnitte müssen als Zuordnung Name → Text übergeben werden."))
        given = {}
    for key, label in SECTIONS.items():
        value = given.get(key, "")
        if value is not None and not isinstance(value, str):
            c.add(key, _("Bitte geben Sie hier einen Text an."))
            continue
        text = c.text(key, value, label=str(label), required=False, max_len=MAX_SECTION)
        if text:
            sections[key] = text.replace("\r\n", "\n")
    out["sections"] = sections
    visibility = data.get("visibility") or "network"
    out["visibility"] = c.choice("visibility", visibility, VISIBILITIES, label=_("die Sichtbarkeit"))
    field_id = int_or_none(data.get("field_id"))
    city_id = practice.municipality_id if practice is not None else getattr(actor, "municipality_id", None)
    allowed_fields = {f.id for f in field_choices(city_id, practice.field_id if practice is not None else None)}
    if field_id == "invalid" or (field_id is not None and field_id not in allowed_fields):
        c.add("field_id", _("Bitte wählen Sie ein vorhandenes Handlungsfeld."))
        field_id = None
    out["field_id"] = field_id
    raw_topics = data.get("topic_ids") or []
    if isinstance(raw_topics, (str, int)):
        raw_topics = [raw_topics]
    topic_ids = set()
    for value in raw_topics:
        tid = int_or_none(value)
        if tid == "invalid":
            c.add("topic_ids", _("Bitte wählen Sie nur vorhandene Themen."))
        elif tid is not None:
            topic_ids.add(tid)
    topics = []
    if topic_ids:
        kept = [t.id for t in practice.topics] if practice is not None else []
        topics = [t for t in topic_choices(city_id, kept) if t.id in topic_ids]
        if len(topics) != len(topic_ids):
            c.add("topic_ids", _("Bitte wählen Sie nur vorhandene Themen."))
    out["topics"] = topics
    tags = data.get("tags") or ""
    if not isinstance(tags, str):
        tags = ",".join(str(t) for t in tags) if isinstance(tags, list) else ""
    tag_list = []
    for t in tags.split(","):
        t = " ".join(t.split())
        if t and t.lower() not in [x.lower() for x in tag_list]:
            tag_list.append(t)
    if any(len(t) > 40 for t in tag_list) or len(tag_list) > 15:
        c.add("tags", _("Bitte höchstens 15 Schlagwörter mit je höchstens 40 Zeichen angeben."))
    out["tags"] = c.text("tags", ", ".join(tag_list), label=_("Schlagwörter"), required=False, max_len=300)
    choices = project_choices(actor)
    project_id = int_or_none(data.get("project_id"))
    if choices is not None:  # without the inventory domain the column is left alone
        if project_id == "invalid" or (project_id is not None and project_id not in {i for i, _t in choices}):
            c.add("project_id", _("Bitte wählen Sie ein Vorhaben Ihrer Kommune."))
        out["project_id"] = project_id if project_id != "invalid" else None
    c.done()
    return out


def _acting_city(actor) -> Municipality:
    city = getattr(actor, "municipality", None)
    if city is None or city.status != "member":
        raise ValidationFailed({"city": _("Praxisberichte schreiben Mitarbeitende einer Mitgliedskommune.")},
                               status=403)
    return city


def _revision(actor, practice: Practice, note: str = "") -> PracticeRevision:
    number = (db.session.scalar(sa.select(sa.func.max(PracticeRevision.number))
                                .where(PracticeRevision.practice_id == practice.id)) or 0) + 1
    rev = PracticeRevision(practice_id=practice.id, number=number, author_id=getattr(actor, "id", None),
                           title=practice.title, summary=practice.summary, sections=dict(practice.sections or {}),
                           note=note)
    db.session.add(rev)
    return rev


def _apply(practice: Practice, data: dict) -> None:
    for key in ("title", "summary", "sections", "visibility", "field_id", "tags", "project_id"):
        if key in data:
            setattr(practice, key, data[key])
    practice.topics = list(data["topics"])


def _require_visibility_right(actor, practice: Practice, visibility: str) -> None:
    """Who may read a published (or archived) practice is the lead's decision, like publishing it (#14).

    A draft's visibility is free for its writers: the lead decides on it with the publishing.
    """
    if practice.status != "draft" and visibility != practice.visibility \
            and not can(actor, "practice.publish", practice):
        raise ValidationFailed({"visibility": _("Die Sichtbarkeit eines veröffentlichten Praxisberichts ändert nur "
                                                "eine Leitung Ihrer Kommune.")}, status=403)


def create_practice(actor, data: dict) -> Practice:
    """Start a draft for the actor's city; the first revision is saved with it."""
    require(actor, "practice.write")
    city = _acting_city(actor)
    clean = _check(actor, data)
    practice = Practice(municipality_id=city.id, author_id=actor.id, status="draft")
    _apply(practice, clean)
    db.session.add(practice)
    db.session.flush()
    _revision(actor, practice)
    reindex(practice)
    audit.record(actor, "practice.created", obj=practice, summary=f"Praxisbericht {practice.title} angelegt")
    db.session.flush()
    return practice


def update_practice(actor, practice: Practice, data: dict, *, version, note: str = "") -> Practice:
    """Save a new state (a new revision); a stale version answers 409."""
    require(actor, "practice.write", practice)
    check_version(practice, version, stale_message())
    clean = _check(actor, data, practice)
    _require_visibility_right(actor, practice, clean["visibility"])
    _apply(practice, clean)
    flush_or_stale()
    _revision(actor, practice, note)
    reindex(practice)
    audit.record(actor, "practice.updated", obj=practice, summary=f"Praxisbericht {practice.title} geändert")
    flush_or_stale()
    return practice


def publish_practice(actor, practice: Practice, *, version=None) -> Practice:
    """A lead of the city publishes the draft (or re-publishes an archived practice)."""
    require(actor, "practice.publish", practice)
    if version is not None:
        check_version(practice, version, stale_message())
    if practice.status == "published":
        raise Conflict({"status": _("Der Praxisbericht ist bereits veröffentlicht.")})
    first = practice.published_at is None
    practice.status = "published"
    if first:
        practice.published_at = utcnow()
        practice.published_by_id = actor.id
    flush_or_stale()
    reindex(practice)
    audit.record(actor, "practice.published", obj=practice, summary=f"Praxisbericht {practice.title} veröffentlicht")
    if first:
        practice_published.send(practice=practice,
                                targets=[("practice", practice.id), ("municipality", practice.municipality_id)]
                                + [("topic", t.id) for t in practice.topics],
                                title=practice.title,
                                url=url_for("practices.detail", practice_id=practice.id) if has_request_context()
                                else f"/praxis/{practice.id}",
                                audience=practice.visibility, actor_id=actor.id)
    db.session.flush()
    return practice


def archive_practice(actor, practice: Practice) -> Practice:
    """A lead archives a published practice: still readable, marked as no longer maintained."""
    require(actor, "practice.publish", practice)
    if practice.status != "published":
        raise Conflict({"status": _("Nur veröffentlichte Praxisberichte können archiviert werden.")})
    practice.status = "archived"
    flush_or_stale()
    changed()
    audit.record(actor, "practice.archived", obj=practice, summary=f"Praxisbericht {practice.title} archiviert")
    return practice
