"""InterestRegistration (public, double opt-in), Follow, NotificationPreference, DigestLedger."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import ChoiceLabel, CreatedAt, TimestampMixin, UserOwned, UTCDateTime, utcnow
from network.extensions import db

#: who registers (Bürgerin/Bürger, Unternehmen, Verein, Wissenschaft, Sonstige)
REGISTRANT_KINDS = {
    "citizen": _l("Bürgerin/Bürger"),
    "company": _l("Unternehmen"),
    "association": _l("Verein"),
    "science": _l("Wissenschaft"),
    "other": _l("Sonstige"),
}

#: what a member can follow
TARGET_TYPES = {
    "topic": _l("Thema"),
    "municipality": _l("Kommune"),
    "practice": _l("Praxisbericht"),
    "body": _l("Gremium"),
}

#: kinds of events a follower hears about (the typed signals of interest/setup.py follower_events), by preference key
EVENT_KINDS = {
    "practice.published": _l("Neuer Praxisbericht"),
    "topic.lead_changed": _l("Neue Federführung eines Themas"),
    "meeting.scheduled": _l("Treffen angesetzt"),
    "minutes.published": _l("Protokoll veröffentlicht"),
    "funding.call_published": _l("Neuer Förderaufruf"),
    "report.published": _l("Neuer Sachstandsbericht"),
}

#: which followed things an event kind concerns (for the weekly digest's `follows`)
KIND_TARGETS = {
    "practice.published": ("topic", "municipality", "practice"),
    "topic.lead_changed": ("topic",),
    "meeting.scheduled": ("body", "topic", "municipality"),
    "minutes.published": ("body", "topic"),
    "funding.call_published": ("topic",),
    "report.published": ("municipality",),
}

MODES = {
    "immediately": _l("sofort per E-Mail"),
    "weekly": _l("in der wöchentlichen Zusammenfassung"),
    "off": _l("aus"),
}

#: without a stored preference an event kind goes into the weekly digest
DEFAULT_MODE = "weekly"
#: the pseudo-kind that switches the whole weekly digest on ("weekly") or off ("off")
DIGEST_KIND = "digest"

_ONE_PER_CITY = "municipality_id IS NOT NULL"
_ONE_NETWORK = "municipality_id IS NULL"


registration_topic = sa.Table(
    "interest_registration_topic", db.metadata,
    sa.Column("registration_id", sa.ForeignKey("interest_registration.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class InterestRegistration(TimestampMixin, db.Model):
    """Interessensbekundung: a person or organisation offers to work on topics with a city (or the network).

    Seen only by the addressed city's leads and the coordination, and only once the address is confirmed.
    """

    __tablename__ = "interest_registration"
    __table_args__ = (
        sa.CheckConstraint("kind in ('citizen','company','association','science','other')", name="kind"),
        # one registration per address and city, and one per address for the whole network
        sa.Index("uq_interest_registration_city_email", "municipality_id", "email", unique=True,
                 sqlite_where=sa.text(_ONE_PER_CITY), postgresql_where=sa.text(_ONE_PER_CITY)),
        sa.Index("uq_interest_registration_network_email", "email", unique=True,
                 sqlite_where=sa.text(_ONE_NETWORK), postgresql_where=sa.text(_ONE_NETWORK)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the addressed city; NULL = the whole network (then only the coordination sees it)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id", ondelete="CASCADE"),
                                                        index=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    #: stored lowercased (normalised by the validator)
    email: Mapped[str] = mapped_column(sa.String(320), nullable=False, index=True)
    #: one of REGISTRANT_KINDS
    kind: Mapped[str] = mapped_column(sa.String(15), nullable=False, default="citizen")
    organisation: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    message: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: the language of the emails to the registrant
    language: Mapped[str] = mapped_column(sa.String(5), nullable=False, default="de")
    #: when the registrant accepted the privacy text (every submission asks again)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: sha256 of the emailed double opt-in token; NULL once used
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: first confirmation; NULL = never confirmed (deleted when the link expires)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: a new submission for a confirmed registration, applied when its link is confirmed
    pending_data: Mapped[dict | None] = mapped_column(sa.JSON)
    #: random part of the withdraw link (signed), valid as long as the row exists
    withdraw_nonce: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contacted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)

    municipality = db.relationship("Municipality", lazy="joined")
    topics = db.relationship("Topic", secondary=registration_topic, lazy="selectin", order_by="Topic.name")
    contacted_by = db.relationship("User", lazy="joined")

    kind_label = ChoiceLabel("kind", REGISTRANT_KINDS)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Follow(UserOwned, CreatedAt, db.Model):
    """A member follows a topic, city, practice or body (no FK: practices and bodies live in other domains)."""

    __tablename__ = "follow"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "target_type", "target_id", name="uq_follow_user_target"),
        sa.CheckConstraint("target_type in ('topic','municipality','practice','body')", name="target_type"),
        sa.Index("ix_follow_target", "target_type", "target_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: one of TARGET_TYPES
    target_type: Mapped[str] = mapped_column(sa.String(15), nullable=False)
    target_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)


class NotificationPreference(UserOwned, db.Model):
    """How a member hears about one kind of event; no row means DEFAULT_MODE."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", name="uq_notification_preference_user_kind"),
        sa.CheckConstraint("mode in ('immediately','weekly','off')", name="mode"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: one of EVENT_KINDS, or DIGEST_KIND for the weekly email as a whole
    kind: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    #: one of MODES
    mode: Mapped[str] = mapped_column(sa.String(12), nullable=False, default=DEFAULT_MODE)


class DigestLedger(UserOwned, CreatedAt, db.Model):
    """One row per member and ISO week: written in the same transaction as the digest mail (exactly once)."""

    __tablename__ = "digest_ledger"
    __table_args__ = (sa.UniqueConstraint("user_id", "week", name="uq_digest_ledger_user_week"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: ISO week, e.g. "2026-W47"
    week: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    #: the period the digest covered
    since: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    until: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: number of items; 0 = nothing to tell, no mail sent
    items: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
