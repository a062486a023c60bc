"""Account services: login, sessions, invitations, password reset, profile, API tokens."""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from network.accounts.models import ApiToken, LoginSession, User, UserToken, hash_secret, LANGUAGES, ROLES
from network.core import audit
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db


class LoginFailed(Exception):
    """Wrong credentials, inactive or locked account; the message is safe to show."""


def find_user_by_email(email: str) -> User | None:
    """Case-insensitive lookup."""
    return db.session.execute(sa.select(User).where(User.email == (email or "").strip().lower())).scalar_one_or_none()


def authenticate(email: str, password: str) -> User:
    """Check credentials with a per-account failure counter and temporary lock."""
    generic = _("E-Mail-Adresse oder Passwort ist falsch.")
    user = find_user_by_email(email)
    if user is None or not user.active or user.password_hash is None:
        # spend the same time as a real check so that existence does not leak
        User(email="", name="").check_password(password)
        raise LoginFailed(generic)
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        raise LoginFailed(_("Zu viele Fehlversuche. Das Konto ist vorübergehend gesperrt; bitte versuchen Sie es später erneut oder setzen Sie Ihr Passwort zurück."))
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
            audit.record(None, "user.locked", obj=user, municipality_id=user.municipality_id,
                         summary=f"Konto {user.email} nach Fehlversuchen gesperrt")
        db.session.flush()
        raise LoginFailed(generic)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def start_session(user: User, user_agent: str = "") -> str:
    """Create a login session row and return its secret key (kept in the cookie)."""
    key = LoginSession.new_key()
    db.session.add(LoginSession(key_hash=hash_secret(key), user_id=user.id, user_agent=(user_agent or "")[:300]))
    user.current_session_key = key
    audit.record(user, "user.login", obj=user, municipality_id=user.municipality_id, summary=f"{user.email} angemeldet")
    db.session.flush()
    return key


def load_session(key: str) -> User | None:
    """The active user behind a session key, or None."""
    if not key:
        return None
    row = db.session.execute(
        sa.select(LoginSession).where(LoginSession.key_hash == hash_secret(key))
    ).scalar_one_or_none()
    if row is None or not row.user.active:
        return None
    row.user.current_session_key = key
    return row.user


def end_session(key: str) -> None:
    """Log one browser out for good: its cookie no longer works."""
    db.session.execute(sa.delete(LoginSession).where(LoginSession.key_hash == hash_secret(key or "")))


def end_all_sessions(user: User, *, keep_key: str | None = None) -> None:
    """Log the user out everywhere (optionally except the current browser)."""
    stmt = sa.delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_key:
        stmt = stmt.where(LoginSession.key_hash != hash_secret(keep_key))
    db.session.execute(stmt)


def _new_token(user: User, purpose: str, hours: int, created_by=None) -> str:
    plain = secrets.token_urlsafe(32)
    db.session.execute(sa.update(UserToken).where(UserToken.user_id == user.id, UserToken.purpose == purpose,
                                                  UserToken.used_at.is_(None)).values(used_at=utcnow()))
    db.session.add(UserToken(token_hash=hash_secret(plain), purpose=purpose, user_id=user.id,
                             created_by_id=getattr(created_by, "id", None),
                             expires_at=utcnow() + timedelta(hours=hours)))
    return plain


def check_token(plain: str, purpose: str) -> UserToken:
    """A valid, unused, unexpired token of that purpose, or ValidationFailed with a German message."""
    row = db.session.execute(
        sa.select(UserToken).where(UserToken.token_hash == hash_secret(plain or ""), UserToken.purpose == purpose)
    ).scalar_one_or_none()
    if row is None:
        raise ValidationFailed({"token": _("Dieser Link ist ungültig.")}, status=404)
    if row.used_at is not None:
        raise ValidationFailed({"token": _("Dieser Link wurde bereits verwendet.")}, status=410)
    if row.expires_at < utcnow():
        raise ValidationFailed({"token": _("Dieser Link ist abgelaufen. Bitte fordern Sie einen neuen an.")}, status=410)
    if not row.user.active:
        raise ValidationFailed({"token": _("Dieses Konto ist deaktiviert.")}, status=410)
    return row


