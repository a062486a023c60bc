"""Credentials: password login with throttling, login sessions, API tokens, ending credentials everywhere."""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from network.accounts.models import (ApiToken, LoginSession, LoginThrottle, TOKEN_LIFETIMES, TOKEN_SCOPES, User,
                                     UserToken, hash_secret, verify_dummy)
from network.accounts.signals import credentials_revoked
from network.core import audit
from network.core.models import utcnow
from network.core.permissions import require
from network.core.validation import Checker
from network.extensions import db


class LoginFailed(Exception):
    """Wrong credentials, unknown, inactive or throttled account; the message is the same for all of them."""


def _normal(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Case-insensitive lookup."""
    return db.session.execute(sa.select(User).where(User.email == _normal(email))).scalar_one_or_none()


def generic_login_failure() -> str:
    """The one answer to every failed login: wrong password, unknown, inactive or throttled account."""
    return _("E-Mail-Adresse oder Passwort ist falsch. Nach mehreren Fehlversuchen warten Sie bitte einen "
             "Moment, bevor Sie es erneut versuchen, oder setzen Sie Ihr Passwort zurück.")


def authenticate(email: str, password: str, client: str = "") -> User:
    """Check credentials; failures slow down only this (address typed, client address) pair.

    Known and unknown addresses cost one argon2 verification each and answer the same message; a stranger's
    failures never keep the owner out at another client address, and a reset link always works.
    """
    now = utcnow()
    key = hash_secret(f"{_normal(email)}|{client}")
    throttle = waiting_throttle(key, now, generic_login_failure())  # no password is tried while this pair waits
    user = find_user_by_email(email)
    if user is None or not user.active:
        verify_dummy(password)
        ok = False
    else:
        ok = user.check_password(password)  # an invited account (no password) verifies the dummy
    if not ok:
        _count_failure(throttle, key, _normal(email), now)
        raise LoginFailed(generic_login_failure())
    from network.sso.services import password_login_allowed
    if not password_login_allowed(user.email, user):
        # the city switched password login off for its domain (issue #18): its identity provider logs in
        raise LoginFailed(_("Für diese Adresse ist die Anmeldung mit Passwort abgeschaltet. Bitte lassen Sie das "
                            "Passwort leer: Sie werden zur Anmeldung Ihrer Verwaltung weitergeleitet."))
    if throttle is not None:
        db.session.delete(throttle)
    user.last_login_at = now
    return user


def waiting_throttle(key: str, now, message: str) -> LoginThrottle | None:
    """The throttle row of a key (None if none); LoginFailed(message) while it makes the key wait."""
    throttle = db.session.execute(sa.select(LoginThrottle).where(LoginThrottle.key_hash == key)).scalar_one_or_none()
    if throttle is not None and throttle.blocked_until and throttle.blocked_until > now:
        raise LoginFailed(message)
    return throttle


def _count_failure(throttle, key: str, email: str, now) -> None:
    """One more failure for the pair; from LOGIN_THROTTLE_FREE_FAILURES on, the wait doubles each time."""
    cfg = current_app.config
    if throttle is None:
        db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.updated_at < now - timedelta(days=1)))
        throttle = LoginThrottle(key_hash=key, account_hash=hash_secret(email), failures=0)
        try:
            with db.session.begin_nested():
                db.session.add(throttle)
        except IntegrityError:  # a parallel failure of the same pair created it first
            throttle = db.session.execute(sa.select(LoginThrottle).where(LoginThrottle.key_hash == key)).scalar_one()
    throttle.failures += 1
    throttle.updated_at = now
    over = throttle.failures - cfg["LOGIN_THROTTLE_FREE_FAILURES"]
    if over >= 0:
        wait = min(cfg["LOGIN_THROTTLE_BASE_SECONDS"] * 2 ** min(over, 20), cfg["LOGIN_THROTTLE_MAX_SECONDS"])
        throttle.blocked_until = now + timedelta(seconds=wait)
    db.session.flush()


def clear_throttle(user: User) -> None:
    """The owner proved control of the mailbox (reset link): waits for this address end at every client."""
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.account_hash == hash_secret(_normal(user.email))))


# --- login sessions -------------------------------------------------------------------------------


def start_session(user: User, user_agent: str = "") -> str:
    """Create a login session row and return its secret key (kept in the cookie)."""
    key = LoginSession.new_key()
    db.session.add(LoginSession(key_hash=hash_secret(key), user_id=user.id, user_agent=(user_agent or "")[:300]))
    user.current_session_key = key
    audit.record(user, "user.login", obj=user, municipality_id=user.municipality_id, summary=f"{user.email} angemeldet")
    db.session.flush()
    return key


def load_session(key: str, options=()) -> User | None:
    """The active user behind a session key, or None. `options`: loader options that ride on the same statement
    (the app passes the user's networks, see networks.access.session_load_options)."""
    if not key:
        return None
    row = db.session.execute(
        sa.select(LoginSession).where(LoginSession.key_hash == hash_secret(key)).options(*options)
    ).unique().scalar_one_or_none()
    if row is None or not row.user.active:
        return None
    row.user.current_session_key = key
    return row.user


def end_session(key: str) -> None:
    """Log one browser out for good: its cookie no longer works."""
    db.session.execute(sa.delete(LoginSession).where(LoginSession.key_hash == hash_secret(key or "")))


def end_all_sessions(user: User, *, keep_key: str | None = None) -> int:
    """Log the user out everywhere (optionally except the current browser); returns how many ended."""
    stmt = sa.delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_key:
        stmt = stmt.where(LoginSession.key_hash != hash_secret(keep_key))
    return db.session.execute(stmt).rowcount or 0


def end_credentials(user: User, reason: str, *, keep_key: str | None = None) -> dict:
    """After a password change or reset, or a deactivation: end what the old password could have handed out.

    Every open reset link and every other session end; after a reset or deactivation every API token too, and
    through ``credentials_revoked`` the calendar feed. Returns counts for the mail to the user.
    """
    now = utcnow()
    links = db.session.execute(sa.update(UserToken).where(
        UserToken.user_id == user.id, UserToken.purpose == "reset", UserToken.used_at.is_(None)
    ).values(used_at=now)).rowcount or 0
    ended = {"reset_links": links, "sessions": end_all_sessions(user, keep_key=keep_key), "api_tokens": 0}
    if reason != "password_changed":
        ended["api_tokens"] = db.session.execute(sa.update(ApiToken).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)).rowcount or 0
    credentials_revoked.send(user=user, reason=reason)
    return ended


# --- personal API tokens --------------------------------------------------------------------------


def create_api_token(actor: User, name: str, *, scope: str = "read-write", days=365) -> tuple[ApiToken, str]:
    """A new personal token with a scope and a lifetime; the plain value is returned once and never stored."""
    require(actor, "token.manage")
    c = Checker()
    name = c.text("name", name, label=_("eine Bezeichnung"), max_len=80, multiline=False)
    c.choice("scope", scope, TOKEN_SCOPES, label=_("die Berechtigung"))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if days not in TOKEN_LIFETIMES:
        c.add("days", _("Bitte wählen Sie eine Gültigkeit von 30, 90 oder 365 Tagen."))
    c.done()
    plain = "stn_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name, prefix=plain[:10], token_hash=hash_secret(plain), scope=scope,
                     expires_at=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    audit.record(actor, "token.created", obj=token, municipality_id=actor.municipality_id,
                 summary=f"API-Token „{name}“ erstellt ({scope}, {days} Tage)")
    return token, plain


def revoke_api_token(actor: User, token_id: int) -> ApiToken:
    """Revoke one of one's own tokens; another user's token answers 404."""
    require(actor, "token.manage")
    token = db.session.execute(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == actor.id)).scalar_one_or_none()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, "token.revoked", obj=token, municipality_id=actor.municipality_id,
                     summary=f"API-Token „{token.name}“ widerrufen")
    db.session.flush()
    return token


def api_token_for(plain: str) -> ApiToken | None:
    """The valid (not revoked, not expired) token of an active user, or None; notes its last use."""
    if not plain or len(plain) > 200:
        return None
    now = utcnow()
    token = db.session.execute(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_secret(plain), ApiToken.revoked_at.is_(None),
                                  ApiToken.expires_at > now)
    ).scalar_one_or_none()
    if token is None or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
    return token


def user_for_api_token(plain: str) -> User | None:
    """The active owner of a valid token, or None."""
    token = api_token_for(plain)
    return token.user if token is not None else None
