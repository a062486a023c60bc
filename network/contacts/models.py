"""Ansprechpersonen: a user's contact profile (opt-in per network), its subjects of expertise, the networks that may
see it, and the contact persons a lead city marks for a topic it leads."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import CreatedAt, ExampleFlag, TimestampMixin, parent_fk
from network.extensions import db

#: suggestions for the function (free text: every city names its roles its own way)
FUNCTIONS = (_l("Digitallotse/Digitallotsin"), _l("Digitalisierungsbeauftragte/r"), _l("IT-Leitung"),
             _l("Datenschutz"), _l("Informationssicherheit"), _l("OZG-Koordination"), _l("Projektleitung"),
             _l("Organisation"), _l("Bürgerservice"))

#: the kinds of subjects: a topic, a network's field of action, one of the city's own fields, an OZG Themenfeld,
#: a free tag
SUBJECT_KINDS = ("topic", "field", "city_field", "ozg", "tag")


class ContactProfile(TimestampMixin, ExampleFlag, db.Model):
    """A person's contact profile. Nobody sees it until its owner names the networks that may (opt-in, GDPR)."""

    __tablename__ = "contact_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True, nullable=False)
    #: the city the person works for (the account's city when the profile was saved)
    municipality_id: Mapped[int] = parent_fk("municipality.id")
    #: the role, e.g. "Digitallotse", "IT-Leitung", "Datenschutz"
    function: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="", index=True)
    #: languages spoken, e.g. "Deutsch, Englisch"
    languages: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    #: a work phone number
    phone: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="")

    user = db.relationship("User", lazy="joined", innerjoin=True)
    municipality = db.relationship("Municipality", lazy="joined", innerjoin=True)
    subjects = db.relationship("ContactSubject", lazy="select", cascade="all, delete-orphan",
                               order_by="ContactSubject.label")
    networks = db.relationship("ContactNetwork", lazy="select", cascade="all, delete-orphan")


class ContactSubject(db.Model):
    """One subject of a profile's expertise; `label` is the name shown and searched (kept with the row)."""

    __tablename__ = "contact_subject"
    __table_args__ = (
        sa.CheckConstraint("kind in ('topic','field','city_field','ozg','tag')", name="kind"),
        sa.Index("ix_contact_subject_kind_ref", "kind", "ref_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = parent_fk("contact_profile.id")
    #: one of SUBJECT_KINDS
    kind: Mapped[str] = mapped_column(sa.String(12), nullable=False)
    #: the topic's, field's or city field's id; NULL for OZG Themenfelder and tags
    ref_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: the name: topic, field, Themenfeld or the tag itself
    label: Mapped[str] = mapped_column(sa.String(160), nullable=False, index=True)


class ContactNetwork(db.Model):
    """A network whose members may see the profile (no row: nobody)."""

    __tablename__ = "contact_network"
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("contact_profile.id", ondelete="CASCADE"),
                                            primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class TopicContact(CreatedAt, db.Model):
    """A lead city names one of its published contact persons for a topic it leads."""

    __tablename__ = "topic_contact"
    __table_args__ = (sa.UniqueConstraint("topic_id", "profile_id", name="uq_topic_contact_topic_profile"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = parent_fk("topic.id")
    profile_id: Mapped[int] = parent_fk("contact_profile.id")
    #: the lead city that named the person
    municipality_id: Mapped[int] = parent_fk("municipality.id")
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
