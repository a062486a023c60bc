"""Bodies (Gremien), meetings with date polls, agenda, RSVPs, minutes, decisions, action items, calendar feeds."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import (ChoiceLabel, CreatedAt, ExampleFlag, NetworkOwned, TimestampMixin, UTCDateTime,
                                 UpdatedAt, UserOwned, Versioned, parent_fk)
from network.extensions import db

BODY_KINDS = {
    "plenum": _l("Plenum"),
    "fachgruppe": _l("Fachgruppe"),
    "projektgruppe": _l("Projektgruppe"),
}

#: polling: date poll running, no date yet; scheduled: date fixed; cancelled: called off
MEETING_STATUSES = {
    "polling": _l("Terminumfrage läuft"),
    "scheduled": _l("geplant"),
    "cancelled": _l("abgesagt"),
}

POLL_ANSWERS = {"yes": _l("ja"), "maybe": _l("wenn nötig"), "no": _l("nein")}
#: symbols beside the text (status never by colour alone)
POLL_SYMBOLS = {"yes": "✓", "maybe": "~", "no": "✗"}

RSVP_RESPONSES = {"yes": _l("Zusage"), "maybe": _l("vielleicht"), "no": _l("Absage")}

AGENDA_STATUSES = {"proposed": _l("vorgeschlagen"), "accepted": _l("angenommen"), "rejected": _l("abgelehnt")}

ACTION_STATUSES = {"open": _l("offen"), "done": _l("erledigt")}

MINUTES_STATUSES = {"none": _l("kein Protokoll"), "draft": _l("Entwurf"), "published": _l("veröffentlicht")}


class Body(NetworkOwned, TimestampMixin, ExampleFlag, Versioned, db.Model):
    """Gremium: Plenum, Fachgruppe or the project group of a topic; owned by the network (its meetings are the
    network's)."""

    __tablename__ = "body"
    __table_args__ = (
        sa.CheckConstraint("kind in ('plenum','fachgruppe','projektgruppe')", name="kind"),
        *NetworkOwned.unique_per_network("body", "name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: one of BODY_KINDS
    kind: Mapped[str] = mapped_column(sa.String(15), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(160), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: the topic of a project group (NULL for Plenum and Fachgruppe)
    topic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic.id", ondelete="SET NULL"), index=True)

    topic = db.relationship("Topic", lazy="joined")
    #: loaded with the body: links, mails and feeds name the body's network
    network = db.relationship("Network", lazy="joined")

    kind_label = ChoiceLabel("kind", BODY_KINDS)


class BodyCity(db.Model):
    """A member city of a body: its accounts see the body's meetings, vote and answer."""

    __tablename__ = "body_city"
    __table_args__ = (sa.UniqueConstraint("body_id", "municipality_id", name="uq_body_city"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = parent_fk("body.id")
    municipality_id: Mapped[int] = parent_fk("municipality.id")
    municipality = db.relationship("Municipality", lazy="joined")


class BodyPerson(UserOwned, db.Model):
    """A member person of a body: receives invitations, reminders and minutes."""

    __tablename__ = "body_person"
    __table_args__ = (sa.UniqueConstraint("body_id", "user_id", name="uq_body_person"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = parent_fk("body.id")
    user = db.relationship("User", lazy="joined")


class Meeting(TimestampMixin, ExampleFlag, Versioned, db.Model):
    """Treffen of a body: numbered per body, hosted by a member city, with poll, agenda, RSVPs and minutes."""

    __tablename__ = "meeting"
    __table_args__ = (
        sa.UniqueConstraint("body_id", "number", name="uq_meeting_body_number"),
        sa.CheckConstraint("status in ('polling','scheduled','cancelled')", name="status"),
        sa.CheckConstraint("minutes_status in ('none','draft','published')", name="minutes_status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = parent_fk("body.id")
    #: sequence number within the body ("33. Fachgruppentreffen")
    number: Mapped[int | None] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: one of MEETING_STATUSES
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="scheduled", index=True)
    host_municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id", ondelete="SET NULL"),
                                                             index=True)
    address: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    room: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    online_url: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    #: notes for the invitation
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    #: start and end (UTC; entered and shown in Europe/Berlin); NULL while the poll runs
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: maximum number of confirmed attendees; further "yes" answers go onto the waiting list
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    #: members may propose agenda items until this moment (UTC)
    proposal_cutoff: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: iCalendar SEQUENCE: raised on every change that attendees' calendars must learn about
    sequence: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    #: Markdown minutes and their state (one of MINUTES_STATUSES)
    minutes: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    minutes_status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="none")
    minutes_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: the date within the year is not on record (demo history)
    date_uncertain: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)

    body = db.relationship("Body", lazy="joined")
    host = db.relationship("Municipality", lazy="joined")

    status_label = ChoiceLabel("status", MEETING_STATUSES)

    @property
    def display_title(self) -> str:
        return self.title


class PollSlot(db.Model):
    """A proposed date of a meeting's poll."""

    __tablename__ = "poll_slot"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "starts_at", name="uq_poll_slot_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = parent_fk("meeting.id")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class PollVote(UserOwned, UpdatedAt, db.Model):
    """One person's answer to one slot: yes / if need be / no."""

    __tablename__ = "poll_vote"
    __table_args__ = (
        sa.UniqueConstraint("slot_id", "user_id", name="uq_poll_vote_slot_user"),
        sa.CheckConstraint("answer in ('yes','maybe','no')", name="answer"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = parent_fk("poll_slot.id")
    #: one of POLL_ANSWERS
    answer: Mapped[str] = mapped_column(sa.String(5), nullable=False)


class AgendaItem(CreatedAt, db.Model):
    """Tagesordnungspunkt: proposed by a member or added by the organiser, ordered and timed."""

    __tablename__ = "agenda_item"
    __table_args__ = (sa.CheckConstraint("status in ('proposed','accepted','rejected')", name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = parent_fk("meeting.id")
    #: order among the accepted items
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: who presents: a city and/or a person's name
    presenter_municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="SET NULL"))
    presenter_name: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    duration_minutes: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=15)
    topic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic.id", ondelete="SET NULL"))
    #: internal link to a practice (/praxis/...) or project (/vorhaben/...), with its label
    link_path: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    link_label: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    #: one of AGENDA_STATUSES
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="proposed")
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    presenter_municipality = db.relationship("Municipality", lazy="joined")
    topic = db.relationship("Topic", lazy="joined")
    proposed_by = db.relationship("User", lazy="joined")

    status_label = ChoiceLabel("status", AGENDA_STATUSES)


class Rsvp(UserOwned, UpdatedAt, db.Model):
    """A person's answer to the invitation; one row per meeting and person."""

    __tablename__ = "rsvp"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_rsvp_meeting_user"),
        sa.CheckConstraint("response in ('yes','no','maybe')", name="response"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = parent_fk("meeting.id")
    #: one of RSVP_RESPONSES
    response: Mapped[str] = mapped_column(sa.String(5), nullable=False)
    note: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    #: when the answer last became "yes": the order of the waiting list
    yes_since: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = db.relationship("User", lazy="joined")

    response_label = ChoiceLabel("response", RSVP_RESPONSES)


class Decision(CreatedAt, db.Model):
    """Beschluss recorded in a meeting's minutes."""

    __tablename__ = "meeting_decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = parent_fk("meeting.id")
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)


class ActionItem(CreatedAt, db.Model):
    """Aufgabe from a meeting: text, responsible city, due date, open/done."""

    __tablename__ = "action_item"
    __table_args__ = (sa.CheckConstraint("status in ('open','done')", name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = parent_fk("meeting.id")
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    #: the responsible city
    municipality_id: Mapped[int] = parent_fk("municipality.id")
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    #: one of ACTION_STATUSES
    status: Mapped[str] = mapped_column(sa.String(5), nullable=False, default="open", index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    municipality = db.relationship("Municipality", lazy="joined")
    meeting = db.relationship("Meeting", lazy="joined")

    status_label = ChoiceLabel("status", ACTION_STATUSES)


class CalendarFeed(CreatedAt, db.Model):
    """A user's personal calendar subscription; renewing replaces its secret, ending it deletes the row."""

    __tablename__ = "calendar_feed"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True, nullable=False)
    #: sha256 of the random URL-safe secret (256 bit) in the feed's address; the secret itself is not stored
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)

    #: the plain secret, set only on the object that was just created or renewed (shown to its owner once);
    #: forgotten when the object is expired (after the commit) or loaded again
    secret = None


@sa.event.listens_for(CalendarFeed, "expire")
@sa.event.listens_for(CalendarFeed, "refresh")
def _forget_plain_secret(feed, *_args) -> None:
    """The plain secret lives only until the transaction that stored its hash ends."""
    feed.__dict__.pop("secret", None)


class MeetingNotice(CreatedAt, db.Model):
    """Ledger of reminder mails: a unique key per mail, inserted with the outbox row, so each goes once."""

    __tablename__ = "meeting_notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True, nullable=False)
