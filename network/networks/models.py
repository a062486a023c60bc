"""Network, NetworkMembership (city x network, with history) and NetworkRole (a user's coordination of a network)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, column_property, mapped_column

from network.accounts.models import User
from network.core.models import (ChoiceLabel, CreatedAt, ExampleFlag, NetworkOwned, TimestampMixin, UserOwned,
                                 UTCDateTime, Versioned, utcnow)
from network.extensions import db

MEMBERSHIP_STATUSES = {
    "member": _l("Mitglied"),
    "guest": _l("Gast"),
    "left": _l("ausgetreten"),
}

#: statuses that take part in the network today (a guest reads and joins meetings, but leads no topic)
ACTIVE_STATUSES = ("member", "guest")

NETWORK_ROLES = {"coordinator": _l("Koordination")}


class Network(TimestampMixin, ExampleFlag, Versioned, db.Model):
    """Ein Städtenetz: owns its fields of action, topics, bodies and meetings; cities take part through memberships."""

    __tablename__ = "network"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: URL name under /n/<slug>/, lowercase ASCII
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True, nullable=False)
    #: region in words (e.g. "Karlsruhe, Rastatt und Baden-Baden")
    region: Mapped[str] = mapped_column(sa.String(160), nullable=False, default="")
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    website: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    #: open: cities may ask to join; closed: the coordination admits cities only on its own
    is_open: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    #: settings of the network (formerly installation-wide configuration)
    auto_confirm_claims: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    #: weekday of the interest digest, 0 = Monday
    digest_weekday: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    #: days before a meeting on which reminders go out, comma-separated ("7,1")
    reminder_days: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="7,1")
    #: contact for the Impressum and the Datenschutz page of the network (Markdown)
    imprint_contact: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    privacy_contact: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    @property
    def reminder_day_list(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.reminder_days.split(",") if part.strip().isdigit())

    def __repr__(self) -> str:
        return f"<Network {self.slug}>"


class NetworkMembership(TimestampMixin, db.Model):
    """A city in a network: member, guest or left. Leaving keeps the row (history); rejoining reopens it."""

    __tablename__ = "network_membership"
    __table_args__ = (
        sa.UniqueConstraint("network_id", "municipality_id", name="uq_network_membership"),
        sa.CheckConstraint("status in ('member','guest','left')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), nullable=False)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id", ondelete="CASCADE"),
                                                 index=True, nullable=False)
    #: one of MEMBERSHIP_STATUSES
    status: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="member", index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network = db.relationship("Network", lazy="joined")
    municipality = db.relationship("Municipality", lazy="joined")

    status_label = ChoiceLabel("status", MEMBERSHIP_STATUSES)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class NetworkRole(NetworkOwned, UserOwned, CreatedAt, db.Model):
    """A user's role in one network; today the coordination ("coordinator")."""

    __tablename__ = "network_role"
    __table_args__ = (
        sa.UniqueConstraint("network_id", "user_id", "role", name="uq_network_role"),
        sa.CheckConstraint("role in ('coordinator')", name="role"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="coordinator")
    #: who named this coordinator (NULL for the migration and the command line)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    network = db.relationship("Network", lazy="joined")
    user = db.relationship("User", foreign_keys="NetworkRole.user_id")


# The slugs of the networks a user coordinates, loaded in the same SELECT as the user (no query more per request):
# permissions ask "does this user coordinate the network this request is in?" (core/permissions.roles_of).
User.coordinated_slugs = column_property(
    sa.select(sa.func.aggregate_strings(Network.slug, ","))
    .select_from(NetworkRole).join(Network, Network.id == NetworkRole.network_id)
    .where(NetworkRole.user_id == User.id, NetworkRole.role == "coordinator")
    .correlate_except(NetworkRole, Network).scalar_subquery(),
    deferred=False,
)


# The networks of the user's city (any status) and those the user coordinates, each with its Network row. The login
# session's statement loads them (`networks.access.session_load_options`, issue #17): the request's network, the
# network gate and the header's switcher then cost no statement of their own. Lazy everywhere else.
User.city_memberships = db.relationship(
    NetworkMembership, primaryjoin=sa.orm.foreign(NetworkMembership.municipality_id) == User.municipality_id,
    viewonly=True, lazy="select")
User.network_roles = db.relationship(
    NetworkRole, primaryjoin=sa.orm.foreign(NetworkRole.user_id) == User.id, viewonly=True, lazy="select")
