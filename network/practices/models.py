"""Practice (Praxisbericht) with revisions, attachments, reuse marks, questions and its search row."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import (ChoiceLabel, CityOwned, CreatedAt, ExampleFlag, StoredFile, TimestampMixin,
                                 UTCDateTime, Versioned, parent_fk)
from network.extensions import db

#: the structured sections, in the order of the form and the page
SECTIONS = {
    "situation": _l("Ausgangslage"),
    "solution": _l("Lösung"),
    "implementation": _l("Umsetzung und Zeitplan"),
    "costs": _l("Kosten und Aufwand"),
    "stakeholders": _l("Beteiligte"),
    "vendors": _l("Dienstleister und Produkte"),
    "pitfalls": _l("Stolpersteine"),
    "transferability": _l("Übertragbarkeit"),
    "contact": _l("Ansprechperson"),
}

STATUSES = {"draft": _l("Entwurf"), "published": _l("veröffentlicht"), "archived": _l("archiviert")}
VISIBILITIES = {"network": _l("Netzwerk"), "public": _l("öffentlich")}
REUSE_STATUSES = {"interested": _l("interessiert"), "adopting": _l("in Übernahme"), "adopted": _l("übernommen")}

practice_topic = sa.Table(
    "practice_topic", db.metadata,
    sa.Column("practice_id", sa.ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Practice(CityOwned, TimestampMixin, ExampleFlag, Versioned, db.Model):
    """Praxisbericht: a city's structured write-up of what it did, for others to reuse."""

    __tablename__ = "practice"
    __table_args__ = (
        sa.CheckConstraint("status in ('draft','published','archived')", name="status"),
        sa.CheckConstraint("visibility in ('network','public')", name="visibility"),
        sa.Index("ix_practice_listing", "status", "visibility", "published_at"),
        # the lists' order, newest first (practices.services.fulltext): lets a page stop after its rows; the
        # columns the visibility clause and the facets read make it covering (no row read on SQLite)
        sa.Index("ix_practice_sortkey", sa.text("coalesce(published_at, created_at)"), "id", "status", "visibility",
                 "municipality_id", "field_id", "published_at", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    summary: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: section key (SECTIONS) -> Markdown text
    sections: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    #: one of STATUSES
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="draft")
    #: one of VISIBILITIES; applies once published
    visibility: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="network")
    field_id: Mapped[int | None] = mapped_column(sa.ForeignKey("field_of_action.id", ondelete="SET NULL"),
                                                 index=True)
    #: comma-separated free tags
    tags: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    #: optional project of the city's inventory; no foreign key so that practices work without that domain
    project_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: who started the write-up
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    municipality = db.relationship("Municipality", lazy="joined")
    field = db.relationship("FieldOfAction", lazy="joined")
    author = db.relationship("User", foreign_keys=[author_id])
    topics = db.relationship("Topic", secondary=practice_topic, lazy="selectin", order_by="Topic.name")

    status_label = ChoiceLabel("status", STATUSES)

    visibility_label = ChoiceLabel("visibility", VISIBILITIES)

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in (self.tags or "").split(",") if t.strip()]

    def section(self, key: str) -> str:
        return (self.sections or {}).get(key, "") or ""


class PracticeRevision(CreatedAt, db.Model):
    """One saved state of a practice: who, when, every text. Never updated."""

    __tablename__ = "practice_revision"
    __table_args__ = (sa.UniqueConstraint("practice_id", "number", name="uq_practice_revision_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), nullable=False)
    #: 1, 2, 3 … per practice
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    summary: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    sections: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    #: e.g. "Wiederhergestellt aus Version 2"
    note: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")

    author = db.relationship("User", lazy="joined")


class PracticeAttachment(StoredFile, CreatedAt, db.Model):
    """A file attached to a practice (stored by core.files under a generated name)."""

    __tablename__ = "practice_attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = parent_fk("practice.id")
    storage_name: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    original_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))


