"""Project (Vorhaben), StatusReport (Sachstandsbericht) with immutable ReportEntry rows, ImportUpload."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import ChoiceLabel, CityOwned, ExampleFlag, TimestampMixin, UTCDateTime, Versioned, utcnow
from network.extensions import db

#: status -> German label; "traffic light": idea red, in progress yellow, done green
STATUSES = {
    "idea": _l("Idee"),
    "in_progress": _l("in Umsetzung"),
    "done": _l("umgesetzt"),
    "paused": _l("pausiert"),
    "dropped": _l("verworfen"),
}
#: the shape shown beside every status (never colour alone)
STATUS_SHAPES = {"idea": "○", "in_progress": "◐", "done": "●", "paused": "‖", "dropped": "✕"}

PRIORITIES = {"high": _l("hoch"), "medium": _l("mittel"), "low": _l("niedrig")}
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}

VISIBILITY_LABELS = {
    "city": _l("nur eigene Kommune"),
    "network": _l("Netzwerk"),
    "public": _l("öffentlich"),
}

_STATUS_CHECK = "status in ('idea','in_progress','done','paused','dropped')"
_PRIORITY_CHECK = "priority in ('high','medium','low')"
_VISIBILITY_CHECK = "visibility in ('city','network','public')"


class _ProjectFields:
    """The fields a report snapshot copies from a project."""

    #: short name of the project
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Markdown, rendered sanitised
    summary: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: one of STATUSES
    status: Mapped[str] = mapped_column(sa.String(12), nullable=False, default="idea")
    #: one of PRIORITIES
    priority: Mapped[str] = mapped_column(sa.String(6), nullable=False, default="medium")
    #: planned start and end, month precision (stored as the first day of the month)
    start_month: Mapped[date | None] = mapped_column(sa.Date)
    end_month: Mapped[date | None] = mapped_column(sa.Date)
    #: responsible department (Amt)
    department: Mapped[str] = mapped_column(sa.String(160), nullable=False, default="")
    #: contact person (free text: name, phone or address as the city wants it shown)
    contact: Mapped[str] = mapped_column(sa.String(160), nullable=False, default="")
    #: budget estimate in whole euros
    budget_eur: Mapped[int | None] = mapped_column(sa.BigInteger)
    #: funding source (Förderprogramm, Haushalt ...); empty: none yet
    funding_source: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    #: one of VISIBILITY_LABELS
    visibility: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="city")
    #: Leuchtturmprojekt
    is_lighthouse: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)

    status_label = ChoiceLabel("status", STATUSES)

    @property
    def status_shape(self) -> str:
        return STATUS_SHAPES.get(self.status, "?")

    priority_label = ChoiceLabel("priority", PRIORITIES)

    visibility_label = ChoiceLabel("visibility", VISIBILITY_LABELS)

    def quarters(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """(start (year, quarter), end (year, quarter)) or None without dates."""
        start, end = self.start_month, self.end_month
        if start is None and end is None:
            return None
        start = start or end
        end = end or start
        return (start.year, (start.month - 1) // 3 + 1), (end.year, (end.month - 1) // 3 + 1)


class Project(_ProjectFields, CityOwned, TimestampMixin, ExampleFlag, Versioned, db.Model):
    """Vorhaben: one digital project of a city's inventory."""

    __tablename__ = "project"
    __table_args__ = (
        sa.CheckConstraint(_STATUS_CHECK, name="status"),
        sa.CheckConstraint(_PRIORITY_CHECK, name="priority"),
        sa.CheckConstraint(_VISIBILITY_CHECK, name="visibility"),
        sa.Index("ix_project_city_status", "municipality_id", "status"),
        # report entries refer to project ids: SQLite must never hand out a deleted project's id again
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(sa.ForeignKey("field_of_action.id"), index=True, nullable=False)
    topic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic.id", ondelete="SET NULL"), index=True)
    #: one of the city's own fields of action (its Digitalstrategie); the network's comparison keeps field_id
    city_field_id: Mapped[int | None] = mapped_column(sa.ForeignKey("city_field.id", ondelete="SET NULL"),
                                                      index=True)
    #: a staff member's draft: visible to the own city only until a lead releases it
    is_draft: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    field = db.relationship("FieldOfAction", lazy="joined")
    topic = db.relationship("Topic", lazy="joined")
    city_field = db.relationship("CityField", lazy="joined")
    municipality = db.relationship("Municipality", lazy="joined")
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    updated_by = db.relationship("User", foreign_keys=[updated_by_id])

    # the same names as a ReportEntry, so that live projects and snapshots compare alike
    @property
    def project_id(self) -> int:
        return self.id

    @property
    def field_name(self) -> str:
        return self.field.name

    @property
    def field_position(self) -> int:
        return self.field.position

    @property
    def topic_name(self) -> str:
        return self.topic.name if self.topic else ""

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.title!r}>"


