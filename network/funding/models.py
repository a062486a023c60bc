"""FundingCall (Förderaufruf) with deadlines, interest marks, joint applications (Verbundantrag) with partners,
checklist, notes, timeline, and the reminder ledger."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from network.core.models import (ChoiceLabel, CityOwned, CreatedAt, ExampleFlag, StoredFile, TimestampMixin,
                                 UTCDateTime, Versioned, parent_fk, utcnow)
from network.extensions import db

BERLIN = ZoneInfo("Europe/Berlin")

FUNDERS = {
    "eu": _l("EU"),
    "bund": _l("Bund"),
    "land": _l("Land"),
    "stiftung": _l("Stiftung"),
    "other": _l("Sonstige"),
}

CALL_STATUSES = {
    "announced": _l("angekündigt"),
    "open": _l("offen"),
    "closed": _l("geschlossen"),
}

APPLICATION_STATUSES = {
    "idea": _l("Idee"),
    "preparing": _l("in Vorbereitung"),
    "submitted": _l("eingereicht"),
    "granted": _l("bewilligt"),
    "rejected": _l("abgelehnt"),
    "withdrawn": _l("zurückgezogen"),
}

MEMBER_ROLES = {"lead": _l("Antragstellerin (federführend)"), "partner": _l("Partnerkommune")}

MEMBER_STATUSES = {
    "invited": _l("eingeladen"),
    "accepted": _l("dabei"),
    "declined": _l("abgelehnt"),
}

#: timeline actions -> German label
EVENT_LABELS = {
    "created": _l("Antrag angelegt"),
    "status": _l("Status geändert"),
    "amounts": _l("Beträge geändert"),
    "invited": _l("Partnerkommune eingeladen"),
    "accepted": _l("Einladung angenommen"),
    "declined": _l("Einladung abgelehnt"),
    "share": _l("Eigenanteil geändert"),
    "item_added": _l("Checklistenpunkt angelegt"),
    "item_done": _l("Checklistenpunkt erledigt"),
    "item_reopened": _l("Checklistenpunkt wieder offen"),
    "note": _l("Notiz hinzugefügt"),
    "document": _l("Dokument hochgeladen"),
    "document_deleted": _l("Dokument gelöscht"),
}

#: a call not checked for this many days is flagged as possibly stale
STALE_AFTER_DAYS = 90

call_field = sa.Table(
    "funding_call_field", db.metadata,
    sa.Column("call_id", sa.ForeignKey("funding_call.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("field_id", sa.ForeignKey("field_of_action.id", ondelete="CASCADE"), primary_key=True, index=True),
)

call_topic = sa.Table(
    "funding_call_topic", db.metadata,
    sa.Column("call_id", sa.ForeignKey("funding_call.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def berlin_today(now: datetime | None = None) -> date:
    """The calendar day in Europe/Berlin at `now` (default: this moment)."""
    return (now or utcnow()).astimezone(BERLIN).date()


def deadline_end(due_on: date) -> datetime:
    """A deadline date means: until 23:59:59 Berlin time that day; the first moment after it (UTC)."""
    return datetime.combine(due_on + timedelta(days=1), datetime.min.time(), tzinfo=BERLIN).astimezone(
        ZoneInfo("UTC"))


class FundingCall(TimestampMixin, ExampleFlag, Versioned, db.Model):
    """Förderaufruf: owned by the network; recorded by a coordinator or a city lead."""

    __tablename__ = "funding_call"
    __table_args__ = (
        sa.CheckConstraint("funder in ('eu','bund','land','stiftung','other')", name="funder"),
        sa.CheckConstraint("rate IS NULL OR (rate >= 0 AND rate <= 100)", name="rate"),
        sa.CheckConstraint("min_amount IS NULL OR min_amount >= 0", name="min_amount"),
        sa.CheckConstraint("max_amount IS NULL OR max_amount >= 0", name="max_amount"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the programme's name
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: one of FUNDERS
    funder: Mapped[str] = mapped_column(sa.String(10), nullable=False, index=True)
    #: name of the funding body, e.g. "Ministerium des Inneren, für Digitalisierung und Kommunen"
    funder_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    url: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    summary: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: who may apply
    eligibility: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: inter-municipal (joint) applications allowed
    joint_allowed: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    #: funding rate in percent (0–100)
    rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    min_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    max_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    #: first day applications are possible (Berlin calendar day)
    opens_on: Mapped[date | None] = mapped_column(sa.Date)
    #: where the information comes from (database, newsletter ...)
    source: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    #: "zuletzt geprüft am"
    checked_on: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    deadlines = db.relationship("FundingDeadline", back_populates="call", order_by="FundingDeadline.due_on",
                                cascade="all, delete-orphan", lazy="selectin")
    fields = db.relationship("FieldOfAction", secondary=call_field, lazy="selectin", order_by="FieldOfAction.position")
    topics = db.relationship("Topic", secondary=call_topic, lazy="selectin", order_by="Topic.name")
    created_by = db.relationship("User", foreign_keys=[created_by_id])

    funder_label = ChoiceLabel("funder", FUNDERS)

    def status(self, now: datetime | None = None) -> str:
        """angekündigt before opens_on, geschlossen after the last deadline's day, else offen (Berlin days)."""
        today = berlin_today(now)
        if self.opens_on is not None and today < self.opens_on:
            return "announced"
        if self.deadlines and all(d.due_on < today for d in self.deadlines):
            return "closed"
        return "open"

    def status_label(self, now: datetime | None = None) -> str:
        return str(CALL_STATUSES[self.status(now)])

    def next_deadline(self, now: datetime | None = None):
        """The nearest deadline that has not passed (Berlin days), or None."""
        today = berlin_today(now)
        return next((d for d in self.deadlines if d.due_on >= today), None)

    def is_stale(self, now: datetime | None = None) -> bool:
        """Not checked for more than STALE_AFTER_DAYS days (or never)."""
        return self.checked_on is None or (berlin_today(now) - self.checked_on).days > STALE_AFTER_DAYS