class PracticeReuse(CityOwned, TimestampMixin, db.Model):
    """Nachnutzung: another city's mark on a practice (interested, adopting, adopted)."""

    __tablename__ = "practice_reuse"
    __table_args__ = (
        sa.UniqueConstraint("practice_id", "municipality_id", name="uq_practice_reuse_city"),
        sa.CheckConstraint("status in ('interested','adopting','adopted')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = parent_fk("practice.id")
    #: one of REUSE_STATUSES
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    note: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: person-days the practice saved (optional)
    saved_days: Mapped[int | None] = mapped_column(sa.Integer)
    #: who set the mark last
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    municipality = db.relationship("Municipality", lazy="joined")

    status_label = ChoiceLabel("status", REUSE_STATUSES)


class PracticeQuestion(CityOwned, CreatedAt, db.Model):
    """Amtshilfe: a question of another city's staff (municipality_id = the asking city) and its answer."""

    __tablename__ = "practice_question"
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = parent_fk("practice.id")
    asked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    question: Mapped[str] = mapped_column(sa.Text, nullable=False)
    answer: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    practice = db.relationship("Practice")
    municipality = db.relationship("Municipality", lazy="joined")
    asked_by = db.relationship("User", foreign_keys=[asked_by_id], lazy="joined")
    answered_by = db.relationship("User", foreign_keys=[answered_by_id])


class PracticeSearch(db.Model):
    """The search row of a practice, rewritten in the same transaction as every change of it.

    SQLite: the external-content FTS5 table ``practice_fts`` (trigram tokenizer) mirrors ``terms`` via
    triggers. PostgreSQL: ``document`` is tsvector('german') with a GIN index (ranking) and ``terms`` has
    a pg_trgm GIN index (matching). Both indexes and the FTS table are created by DDL below and in the
    migration, not by autogenerate (see migrations/env.py include_object).
    """

    __tablename__ = "practice_search"
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True)
    #: " title terms | body terms " (core.search.term_string)
    terms: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: PostgreSQL only: weighted tsvector('german') of title (A) and body (B); NULL on SQLite
    document = mapped_column(sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True)


#: SQL run after practice_search is created (create_all and the migration share these)
SQLITE_SEARCH_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS practice_fts USING fts5(terms, content='practice_search', "
    "content_rowid='practice_id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS practice_search_ai AFTER INSERT ON practice_search BEGIN "
    "INSERT INTO practice_fts(rowid, terms) VALUES (new.practice_id, new.terms); END",
    "CREATE TRIGGER IF NOT EXISTS practice_search_ad AFTER DELETE ON practice_search BEGIN "
    "INSERT INTO practice_fts(practice_fts, rowid, terms) VALUES ('delete', old.practice_id, old.terms); END",
    "CREATE TRIGGER IF NOT EXISTS practice_search_au AFTER UPDATE ON practice_search BEGIN "
    "INSERT INTO practice_fts(practice_fts, rowid, terms) VALUES ('delete', old.practice_id, old.terms); "
    "INSERT INTO practice_fts(rowid, terms) VALUES (new.practice_id, new.terms); END",
]
SQLITE_SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS practice_search_au", "DROP TRIGGER IF EXISTS practice_search_ad",
    "DROP TRIGGER IF EXISTS practice_search_ai", "DROP TABLE IF EXISTS practice_fts",
]
POSTGRES_SEARCH_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_practice_search_terms_trgm ON practice_search USING gin (terms gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_practice_search_document ON practice_search USING gin (document)",
]
POSTGRES_SEARCH_DROP = [
    "DROP INDEX IF EXISTS ix_practice_search_document", "DROP INDEX IF EXISTS ix_practice_search_terms_trgm",
]
#: names autogenerate must not compare (made by the DDL above)
UNMANAGED_NAMES = frozenset({"practice_fts", "practice_fts_data", "practice_fts_idx", "practice_fts_docsize",
                             "practice_fts_config", "practice_fts_content", "ix_practice_search_terms_trgm",
                             "ix_practice_search_document"})


def _after_create(target, connection, **kw):
    if connection.dialect.name == "sqlite":
        for stmt in SQLITE_SEARCH_DDL:
            connection.exec_driver_sql(stmt)
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for stmt in POSTGRES_SEARCH_DDL:
            connection.exec_driver_sql(stmt)


def _before_drop(target, connection, **kw):
    if connection.dialect.name == "sqlite":
        for stmt in SQLITE_SEARCH_DROP:
            connection.exec_driver_sql(stmt)


sa.event.listen(PracticeSearch.__table__, "after_create", _after_create)
sa.event.listen(PracticeSearch.__table__, "before_drop", _before_drop)