class CityField(CityOwned, ExampleFlag, db.Model):
    """A city's own field of action (Handlungsfeld of its Digitalstrategie, e.g. Erkelenz' nine); a project may
    carry one beside the network's field. A city without its own list groups by the network's fields."""

    __tablename__ = "city_field"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name", name="uq_city_field_city_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the field's name, e.g. "Digitale Bürgerdienste"
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    #: a short description (plain text)
    description: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    #: order on the strategy page and in the grouped inventory
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)

    def __repr__(self) -> str:
        return f"<CityField {self.id} {self.name!r}>"


class StatusReport(CityOwned, ExampleFlag, db.Model):
    """Sachstandsbericht: the inventory frozen at one moment. Never changes after it is published."""

    __tablename__ = "status_report"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "year", name="uq_status_report_city_year"),
        sa.CheckConstraint(_VISIBILITY_CHECK, name="visibility"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    #: "Sachstandsbericht <year>"
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: a foreword (Markdown)
    note: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: who may read it: the own city, the network, or the public
    visibility: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="network")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)

    municipality = db.relationship("Municipality", lazy="joined")
    created_by = db.relationship("User", foreign_keys=[created_by_id])

    visibility_label = ChoiceLabel("visibility", VISIBILITY_LABELS)


class ReportEntry(_ProjectFields, db.Model):
    """One project as it was when its report was frozen (a copy of every field, never updated)."""

    __tablename__ = "report_entry"
    __table_args__ = (
        sa.UniqueConstraint("report_id", "project_id", name="uq_report_entry_report_project"),
        sa.CheckConstraint(_STATUS_CHECK, name="status"),
        sa.CheckConstraint(_PRIORITY_CHECK, name="priority"),
        sa.CheckConstraint(_VISIBILITY_CHECK, name="visibility"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("status_report.id"), index=True, nullable=False)
    #: the project's id (no foreign key: the project may be deleted later, the report keeps it)
    project_id: Mapped[int] = mapped_column(sa.Integer, nullable=False, index=True)
    #: field of action and topic as they were named then
    field_id: Mapped[int | None] = mapped_column(sa.Integer)
    field_name: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    field_position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    topic_id: Mapped[int | None] = mapped_column(sa.Integer)
    topic_name: Mapped[str] = mapped_column(sa.String(160), nullable=False, default="")


class ImportUpload(CityOwned, db.Model):
    """An uploaded CSV kept on the server between upload, mapping and import (removed after a day)."""

    __tablename__ = "project_import"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: random URL token (the id alone would be guessable)
    token: Mapped[str] = mapped_column(sa.String(43), unique=True, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    #: the decoded text of the file
    content: Mapped[str] = mapped_column(sa.Text, nullable=False)
    #: detected encoding and delimiter
    encoding: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    delimiter: Mapped[str] = mapped_column(sa.String(1), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)


@sa.event.listens_for(StatusReport, "before_update")
@sa.event.listens_for(ReportEntry, "before_update")
def _refuse_update(mapper, connection, target):
    raise ImmutableReport(f"{target.__class__.__name__} {target.id} is published and cannot change")


@sa.event.listens_for(StatusReport, "before_delete")
@sa.event.listens_for(ReportEntry, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise ImmutableReport(f"{target.__class__.__name__} {target.id} is published and cannot be deleted")


class ImmutableReport(RuntimeError):
    """A published report (or one of its entries) was about to change."""