def invite_user(actor, municipality, *, email: str, name: str, role: str) -> User:
    """Create an invited account in `municipality` and email a 72-hour single-use link."""
    require(actor, "user.invite", municipality)
    if role == "lead" and not (actor.is_coordinator or actor.municipality_id == municipality.id):
        require(actor, "user.invite_lead")
    c = Checker()
    email = c.email("email", email)
    name = c.text("name", name, label=_("den Namen"), max_len=120)
    c.choice("role", role, ROLES, label=_("die Rolle"))
    if "email" not in c.errors and find_user_by_email(email):
        c.add("email", _("Mit dieser E-Mail-Adresse gibt es bereits ein Konto."))
    if municipality.status != "member":
        c.add("email", _("Diese Kommune ist nicht (mehr) Mitglied des Netzwerks."))
    c.done()
    user = User(email=email, name=name, role=role, municipality_id=municipality.id, language=actor.language)
    db.session.add(user)
    db.session.flush()
    token = _new_token(user, "invite", current_app.config["INVITATION_HOURS"], created_by=actor)
    queue_mail(user.email, "invite", subject=_("Einladung ins Städtenetz: %(city)s", city=municipality.name),
               locale=user.language, municipality_id=municipality.id,
               user=user, inviter=actor, municipality=municipality,
               link=url_for("accounts.accept_invite", token=token, _external=True),
               hours=current_app.config["INVITATION_HOURS"])
    audit.record(actor, "user.invited", obj=user, municipality_id=municipality.id,
                 summary=f"{user.email} als {user.role} eingeladen", role=role)
    db.session.flush()
    return user


def resend_invitation(actor, user: User) -> None:
    """Send a fresh invitation link (the old one stops working)."""
    require(actor, "user.manage", user)
    if not user.is_invited:
        raise ValidationFailed({"user": _("Dieses Konto hat die Einladung bereits angenommen.")}, status=409)
    token = _new_token(user, "invite", current_app.config["INVITATION_HOURS"], created_by=actor)
    queue_mail(user.email, "invite", subject=_("Einladung ins Städtenetz: %(city)s", city=user.municipality.name),
               locale=user.language, municipality_id=user.municipality_id, user=user, inviter=actor,
               municipality=user.municipality, link=url_for("accounts.accept_invite", token=token, _external=True),
               hours=current_app.config["INVITATION_HOURS"])
    audit.record(actor, "user.reinvited", obj=user, summary=f"Einladung an {user.email} erneut gesendet")
    db.session.flush()


def accept_invitation(plain: str, *, password: str, password2: str, name: str | None = None) -> User:
    """Set the password of an invited account; the link is then used up."""
    row = check_token(plain, "invite")
    user = row.user
    c = Checker()
    if name is not None:
        name = c.text("name", name, label=_("den Namen"), max_len=120)
    c.password("password", password, email=user.email)
    if password != password2:
        c.add("password2", _("Die Passwörter stimmen nicht überein."))
    c.done()
    if name:
        user.name = name
    user.set_password(password)
    row.used_at = utcnow()
    audit.record(user, "user.invitation_accepted", obj=user, summary=f"{user.email} hat die Einladung angenommen")
    db.session.flush()
    return user


def request_password_reset(email: str) -> None:
    """Email a 1-hour reset link if the account exists; the caller says the same thing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active or user.password_hash is None:
        return
    token = _new_token(user, "reset", current_app.config["RESET_HOURS"])
    queue_mail(user.email, "reset", subject=_("Passwort zurücksetzen"), locale=user.language,
               municipality_id=user.municipality_id, user=user,
               link=url_for("accounts.reset_password", token=token, _external=True))
    audit.record(user, "user.reset_requested", obj=user, summary=f"Passwort-Zurücksetzen für {user.email} angefordert")
    db.session.flush()


def reset_password(plain: str, *, password: str, password2: str) -> User:
    """Set a new password with a reset token; all sessions of the user end."""
    row = check_token(plain, "reset")
    user = row.user
    c = Checker()
    c.password("password", password, email=user.email)
    if password != password2:
        c.add("password2", _("Die Passwörter stimmen nicht überein."))
    c.done()
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    row.used_at = utcnow()
    end_all_sessions(user)
    audit.record(user, "user.password_reset", obj=user, summary=f"Passwort von {user.email} zurückgesetzt")
    db.session.flush()
    return user


def update_profile(actor: User, *, name: str, language: str) -> User:
    """Change one's own name and language."""
    require(actor, "profile.edit")
    c = Checker()
    name = c.text("name", name, label=_("den Namen"), max_len=120)
    c.choice("language", language, LANGUAGES, label=_("die Sprache"))
    c.done()
    actor.name = name
    actor.language = language
    audit.record(actor, "user.profile_updated", obj=actor, summary=f"Profil von {actor.email} geändert")
    db.session.flush()
    return actor


