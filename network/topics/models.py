"""FieldOfAction, Topic, LeadClaim (+ LeadEvent history) and Participation."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import (ChoiceLabel, CityOwned, CreatedAt, ExampleFlag, NetworkOwned, TimestampMixin,
                                 UTCDateTime, Versioned, parent_fk)
from network.extensions import db

TOPIC_STATUSES = {
    "active": _l("aktiv"),
    "proposed": _l("vorgeschlagen"),
    "declined": _l("abgelehnt"),
}

#: lead = Federführung, colead = Co-Federführung, handover = offer to take over the lead
CLAIM_KINDS = {
    "lead": _l("Federführung"),
    "colead": _l("Co-Federführung"),
    "handover": _l("Übergabe der Federführung"),
}

CLAIM_STATUSES = {
    "pending": _l("offen"),
    "confirmed": _l("bestätigt"),
    "declined": _l("abgelehnt"),
    "withdrawn": _l("zurückgezogen"),
    "ended": _l("beendet"),
}

#: claims that still count (a pending or confirmed claim blocks another one)
OPEN_STATUSES = ("pending", "confirmed")

PARTICIPATION_STATUSES = {
    "interested": _l("interessiert"),
    "participating": _l("nimmt teil"),
}

#: history actions -> German label
EVENT_LABELS = {
    "claimed": _l("Federführung beantragt"),
    "colead_requested": _l("Co-Federführung beantragt"),
    "confirmed": _l("Federführung bestätigt"),
    "colead_confirmed": _l("Co-Federführung bestätigt"),
    "declined": _l("Antrag abgelehnt"),
    "withdrawn": _l("Federführung abgegeben"),
    "colead_withdrawn": _l("Co-Federführung beendet"),
    "request_withdrawn": _l("Antrag zurückgezogen"),
    "handover_offered": _l("Übergabe angeboten"),
    "handover_accepted": _l("Übergabe angenommen"),
    "handover_declined": _l("Übergabe abgelehnt"),
    "handover_cancelled": _l("Übergabeangebot erledigt"),
    "lost_on_leave": _l("Federführung durch Austritt beendet"),
}

#: the partial indexes below count these rows; the same predicate on SQLite and PostgreSQL
_ONE_LEAD = "kind = 'lead' AND status IN ('pending', 'confirmed')"
_ONE_PER_CITY = "kind IN ('lead', 'colead') AND status IN ('pending', 'confirmed')"
_ONE_HANDOVER = "kind = 'handover' AND status = 'pending'"


class FieldOfAction(NetworkOwned, TimestampMixin, db.Model):
    """Handlungsfeld: a configurable grouping of topics; each network keeps its own list."""

    __tablename__ = "field_of_action"
    __table_args__ = NetworkOwned.unique_per_network("field_of_action", "slug", "name")
    id: Mapped[int] = mapped_column(primary_key=True)
    #: URL name, lowercase ASCII
    slug: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: order on pages and in the matrix
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)

    #: lazy "select": the request's Network row is already in the session, so this costs no query there
    network = db.relationship("Network")

    def __repr__(self) -> str:
        return f"<FieldOfAction {self.slug}>"


class Topic(NetworkOwned, TimestampMixin, ExampleFlag, Versioned, db.Model):
    """Thema / Projektgruppe: owned by the network (its lead claims, participants and matrix belong to that
    network); a city leads it through a LeadClaim."""

    __tablename__ = "topic"
    __table_args__ = (
        sa.CheckConstraint("status in ('active','proposed','declined')", name="status"),
        *NetworkOwned.unique_per_network("topic", "slug", "name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(160), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    field_id: Mapped[int] = mapped_column(sa.ForeignKey("field_of_action.id"), index=True, nullable=False)
    #: one of TOPIC_STATUSES; proposals by city leads start as "proposed"
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="active", index=True)
    #: the city and person that proposed it (NULL when the coordination created it)
    proposed_by_municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="SET NULL"), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: why it was proposed, and the coordinator's reason when deciding
    proposal_reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    decision_reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    field = db.relationship("FieldOfAction", lazy="joined")
    #: lazy "select": the request's Network row is already in the session, so this costs no query there
    network = db.relationship("Network")
    proposed_by_municipality = db.relationship("Municipality", foreign_keys=[proposed_by_municipality_id])
    proposed_by = db.relationship("User", foreign_keys=[proposed_by_id])

    status_label = ChoiceLabel("status", TOPIC_STATUSES)

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"


class LeadClaim(CityOwned, CreatedAt, db.Model):
    """A city's (co-)lead on a topic, from request to end; also a pending handover offer to a city."""

    __tablename__ = "lead_claim"
    __table_args__ = (
        sa.CheckConstraint("kind in ('lead','colead','handover')", name="kind"),
        sa.CheckConstraint("status in ('pending','confirmed','declined','withdrawn','ended')", name="status"),
        # at most one pending-or-confirmed lead per topic: the race between two cities ends here
        sa.Index("uq_lead_claim_one_lead", "topic_id", unique=True,
                 sqlite_where=sa.text(_ONE_LEAD), postgresql_where=sa.text(_ONE_LEAD)),
        sa.Index("uq_lead_claim_one_per_city", "topic_id", "municipality_id", unique=True,
                 sqlite_where=sa.text(_ONE_PER_CITY), postgresql_where=sa.text(_ONE_PER_CITY)),
        sa.Index("uq_lead_claim_one_handover", "topic_id", unique=True,
                 sqlite_where=sa.text(_ONE_HANDOVER), postgresql_where=sa.text(_ONE_HANDOVER)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = parent_fk("topic.id")
    #: one of CLAIM_KINDS; for a handover, municipality_id is the city asked to take over
    kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    #: one of CLAIM_STATUSES
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="pending")
    #: for a handover: the city that offers it
    from_municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id", ondelete="SET NULL"))
    #: who asked (and is the contact person of the city for this topic)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: the requester's note
    note: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the reason given when declining, withdrawing or ending
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    topic = db.relationship("Topic")
    municipality = db.relationship("Municipality", foreign_keys="LeadClaim.municipality_id", lazy="joined")
    from_municipality = db.relationship("Municipality", foreign_keys=[from_municipality_id])
    requested_by = db.relationship("User", foreign_keys=[requested_by_id])
    decided_by = db.relationship("User", foreign_keys=[decided_by_id])

    kind_label = ChoiceLabel("kind", CLAIM_KINDS)

    status_label = ChoiceLabel("status", CLAIM_STATUSES)


class LeadEvent(CreatedAt, db.Model):
    """History of a topic's lead: who did what, when and why. Never updated."""

    __tablename__ = "lead_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = parent_fk("topic.id")
    #: the claim the step belongs to
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lead_claim.id", ondelete="SET NULL"))
    #: the city concerned
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id", ondelete="SET NULL"))
    #: one of EVENT_LABELS
    action: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    #: NULL for the system (demo data, a city leaving)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    municipality = db.relationship("Municipality", lazy="joined")
    actor = db.relationship("User", lazy="joined")

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


class Participation(CityOwned, TimestampMixin, db.Model):
    """A city in a topic's project group (interested or participating) with its contact person."""

    __tablename__ = "participation"
    __table_args__ = (
        sa.UniqueConstraint("topic_id", "municipality_id", name="uq_participation_topic_city"),
        sa.CheckConstraint("status in ('interested','participating')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = parent_fk("topic.id")
    #: one of PARTICIPATION_STATUSES
    status: Mapped[str] = mapped_column(sa.String(15), nullable=False, default="interested")
    #: the city's contact person for this topic (an account of that city)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    topic = db.relationship("Topic")
    municipality = db.relationship("Municipality", lazy="joined")
    contact = db.relationship("User", lazy="joined")

    status_label = ChoiceLabel("status", PARTICIPATION_STATUSES)