class FundingDeadline(db.Model):
    """One deadline of a call (e.g. expression of interest, full application): until 23:59:59 Berlin time."""

    __tablename__ = "funding_deadline"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = parent_fk("funding_call.id")
    #: what is due, e.g. "Interessenbekundung", "Vollantrag"
    label: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    #: the last day (Berlin)
    due_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)

    call = db.relationship("FundingCall", back_populates="deadlines")

    def days_left(self, now: datetime | None = None) -> int:
        return (self.due_on - berlin_today(now)).days


class FundingInterest(CityOwned, CreatedAt, db.Model):
    """A city's mark "wir prüfen eine Bewerbung" on a call; visible to the whole network."""

    __tablename__ = "funding_interest"
    __table_args__ = (sa.UniqueConstraint("call_id", "municipality_id", name="uq_funding_interest_call_city"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = parent_fk("funding_call.id")
    #: who marked it (a lead of the city)
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")

    call = db.relationship("FundingCall")
    municipality = db.relationship("Municipality", lazy="joined")
    marked_by = db.relationship("User")


class Application(CityOwned, TimestampMixin, ExampleFlag, Versioned, db.Model):
    """Verbundantrag: municipality_id is the lead applicant city; partners are ApplicationMember rows."""

    __tablename__ = "funding_application"
    __table_args__ = (
        sa.CheckConstraint("status in ('idea','preparing','submitted','granted','rejected','withdrawn')",
                           name="status"),
        sa.CheckConstraint("requested_amount IS NULL OR requested_amount >= 0", name="requested_amount"),
        sa.CheckConstraint("granted_amount IS NULL OR granted_amount >= 0", name="granted_amount"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = parent_fk("funding_call.id")
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: one of APPLICATION_STATUSES; only a lead of the lead city changes it
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="idea", index=True)
    requested_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    granted_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    call = db.relationship("FundingCall", lazy="joined")
    municipality = db.relationship("Municipality", lazy="joined")
    members = db.relationship("ApplicationMember", back_populates="application", cascade="all, delete-orphan",
                              order_by="ApplicationMember.id", lazy="selectin")

    status_label = ChoiceLabel("status", APPLICATION_STATUSES)


class _OfApplication:
    """A row of one application, deleted with it."""

    @declared_attr
    def application_id(cls) -> Mapped[int]:
        return parent_fk("funding_application.id")


class _WorkspaceEntry(_OfApplication, CreatedAt):
    """A note, timeline step or document in an application's workspace, with the city it came from."""

    @declared_attr
    def municipality_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("municipality.id", ondelete="SET NULL"))

    @declared_attr
    def municipality(cls):
        return db.relationship("Municipality", lazy="joined")


class ApplicationMember(_OfApplication, CreatedAt, db.Model):
    """A city in a joint application: the lead applicant (role lead) or a partner (invited/accepted/declined)."""

    __tablename__ = "funding_application_member"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "municipality_id", name="uq_funding_member_city"),
        sa.CheckConstraint("role in ('lead','partner')", name="role"),
        sa.CheckConstraint("status in ('invited','accepted','declined')", name="status"),
        sa.CheckConstraint("share_amount IS NULL OR share_amount >= 0", name="share_amount"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True, nullable=False)
    role: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="partner")
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="invited")
    #: the city's own share of the project costs (Eigenanteil) in euros
    share_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    #: what the city contributes
    share_note: Mapped[str] = mapped_column(sa.String(1000), nullable=False, default="")
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application = db.relationship("Application", back_populates="members")
    municipality = db.relationship("Municipality", lazy="joined")

    status_label = ChoiceLabel("status", MEMBER_STATUSES)

    role_label = ChoiceLabel("role", MEMBER_ROLES)


class ChecklistItem(_OfApplication, CreatedAt, db.Model):
    """One task of an application: item, responsible city, due date, done."""

    __tablename__ = "funding_checklist_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: the city responsible (NULL: the lead city)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    done: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    municipality = db.relationship("Municipality", lazy="joined")
    done_by = db.relationship("User", foreign_keys=[done_by_id], lazy="joined")


class ApplicationNote(_WorkspaceEntry, db.Model):
    """A note in the application's workspace."""

    __tablename__ = "funding_application_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)

    author = db.relationship("User", lazy="joined")


class ApplicationEvent(_WorkspaceEntry, db.Model):
    """Timeline of an application: every change, who, when. Never updated."""

    __tablename__ = "funding_application_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: one of EVENT_LABELS
    action: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    #: short German detail ("Idee → in Vorbereitung")
    detail: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")

    actor = db.relationship("User", lazy="joined")

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


class FundingReminder(CreatedAt, db.Model):
    """Ledger of sent reminders: the unique key makes each reminder go out once (same transaction as the mail)."""

    __tablename__ = "funding_reminder"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: e.g. "deadline:12:14:user:7" or "item:5:user:7"
    key: Mapped[str] = mapped_column(sa.String(120), unique=True, nullable=False)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)


class ApplicationDocument(_WorkspaceEntry, StoredFile, db.Model):
    """A file in the application's workspace (stored by network.core.files: type by content, generated name);
    municipality_id is the city that uploaded it (its members may delete it)."""

    __tablename__ = "funding_application_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: generated storage name (never the user's)
    storage_name: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    original_name: Mapped[str] = mapped_column(sa.String(160), nullable=False)

    uploaded_by = db.relationship("User", lazy="joined")
