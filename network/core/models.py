"""Shared column types and mixins."""

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from network.extensions import db


def utcnow() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores UTC; always hands back aware datetimes (SQLite forgets the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use network.core.models.utcnow()")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class ChoiceLabel:
    """The translated label of a choice column, read like a property: ``status_label = ChoiceLabel("status", STATUSES)``.

    An unknown value shows as itself, so a row written by a newer version never breaks a page.
    """

    def __init__(self, column: str, labels: dict):
        self.column = column
        self.labels = labels

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = getattr(obj, self.column)
        return str(self.labels.get(value, value))


def parent_fk(target: str):
    """The row's parent: a non-null, indexed foreign key to ``target`` ("table.id"); deleted with it (CASCADE)."""
    return mapped_column(sa.ForeignKey(target, ondelete="CASCADE"), index=True, nullable=False)


class CreatedAt:
    #: when the row was created (UTC)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class UpdatedAt:
    #: when the row was last changed (UTC)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class TimestampMixin(CreatedAt, UpdatedAt):
    """created_at and updated_at."""


class Versioned:
    """Optimistic locking: forms and the API send `version` back, a stale write answers 409 (check_version)."""

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class ExampleFlag:
    #: invented demo content, shown as "Beispieldaten"
    is_example: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)


class CityOwned:
    """Rows that belong to one municipality; read them through core.tenancy."""

    @declared_attr
    def municipality_id(cls) -> Mapped[int]:
        #: the owning municipality (tenant)
        return mapped_column(sa.ForeignKey("municipality.id"), index=True, nullable=False)


class NetworkOwned:
    """Rows that belong to one network (issue #16): deleted with it; names and slugs are unique per network."""

    @declared_attr
    def network_id(cls) -> Mapped[int]:
        #: the owning network
        return parent_fk("network.id")

    @staticmethod
    def unique_per_network(table: str, *columns: str) -> tuple:
        """One UniqueConstraint ``uq_<table>_network_<column>`` on (network_id, column) per column."""
        return tuple(sa.UniqueConstraint("network_id", column, name=f"uq_{table}_network_{column}")
                     for column in columns)


class UserOwned:
    """Rows of one user account (a vote, a follow, a preference): deleted with the account."""

    @declared_attr
    def user_id(cls) -> Mapped[int]:
        #: the account the row belongs to
        return parent_fk("user.id")


class StoredFile:
    """What core.files learnt of an upload: the type detected by content, its size and checksum."""

    #: detected by content
    content_type: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    size: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)


VISIBILITIES = ("city", "network", "public")

__all__ = ["db", "utcnow", "UTCDateTime", "ChoiceLabel", "CreatedAt", "UpdatedAt", "TimestampMixin", "Versioned",
           "ExampleFlag", "CityOwned", "NetworkOwned", "UserOwned", "StoredFile", "VISIBILITIES",
           "parent_fk"]


class AuditEvent(db.Model):
    """Who did what, when, in which city. Never updated."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: when it happened (UTC)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    #: the acting user; NULL for the system (scheduler, CLI)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    #: the city the event belongs to; NULL for network-wide events
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="SET NULL"), index=True
    )
    #: the network the event happened in (pages under /n/<network>/, a network's own records); NULL for a city's
    #: own content and the installation (issue #16: a coordinator reads the events of their network only)
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("network.id", ondelete="SET NULL"), index=True)
    #: dotted verb, e.g. "user.invited"
    action: Mapped[str] = mapped_column(sa.String(80), nullable=False, index=True)
    #: type and id of the object acted on
    object_type: Mapped[str | None] = mapped_column(sa.String(60))
    object_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: short human-readable summary (German)
    summary: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    #: structured details
    details: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    #: request id of the web request, if any
    request_id: Mapped[str | None] = mapped_column(sa.String(32))

    actor = db.relationship("User", foreign_keys=[actor_id], lazy="joined")
    municipality = db.relationship("Municipality", foreign_keys=[municipality_id], lazy="joined")


class OutboxMessage(db.Model):
    """An email written in the same transaction as its cause, delivered by the scheduler."""

    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: optional idempotency key: the same key is queued at most once
    key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: the recipient's address
    recipient: Mapped[str] = mapped_column(sa.String(320), nullable=False, index=True)
    #: the city the message concerns (for audits and tenant checks)
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    body_text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    #: pending -> sending -> sent | failed
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="pending", index=True)
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    #: not before this moment (backoff)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    #: when a worker claimed it (a stale claim is retried)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(1000))
    #: files sent along: [{"filename", "content" (text), "mimetype"}] (e.g. a meeting's .ics invitation)
    attachments: Mapped[list | None] = mapped_column(sa.JSON)
