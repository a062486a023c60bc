"""User, login sessions, single-use tokens, personal API tokens."""

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from network.core.models import TimestampMixin, UTCDateTime, utcnow
from network.extensions import db

#: argon2id with the library's current recommended parameters
_hasher = PasswordHasher()

ROLES = {"lead": _l("Digitalisierungsbeauftragte/r (Leitung)"), "staff": _l("Mitarbeitende/r")}
LANGUAGES = {"de": "Deutsch", "en": "English"}


def hash_secret(value: str) -> str:
    """SHA-256 of a random token (tokens are long and random, so no slow hash is needed)."""
    return hashlib.sha256(value.encode()).hexdigest()


#: a real argon2 hash of a random secret, made once per process: unknown accounts verify against it
_dummy_hash: tuple[object, str] | None = None


def verify_dummy(password: str) -> None:
    """Spend exactly one argon2 verification (with the current parameters) and learn nothing."""
    global _dummy_hash
    if _dummy_hash is None or _dummy_hash[0] is not _hasher:
        _dummy_hash = (_hasher, _hasher.hash(secrets.token_urlsafe(24)))
    try:
        _hasher.verify(_dummy_hash[1], password or "")
    except (VerificationError, InvalidHashError):
        pass


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (sa.CheckConstraint("role in ('lead','staff')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lowercased, so uniqueness is case-insensitive
    email: Mapped[str] = mapped_column(sa.String(320), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    #: argon2id; NULL until an invitation is accepted
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    #: the city; NULL only for coordinators without a city
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    #: role in the city: lead or staff
    role: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="staff")
    #: the installation's administration (creates networks); a network's coordination is a NetworkRole
    is_platform_admin: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    #: deactivated accounts cannot log in and lose their sessions
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    #: UI and email language
    language: Mapped[str] = mapped_column(sa.String(5), nullable=False, default="de")
    #: unused since issue #14 (throttling per account and address lives in LoginThrottle); kept for old rows
    failed_logins: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    #: no login before this moment
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: TOTP secret (base32); NULL while two-factor authentication is off
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the last accepted TOTP time step: a code is accepted once only
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    municipality = db.relationship("Municipality", back_populates="users", lazy="joined")

    #: set by the login loader: the session this request runs in
    current_session_key = None

    @property
    def is_active(self) -> bool:  # Flask-Login
        return bool(self.active)

    @property
    def coordinated_networks(self) -> frozenset[str]:
        """The slugs of the networks this user coordinates; `coordinated_slugs` is a column_property loaded
        with the user (defined in network/networks/models.py, next to NetworkRole)."""
        return frozenset(s for s in (getattr(self, "coordinated_slugs", None) or "").split(",") if s)

    @property
    def is_coordinator(self) -> bool:
        """Coordinates the network this request is in (core/current); another network's coordinator does not."""
        from network.core.current import current_network_slug
        return current_network_slug() in self.coordinated_networks

    @property
    def is_invited(self) -> bool:
        # an account made by single sign-on has no password either, but it has logged in
        return self.password_hash is None and self.last_login_at is None

    @property
    def has_2fa(self) -> bool:
        return bool(self.totp_secret)

    @property
    def role_label(self) -> str:
        return str(ROLES.get(self.role, self.role))

    def get_id(self) -> str:
        # Flask-Login stores the session key, not the user id, so a session can be revoked.
        return self.current_session_key or ""

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            verify_dummy(password)  # an account without a password costs the same time as one with
            return False
        try:
            ok = _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if ok and _hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return ok

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class LoginSession(db.Model):
    """One row per logged-in browser; deleting it logs that browser out."""

    __tablename__ = "login_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: sha256 of the key in the session cookie
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    user_agent: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")

    user = db.relationship("User", lazy="joined")

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)


class UserToken(db.Model):
    """Single-use emailed token: invitation (72 h) or password reset (1 h)."""

    __tablename__ = "user_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    #: "invite" or "reset"
    purpose: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = db.relationship("User", foreign_keys=[user_id], lazy="joined")


class RecoveryCode(db.Model):
    """One-time recovery code for two-factor login; only the sha256 of the (high-entropy) code is kept."""

    __tablename__ = "recovery_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=False)
    code_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(db.Model):
    """Failed logins per (email address, client address): growing waits for that pair only.

    Keyed on the address typed, not on the account, so unknown and known addresses behave alike, and on the
    client, so a stranger's failures never slow the owner down at another address.
    """

    __tablename__ = "login_throttle"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: sha256 of "<lowercased email>|<client address>"
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    #: sha256 of the lowercased email: a password reset clears the waits at every client
    account_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, index=True)
    failures: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    #: no password is checked for this pair before this moment
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)


#: API token scopes: a read token may only use GET/HEAD/OPTIONS
TOKEN_SCOPES = {"read": _l("Nur lesen"), "read-write": _l("Lesen und schreiben")}
#: lifetimes offered when a token is created (days); the default is one year
TOKEN_LIFETIMES = (30, 90, 365)


class ApiToken(db.Model):
    """Personal API token: shown once, stored as a hash; it expires and has a scope."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=False)
    #: the user's label for it
    name: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    #: first characters, to recognise it in the list
    prefix: Mapped[str] = mapped_column(sa.String(12), nullable=False)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: after this moment the token answers 401
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: "read" or "read-write"
    scope: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="read-write")

    user = db.relationship("User", lazy="joined")

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= utcnow()

    @property
    def scope_label(self) -> str:
        return str(TOKEN_SCOPES.get(self.scope, self.scope))