def change_password(actor: User, *, current: str, password: str, password2: str) -> None:
    """Change one's own password; every other session of the user ends."""
    require(actor, "profile.edit")
    c = Checker()
    if not actor.check_password(current or ""):
        c.add("current_password", _("Das aktuelle Passwort ist falsch."))
    c.password("password", password, email=actor.email)
    if password != password2:
        c.add("password2", _("Die Passwörter stimmen nicht überein."))
    c.done()
    actor.set_password(password)
    end_all_sessions(actor, keep_key=actor.current_session_key)
    audit.record(actor, "user.password_changed", obj=actor, summary=f"Passwort von {actor.email} geändert")
    db.session.flush()


def set_role(actor, user: User, role: str) -> User:
    """Make a city account lead or staff."""
    require(actor, "user.manage", user)
    c = Checker()
    c.choice("role", role, ROLES, label=_("die Rolle"))
    if user.id == actor.id and role != "lead" and not actor.is_coordinator:
        c.add("role", _("Sie können sich nicht selbst die Leitungsrolle entziehen."))
    c.done()
    old = user.role
    user.role = role
    audit.record(actor, "user.role_changed", obj=user, summary=f"Rolle von {user.email}: {old} → {role}", old=old, new=role)
    db.session.flush()
    return user


def set_active(actor, user: User, active: bool) -> User:
    """Deactivate (logs out everywhere, revokes API tokens) or reactivate an account."""
    require(actor, "user.manage", user)
    if user.id == actor.id and not active:
        raise ValidationFailed({"active": _("Sie können Ihr eigenes Konto nicht deaktivieren.")}, status=409)
    user.active = active
    if not active:
        end_all_sessions(user)
        db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))
    audit.record(actor, "user.activated" if active else "user.deactivated", obj=user,
                 summary=f"{user.email} {'aktiviert' if active else 'deaktiviert'}")
    db.session.flush()
    return user


def create_api_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the plain value is returned once and never stored."""
    require(actor, "token.manage")
    c = Checker()
    name = c.text("name", name, label=_("eine Bezeichnung"), max_len=80)
    c.done()
    plain = "stn_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name, prefix=plain[:10], token_hash=hash_secret(plain))
    db.session.add(token)
    db.session.flush()
    audit.record(actor, "token.created", obj=token, municipality_id=actor.municipality_id,
                 summary=f"API-Token „{name}“ erstellt")
    return token, plain


def revoke_api_token(actor: User, token_id: int) -> ApiToken:
    """Revoke one of one's own tokens; another user's token answers 404."""
    require(actor, "token.manage")
    token = db.session.execute(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == actor.id)).scalar_one_or_none()
    if token is None:
        from werkzeug.exceptions import NotFound
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, "token.revoked", obj=token, municipality_id=actor.municipality_id,
                     summary=f"API-Token „{token.name}“ widerrufen")
    db.session.flush()
    return token


def user_for_api_token(plain: str) -> User | None:
    """The active owner of a valid token, or None."""
    if not plain or len(plain) > 200:
        return None
    token = db.session.execute(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_secret(plain), ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if token is None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
    return token.user


def create_coordinator(email: str, name: str, password: str | None = None) -> User:
    """CLI: make a coordinator account (no city)."""
    c = Checker()
    email = c.email("email", email)
    if "email" not in c.errors and find_user_by_email(email):
        c.add("email", _("Mit dieser E-Mail-Adresse gibt es bereits ein Konto."))
    if password is not None:
        c.password("password", password, email=email)
    c.done()
    user = User(email=email, name=name, is_coordinator=True, role="lead")
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(None, "user.coordinator_created", obj=user, summary=f"Koordination {email} angelegt")
    return user
