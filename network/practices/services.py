"""Practices: write, revise, publish, attach, reuse, ask and answer, search. Services flush, never commit."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort, current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from network.accounts.models import User
from network.core import audit
from network.core import files
from network.core import search as textsearch
from network.core.markdown import render_markdown
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import can, require, roles_of
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.municipalities.models import Municipality
from network.practices.signals import practice_published
from network.practices.models import (REUSE_STATUSES, SECTIONS, VISIBILITIES, Practice, PracticeAttachment,
                                      PracticeQuestion, PracticeReuse, PracticeRevision, PracticeSearch,
                                      practice_topic)
from network.topics.models import FieldOfAction, Topic

MAX_SECTION = 20_000
MAX_SUMMARY = 2_000
MAX_QUESTION = 4_000
VISIBLE_STATUSES = ("published", "archived")


# --- visibility ---------------------------------------------------------------------------

def visible_clause(user):
    """The practices `user` may see: own city all, others published network/public ones, anonymous public."""
    roles = roles_of(user)
    if "coordinator" in roles:
        return sa.true()
    shared = sa.and_(Practice.status.in_(VISIBLE_STATUSES),
                     Practice.visibility.in_(("public",) if "anonymous" in roles else ("public", "network")))
    own = getattr(user, "municipality_id", None)
    if own is not None and "anonymous" not in roles:
        return sa.or_(Practice.municipality_id == own, shared)
    return shared


def _id_or_404(value) -> int:
    """URL ids beyond a 64-bit integer can name no row (and would overflow the database driver)."""
    if not isinstance(value, int) or not 0 < value < 2 ** 63:
        abort(404)
    return value


def get_practice_or_404(user, practice_id) -> Practice:
    """A practice the user may see, or 404 (also for another city's draft)."""
    _id_or_404(practice_id)
    practice = db.session.execute(
        sa.select(Practice).where(Practice.id == practice_id, visible_clause(user))
    ).scalar_one_or_none()
    if practice is None:
        abort(404)
    return practice


def is_own(user, practice: Practice) -> bool:
    return getattr(user, "municipality_id", None) == practice.municipality_id and "anonymous" not in roles_of(user)


def may_edit(user, practice: Practice) -> bool:
    return can(user, "practice.write", practice)


# --- choices --------------------------------------------------------------------------------

def topic_choices():
    return db.session.execute(sa.select(Topic).where(Topic.status == "active").order_by(Topic.name)).scalars().all()


def field_choices():
    return db.session.execute(
        sa.select(FieldOfAction).order_by(FieldOfAction.position, FieldOfAction.name)).scalars().all()


def project_choices(user) -> list[tuple[int, str]] | None:
    """The own city's projects from the inventory domain, or None when that domain is absent."""
    from network.inventory.services import city_projects
    if getattr(user, "municipality_id", None) is None:
        return None
    return list(city_projects(user, user.municipality_id))


# --- checking input ---------------------------------------------------------------------------

def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return "invalid"


def _check(actor, data: dict) -> dict:
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
    field_id = _int_or_none(data.get("field_id"))
    if field_id == "invalid" or (field_id is not None and db.session.get(FieldOfAction, field_id) is None):
        c.add("field_id", _("Bitte wählen Sie ein vorhandenes Handlungsfeld."))
        field_id = None
    out["field_id"] = field_id
    raw_topics = data.get("topic_ids") or []
    if isinstance(raw_topics, (str, int)):
        raw_topics = [raw_topics]
    topic_ids = set()
    for value in raw_topics:
        tid = _int_or_none(value)
        if tid == "invalid":
            c.add("topic_ids", _("Bitte wählen Sie nur vorhandene Themen."))
        elif tid is not None:
            topic_ids.add(tid)
    topics = []
    if topic_ids:
        topics = db.session.execute(sa.select(Topic).where(Topic.id.in_(topic_ids), Topic.status == "active")
                                    ).scalars().all()
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
    project_id = _int_or_none(data.get("project_id"))
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


def _flush_or_stale() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ValidationFailed({"version": _("Der Praxisbericht wurde inzwischen von jemand anderem geändert. "
                                             "Ihr Text ist unten erhalten; bitte laden Sie die aktuelle Fassung "
                                             "und übernehmen Sie Ihre Änderungen.")}, status=409)


def _check_version(practice: Practice, version) -> None:
    if str(version or "") != str(practice.version):
        raise ValidationFailed({"version": _("Der Praxisbericht wurde inzwischen von jemand anderem geändert. "
                                             "Ihr Text ist unten erhalten; bitte laden Sie die aktuelle Fassung "
                                             "und übernehmen Sie Ihre Änderungen.")}, status=409)


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
    _check_version(practice, version)
    clean = _check(actor, data)
    _apply(practice, clean)
    _flush_or_stale()
    _revision(actor, practice, note)
    reindex(practice)
    audit.record(actor, "practice.updated", obj=practice, summary=f"Praxisbericht {practice.title} geändert")
    _flush_or_stale()
    return practice


def publish_practice(actor, practice: Practice, *, version=None) -> Practice:
    """A lead of the city publishes the draft (or re-publishes an archived practice)."""
    require(actor, "practice.publish", practice)
    if version is not None:
        _check_version(practice, version)
    if practice.status == "published":
        raise ValidationFailed({"status": _("Der Praxisbericht ist bereits veröffentlicht.")}, status=409)
    first = practice.published_at is None
    practice.status = "published"
    if first:
        practice.published_at = utcnow()
        practice.published_by_id = actor.id
    _flush_or_stale()
    reindex(practice)
    audit.record(actor, "practice.published", obj=practice, summary=f"Praxisbericht {practice.title} veröffentlicht")
    if first:
        practice_published.send(practice=practice, targets=[("practice", practice.id), ("municipality", practice.municipality_id)]
                           + [("topic", t.id) for t in practice.topics],
                           title=practice.title,
                           url=url_for("practices.detail", practice_id=practice.id) if has_request_context() else
                           f"/praxis/{practice.id}",
                           audience=practice.visibility, actor_id=actor.id)
    db.session.flush()
    return practice


def archive_practice(actor, practice: Practice) -> Practice:
    """A lead archives a published practice: still readable, marked as no longer maintained."""
    require(actor, "practice.publish", practice)
    if practice.status != "published":
        raise ValidationFailed({"status": _("Nur veröffentlichte Praxisberichte können archiviert werden.")},
                               status=409)
    practice.status = "archived"
    _flush_or_stale()
    audit.record(actor, "practice.archived", obj=practice, summary=f"Praxisbericht {practice.title} archiviert")
    return practice


# --- revisions ------------------------------------------------------------------------------

def revisions(practice: Practice) -> list[PracticeRevision]:
    return db.session.execute(
        sa.select(PracticeRevision).where(PracticeRevision.practice_id == practice.id)
        .order_by(PracticeRevision.number.desc())).scalars().all()


def get_revision_or_404(practice: Practice, revision_id) -> PracticeRevision:
    _id_or_404(revision_id)
    rev = db.session.execute(sa.select(PracticeRevision).where(
        PracticeRevision.id == revision_id, PracticeRevision.practice_id == practice.id)).scalar_one_or_none()
    if rev is None:
        abort(404)
    return rev


def restore_revision(actor, practice: Practice, revision: PracticeRevision, *, version) -> Practice:
    """Bring back an old state as a new revision (nothing is lost)."""
    require(actor, "practice.write", practice)
    data = {"title": revision.title, "summary": revision.summary, "sections": dict(revision.sections or {}),
            "visibility": practice.visibility, "field_id": practice.field_id, "tags": practice.tags,
            "topic_ids": [t.id for t in practice.topics]}
    if practice.project_id is not None:
        data["project_id"] = practice.project_id
    return update_practice(actor, practice, data, version=version,
                           note=_("Wiederhergestellt aus Version %(n)s", n=revision.number))


@dataclass
class DiffRow:
    kind: str  # equal, replace, delete, insert
    left: str
    right: str


@dataclass
class FieldDiff:
    label: str
    rows: list[DiffRow] = field(default_factory=list)
    changed: bool = False


def compare(a: PracticeRevision, b: PracticeRevision) -> list[FieldDiff]:
    """Line-by-line differences of every text between revisions a (left) and b (right)."""
    fields = [(_("Titel"), a.title, b.title), (_("Kurzbeschreibung"), a.summary, b.summary)]
    for key, label in SECTIONS.items():
        fields.append((str(label), (a.sections or {}).get(key, ""), (b.sections or {}).get(key, "")))
    out = []
    for label, left, right in fields:
        lines_a, lines_b = (left or "").splitlines(), (right or "").splitlines()
        diff = FieldDiff(label=label, changed=lines_a != lines_b)
        matcher = difflib.SequenceMatcher(a=lines_a, b=lines_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                diff.rows.extend(DiffRow("equal", x, x) for x in lines_a[i1:i2])
            elif tag == "replace":
                la, lb = lines_a[i1:i2], lines_b[j1:j2]
                for k in range(max(len(la), len(lb))):
                    l_text = la[k] if k < len(la) else None
                    r_text = lb[k] if k < len(lb) else None
                    kind = "replace" if l_text is not None and r_text is not None else (
                        "delete" if r_text is None else "insert")
                    diff.rows.append(DiffRow(kind, l_text or "", r_text or ""))
            elif tag == "delete":
                diff.rows.extend(DiffRow("delete", x, "") for x in lines_a[i1:i2])
            elif tag == "insert":
                diff.rows.extend(DiffRow("insert", "", x) for x in lines_b[j1:j2])
        out.append(diff)
    return out


# --- attachments ----------------------------------------------------------------------------

def attachments(practice: Practice) -> list[PracticeAttachment]:
    return db.session.execute(sa.select(PracticeAttachment).where(PracticeAttachment.practice_id == practice.id)
                              .order_by(PracticeAttachment.created_at, PracticeAttachment.id)).scalars().all()


def add_attachment(actor, practice: Practice, file_storage) -> PracticeAttachment:
    """Check the file by content and store it under a generated name."""
    require(actor, "practice.write", practice)
    saved = files.save_upload(file_storage)
    att = PracticeAttachment(practice_id=practice.id, storage_name=saved.storage_name,
                             original_name=saved.original_name, content_type=saved.content_type, size=saved.size,
                             sha256=saved.sha256, uploaded_by_id=actor.id)
    db.session.add(att)
    audit.record(actor, "practice.attachment_added", obj=practice,
                 summary=f"Anhang {saved.original_name} zu {practice.title} hinzugefügt")
    db.session.flush()
    return att


def get_attachment_or_404(practice: Practice, attachment_id) -> PracticeAttachment:
    _id_or_404(attachment_id)
    att = db.session.execute(sa.select(PracticeAttachment).where(
        PracticeAttachment.id == attachment_id, PracticeAttachment.practice_id == practice.id)).scalar_one_or_none()
    if att is None:
        abort(404)
    return att


def delete_attachment(actor, practice: Practice, att: PracticeAttachment) -> str:
    """Remove the row; the caller deletes the stored file after the commit (returns its name)."""
    require(actor, "practice.write", practice)
    name = att.storage_name
    db.session.delete(att)
    audit.record(actor, "practice.attachment_deleted", obj=practice,
                 summary=f"Anhang {att.original_name} von {practice.title} entfernt")
    db.session.flush()
    return name


# --- reuse and questions ----------------------------------------------------------------------

def _authoring_contacts(practice: Practice) -> list[User]:
    people = db.session.execute(
        sa.select(User).where(User.municipality_id == practice.municipality_id, User.active.is_(True),
                              sa.or_(User.role == "lead", User.id == practice.author_id))
    ).scalars().all()
    return people


def _practice_link(practice: Practice) -> str:
    if not has_request_context():
        return ""
    return url_for("practices.detail", practice_id=practice.id, _external=True)


def _require_other_city_on_published(actor, practice: Practice, what: str) -> Municipality:
    city = getattr(actor, "municipality", None)
    if city is None or city.status != "member":
        raise ValidationFailed({"city": _("Nur Mitgliedskommunen können das.")}, status=403)
    if practice.status not in VISIBLE_STATUSES:
        raise ValidationFailed({"status": _("Das geht erst, wenn der Praxisbericht veröffentlicht ist.")},
                               status=409)
    if city.id == practice.municipality_id:
        raise ValidationFailed({what: _("Das ist ein Praxisbericht Ihrer eigenen Kommune.")})
    return city


def reuses(practice: Practice) -> list[PracticeReuse]:
    """Reuse marks of member cities, most advanced first."""
    order = sa.case({"adopted": 0, "adopting": 1, "interested": 2}, value=PracticeReuse.status)
    return db.session.execute(
        sa.select(PracticeReuse).join(Municipality, Municipality.id == PracticeReuse.municipality_id)
        .where(PracticeReuse.practice_id == practice.id, Municipality.status == "member")
        .order_by(order, Municipality.name)).scalars().all()


def own_reuse(user, practice: Practice) -> PracticeReuse | None:
    city_id = getattr(user, "municipality_id", None)
    if city_id is None:
        return None
    return db.session.execute(sa.select(PracticeReuse).where(
        PracticeReuse.practice_id == practice.id, PracticeReuse.municipality_id == city_id)).scalar_one_or_none()


def set_reuse(actor, practice: Practice, status, note="", saved_days=None) -> PracticeReuse:
    """The actor's city marks the practice as interesting, being adopted or adopted; its authors hear of it."""
    require(actor, "practice.reuse")
    c = Checker()
    city = _require_other_city_on_published(actor, practice, "status")
    status = c.choice("status", status, REUSE_STATUSES, label=_("den Stand der Nachnutzung"))
    note = c.text("note", note if isinstance(note, str) or note is None else "", label=_("eine Anmerkung"),
                  required=False, max_len=2000)
    days = _int_or_none(saved_days)
    if days == "invalid" or (days is not None and not 0 <= days <= 10_000):
        c.add("saved_days", _("Bitte geben Sie den eingesparten Aufwand als ganze Zahl von Personentagen an "
                              "(0 bis 10000)."))
        days = None
    c.done()
    mark = own_reuse(actor, practice)
    before = mark.status if mark else None
    if mark is None:
        mark = PracticeReuse(practice_id=practice.id, municipality_id=city.id, status=status)
        db.session.add(mark)
    mark.status, mark.note, mark.saved_days, mark.user_id = status, note, days, actor.id
    audit.record(actor, "practice.reuse_set", obj=mark,
                 summary=f"Nachnutzung von {practice.title}: {status}")
    db.session.flush()
    if before != status:
        for person in _authoring_contacts(practice):
            queue_mail(person.email, "practices/reuse", subject=_("Nachnutzung Ihres Praxisberichts"),
                       locale=person.language, municipality_id=practice.municipality_id, person=person,
                       practice=practice, city=city, mark=mark, actor=actor, link=_practice_link(practice))
    return mark


def questions(user, practice: Practice) -> list[PracticeQuestion]:
    """Answered questions (FAQ) for everyone who sees the practice; open ones for the two cities involved."""
    stmt = sa.select(PracticeQuestion).where(PracticeQuestion.practice_id == practice.id)
    own = getattr(user, "municipality_id", None)
    if not (can(user, "practice.view") and ("coordinator" in roles_of(user) or own == practice.municipality_id)):
        clauses = [PracticeQuestion.answered_at.is_not(None)]
        if own is not None and can(user, "practice.view"):
            clauses.append(PracticeQuestion.municipality_id == own)
        stmt = stmt.where(sa.or_(*clauses))
    return db.session.execute(stmt.order_by(PracticeQuestion.created_at, PracticeQuestion.id)).scalars().all()


def ask_question(actor, practice: Practice, text) -> PracticeQuestion:
    """Staff of another city ask the authoring city; its leads and the author are told."""
    require(actor, "practice.ask")
    c = Checker()
    city = _require_other_city_on_published(actor, practice, "question")
    text = c.text("question", text if isinstance(text, str) or text is None else "", label=_("Ihre Frage"),
                  max_len=MAX_QUESTION, min_len=10)
    c.done()
    q = PracticeQuestion(practice_id=practice.id, municipality_id=city.id, asked_by_id=actor.id, question=text)
    db.session.add(q)
    db.session.flush()
    audit.record(actor, "practice.question_asked", obj=q, summary=f"Frage zu {practice.title}")
    for person in _authoring_contacts(practice):
        queue_mail(person.email, "practices/question", subject=_("Neue Frage zu Ihrem Praxisbericht"),
                   locale=person.language, municipality_id=practice.municipality_id, person=person,
                   practice=practice, city=city, question=q, link=_practice_link(practice))
    return q


def get_question_or_404(user, question_id) -> PracticeQuestion:
    _id_or_404(question_id)
    q = db.session.get(PracticeQuestion, question_id)
    if q is None:
        abort(404)
    practice = get_practice_or_404(user, q.practice_id)
    if q not in questions(user, practice):
        abort(404)
    return q


def answer_question(actor, question: PracticeQuestion, text) -> PracticeQuestion:
    """The authoring city answers; the asker is told; the answer then shows as FAQ."""
    practice = question.practice
    require(actor, "practice.answer", practice)
    c = Checker()
    text = c.text("answer", text if isinstance(text, str) or text is None else "", label=_("eine Antwort"),
                  max_len=MAX_QUESTION, min_len=2)
    c.done()
    first = question.answered_at is None
    question.answer, question.answered_by_id, question.answered_at = text, actor.id, utcnow()
    audit.record(actor, "practice.question_answered", obj=practice, summary=f"Frage zu {practice.title} beantwortet")
    db.session.flush()
    asker = question.asked_by
    if asker is not None and asker.active:
        queue_mail(asker.email, "practices/answer",
                   subject=_("Antwort auf Ihre Frage") if first else _("Geänderte Antwort auf Ihre Frage"),
                   locale=asker.language, municipality_id=question.municipality_id, person=asker,
                   practice=practice, question=question, link=_practice_link(practice))
    return question


# --- search -------------------------------------------------------------------------------------

def _body_text(practice: Practice) -> str:
    parts = [practice.summary, practice.tags, practice.municipality.name if practice.municipality else "",
             practice.field.name if practice.field else ""]
    parts += [t.name for t in practice.topics]
    parts += [practice.section(k) for k in SECTIONS]
    return "\n".join(p for p in parts if p)


def reindex(practice: Practice) -> None:
    """Rewrite the practice's search row in the current transaction."""
    body = _body_text(practice)
    row = db.session.get(PracticeSearch, practice.id)
    if row is None:
        row = PracticeSearch(practice_id=practice.id)
        db.session.add(row)
    row.terms = textsearch.term_string(practice.title, body)
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            sa.text("UPDATE practice_search SET document = setweight(to_tsvector('german', :t), 'A') || "
                    "setweight(to_tsvector('german', :b), 'B') WHERE practice_id = :id"),
            {"t": textsearch.fold(practice.title), "b": textsearch.fold(body), "id": practice.id})


_fts = sa.table("practice_fts", sa.column("rowid"), sa.column("practice_fts"))


def _fts_match(clauses) -> str:
    # patterns hold only a-z, 0-9 and spaces (core.search), each quoted as one FTS5 string
    return " AND ".join('"' + c.pattern() + '"' for c in clauses)


@dataclass
class Filters:
    topic: str = ""
    field: str = ""
    city: str = ""
    year: int | None = None

    def args(self) -> dict:
        out = {"thema": self.topic, "handlungsfeld": self.field, "kommune": self.city, "jahr": self.year}
        return {k: v for k, v in out.items() if v}


@dataclass
class SearchHit:
    practice: Practice
    snippet: object  # Markup
    title: object = ""  # Markup: the title with the hits in <mark>


@dataclass
class SearchResult:
    query: str
    parsed: textsearch.ParsedQuery
    filters: Filters
    hits: list[SearchHit]
    total: int
    page: int
    pages: int
    facets: dict


def _year_expr():
    return sa.extract("year", sa.func.coalesce(Practice.published_at, Practice.created_at))


def _matching(user, parsed, filters: Filters, *, include_drafts: bool):
    """(select of matching practice ids with a rank column, dialect) – visibility first, then the query."""
    dialect = db.session.get_bind().dialect.name
    visible = visible_clause(user)
    if include_drafts:
        status_ok = sa.or_(Practice.status.in_(VISIBLE_STATUSES),
                           Practice.municipality_id == (getattr(user, "municipality_id", None) or -1))
    else:
        status_ok = Practice.status.in_(VISIBLE_STATUSES)
    rank = sa.literal(0.0)
    stmt = sa.select(Practice.id.label("id"), Practice.municipality_id.label("municipality_id"),
                     Practice.field_id.label("field_id"), _year_expr().label("year"),
                     sa.func.coalesce(Practice.published_at, Practice.created_at).label("sortkey")
                     ).where(visible, status_ok)
    if parsed.nothing:
        stmt = stmt.where(sa.false())
    if parsed.positive:
        if dialect == "sqlite":
            stmt = stmt.join(_fts, _fts.c.rowid == Practice.id).where(
                _fts.c.practice_fts.op("MATCH")(_fts_match(parsed.positive)))
            rank = sa.func.bm25(sa.literal_column("practice_fts"))
        else:
            stmt = stmt.join(PracticeSearch, PracticeSearch.practice_id == Practice.id)
            for c in parsed.positive:
                stmt = stmt.where(PracticeSearch.terms.like("%" + c.pattern() + "%"))
            rank = -sa.func.ts_rank_cd(PracticeSearch.document,
                                       sa.func.websearch_to_tsquery(sa.literal("german", sa.String).cast(
                                           sa.dialects.postgresql.REGCONFIG), parsed.websearch_text()))
    for c in parsed.negative:
        if dialect == "sqlite":
            excluded = sa.select(_fts.c.rowid).where(_fts.c.practice_fts.op("MATCH")('"' + c.pattern() + '"'))
        else:
            excluded = sa.select(PracticeSearch.practice_id).where(PracticeSearch.terms.like("%" + c.pattern() + "%"))
        stmt = stmt.where(Practice.id.not_in(excluded))
    if filters.topic:
        stmt = stmt.where(Practice.id.in_(
            sa.select(practice_topic.c.practice_id).join(Topic, Topic.id == practice_topic.c.topic_id)
            .where(Topic.slug == filters.topic)))
    if filters.field:
        stmt = stmt.where(Practice.field_id.in_(sa.select(FieldOfAction.id).where(FieldOfAction.slug == filters.field)))
    if filters.city:
        stmt = stmt.where(Practice.municipality_id.in_(
            sa.select(Municipality.id).where(Municipality.slug == filters.city)))
    if filters.year and 1900 <= filters.year <= 2999:
        stmt = stmt.where(_year_expr() == filters.year)
    return stmt.add_columns(rank.label("rank"))


def _plain(markdown_text: str) -> str:
    return re.sub(r"[*_`#>\[\]|]+", " ", markdown_text or "")


def _marked(window: str, ranges) -> object:
    """Escape first, then wrap the hit ranges in <mark>."""
    from markupsafe import Markup, escape
    out, pos = [], 0
    for a, b in ranges:
        out.append(str(escape(window[pos:a])))
        out.append("<mark>" + str(escape(window[a:b])) + "</mark>")
        pos = b
    out.append(str(escape(window[pos:])))
    return Markup("".join(out))


def marked_title(practice: Practice, parsed) -> object:
    from markupsafe import escape
    found = textsearch.highlight(practice.title, parsed, width=10_000) if not parsed.empty else None
    return _marked(*found) if found else escape(practice.title)


def snippet(practice: Practice, parsed) -> object:
    """An escaped excerpt with the hits in <mark> (summary first, then the sections)."""
    from markupsafe import Markup, escape
    texts = [practice.summary] + [practice.section(k) for k in SECTIONS]
    if not parsed.empty:
        for text in texts:
            found = textsearch.highlight(_plain(text), parsed)
            if found:
                return _marked(*found)
    text = _plain(practice.summary or next((t for t in texts if t), ""))
    short = text[:280] + ("…" if len(text) > 280 else "")
    return Markup(escape(short))


def search(user, q: str | None = "", filters: Filters | None = None, *, page: int = 1, per_page: int | None = None,
           include_drafts: bool = False) -> SearchResult:
    """Full-text search over the practices the user may see, with facets that count only those.

    Two statements whatever the size: the count and the four facets share one materialized evaluation of
    the match (a CTE), the result page is the second.
    """
    filters = filters or Filters()
    per_page = per_page or current_app.config.get("PRACTICES_PER_PAGE", 20)
    parsed = textsearch.parse_query(q)
    matching = _matching(user, parsed, filters, include_drafts=include_drafts)
    total, facets = _count_and_facets(matching)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    m = matching.subquery()
    order = ([m.c.rank] if parsed.positive else []) + [m.c.sortkey.desc(), m.c.id.desc()]
    ids = db.session.execute(sa.select(m.c.id).order_by(*order).limit(per_page).offset((page - 1) * per_page)
                             ).scalars().all()
    by_id = {p.id: p for p in db.session.execute(
        sa.select(Practice).where(Practice.id.in_(ids)).options(selectinload(Practice.topics))).scalars()} \
        if ids else {}
    rows = [by_id[i] for i in ids if i in by_id]
    hits = [SearchHit(p, snippet(p, parsed), marked_title(p, parsed)) for p in rows]
    return SearchResult(query=q or "", parsed=parsed, filters=filters, hits=hits, total=total, page=page,
                        pages=pages, facets=facets)


def _count_and_facets(matching) -> tuple[int, dict]:
    """One statement: the number of matches and the counts per topic, field of action, city and year."""
    m = matching.cte("m").prefix_with("MATERIALIZED")
    text = sa.String()

    def lit(value):
        return sa.literal(value, text)

    count = sa.func.count()
    parts = [
        sa.select(lit("total"), lit(""), lit(""), count).select_from(m),
        sa.select(lit("topic"), Topic.slug, Topic.name, count).select_from(
            m.join(practice_topic, practice_topic.c.practice_id == m.c.id).join(
                Topic, Topic.id == practice_topic.c.topic_id)).group_by(Topic.slug, Topic.name),
        sa.select(lit("field"), FieldOfAction.slug, FieldOfAction.name, count).select_from(
            m.join(FieldOfAction, FieldOfAction.id == m.c.field_id)).group_by(FieldOfAction.slug, FieldOfAction.name),
        sa.select(lit("city"), Municipality.slug, Municipality.name, count).select_from(
            m.join(Municipality, Municipality.id == m.c.municipality_id)).group_by(Municipality.slug, Municipality.name),
        sa.select(lit("year"), sa.cast(m.c.year, text), sa.cast(m.c.year, text), count).select_from(m)
        .group_by(m.c.year),
    ]
    total, facets = 0, {"topic": [], "field": [], "city": [], "year": []}
    for kind, key, name, n in db.session.execute(sa.union_all(*parts)).all():
        if kind == "total":
            total = n
        elif key is not None:
            facets[kind].append((key, name, n))
    for kind in ("topic", "field", "city"):
        facets[kind].sort(key=lambda row: (-row[2], row[1]))
    facets["year"] = sorted(((int(float(k)), str(int(float(k))), n) for k, _n, n in facets["year"]),
                            key=lambda row: -row[0])
    return total, facets


# --- lists for pages, panels and feeds ------------------------------------------------------------

def own_drafts(user, limit: int = 50) -> list[Practice]:
    city_id = getattr(user, "municipality_id", None)
    if city_id is None or not can(user, "practice.write"):
        return []
    return db.session.execute(
        sa.select(Practice).where(Practice.municipality_id == city_id, Practice.status == "draft")
        .options(selectinload(Practice.topics)).order_by(Practice.updated_at.desc()).limit(limit)).scalars().all()


def recent_public(limit: int = 50) -> list[Practice]:
    """Newest public practices (Atom feed)."""
    return db.session.execute(
        sa.select(Practice).where(Practice.status == "published", Practice.visibility == "public")
        .order_by(Practice.published_at.desc(), Practice.id.desc()).limit(limit)).scalars().all()


def practices_on_topic(user, topic, limit: int = 10) -> list[Practice]:
    return db.session.execute(
        sa.select(Practice).where(visible_clause(user), Practice.status.in_(VISIBLE_STATUSES),
                                  Practice.topics.any(Topic.id == topic.id))
        .order_by(Practice.published_at.desc()).limit(limit)).scalars().all()


def practices_of_city(user, city, limit: int = 10) -> list[Practice]:
    return db.session.execute(
        sa.select(Practice).where(visible_clause(user), Practice.status.in_(VISIBLE_STATUSES),
                                  Practice.municipality_id == city.id)
        .order_by(Practice.published_at.desc()).limit(limit)).scalars().all()


def open_questions_for_city(user, limit: int = 20) -> list[PracticeQuestion]:
    city_id = getattr(user, "municipality_id", None)
    if city_id is None or not can(user, "practice.answer"):
        return []
    return db.session.execute(
        sa.select(PracticeQuestion).join(Practice, Practice.id == PracticeQuestion.practice_id)
        .where(Practice.municipality_id == city_id, PracticeQuestion.answered_at.is_(None))
        .options(selectinload(PracticeQuestion.practice))
        .order_by(PracticeQuestion.created_at).limit(limit)).scalars().all()


def rendered_sections(practice: Practice) -> list[tuple[str, str, object]]:
    return [(key, str(label), render_markdown(practice.section(key))) for key, label in SECTIONS.items()
            if practice.section(key)]


# --- following (used by the interest domain) ---------------------------------------------------

def follow_practice(user, practice_id):
    """(title, url) of a practice the user may see, for following; else None."""
    p = db.session.execute(sa.select(Practice).where(Practice.id == practice_id, visible_clause(user))
                           ).scalar_one_or_none()
    if p is None:
        return None
    return p.title, url_for("practices.detail", practice_id=p.id)
