"""Account services: login, sessions, invitations, password reset, profile, API tokens."""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from network.accounts.credentials import (  # noqa: F401  (the accounts API other domains and tests use)
    LoginFailed, api_token_for, authenticate, clear_throttle, create_api_token, end_all_sessions, end_credentials,
    end_session, find_user_by_email, load_session, revoke_api_token, start_session, user_for_api_token)
from network.accounts.models import User, UserToken, hash_secret, LANGUAGES, ROLES
from network.core import audit
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db


def _new_token(user: User, purpose: str, hours: int, created_by=None, store: bool = True) -> str:
    plain = secrets.token_urlsafe(32)
    db.session.execute(sa.update(UserToken).where(UserToken.user_id == user.id, UserToken.purpose == purpose,
                                                  UserToken.used_at.is_(None)).values(used_at=utcnow()))
    if not store:
        hash_secret(plain)
        return plain
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
    name = c.text("name", name, label=_("den Namen"), max_len=120, multiline=False)
    c.choice("role", role, ROLES, label=_("die Rolle"))
    if municipality.status != "member":
        c.add("email", _("Diese Kommune ist nicht (mehr) Mitglied des Netzwerks."))
    existing = find_user_by_email(email) if "email" not in c.errors else None
    if existing is not None and existing.municipality_id == municipality.id:
        # the city's own accounts are listed on the same page: saying so tells the lead nothing new
        c.add("email", _("In dieser Kommune gibt es mit dieser E-Mail-Adresse bereits ein Konto."))
    c.done()
    if existing is not None:
        # an account elsewhere must not show (no enumeration across cities): the same answer as for a new
        # address, the invitation is recorded and only the owner is told by mail
        _invite_existing(actor, municipality, existing, role)
        return existing
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


def invite_coordinator(actor, *, email: str, name: str, network=None) -> User:
    """Create an invited account without a city for a network's coordination (see networks.services)."""
    user = User(email=email, name=name, role="lead", municipality_id=None,
                language=getattr(actor, "language", None) or "de")
    db.session.add(user)
    db.session.flush()
    token = _new_token(user, "invite", current_app.config["INVITATION_HOURS"], created_by=actor)
    network_name = network.name if network is not None else current_app.config["NETWORK_NAME"]
    queue_mail(user.email, "invite_coordinator",
               subject=_("Einladung ins Städtenetz: Koordination von %(network)s", network=network_name),
               locale=user.language, user=user, inviter=actor, network_name=network_name,
               link=url_for("accounts.accept_invite", token=token, _external=True),
               hours=current_app.config["INVITATION_HOURS"])
    audit.record(actor, "user.invited", obj=user, summary=f"{user.email} zur Koordination von {network_name} eingeladen",
                 role="coordinator")
    db.session.flush()
    return user


def _invite_existing(actor, municipality, user: User, role: str) -> None:
    """Record an invitation of an address that already has an account and tell its owner, nobody else."""
    queue_mail(user.email, "invite_existing", subject=_("Einladung ins Städtenetz: %(city)s", city=municipality.name),
               locale=user.language, municipality_id=municipality.id, user=user, inviter=actor,
               municipality=municipality, login_link=url_for("accounts.login", _external=True))
    audit.record(actor, "user.invited_existing", obj=municipality, municipality_id=municipality.id,
                 summary=f"Einladung an eine bestehende Adresse (Konto {user.id}) als {role} gesendet", role=role)
    db.session.flush()


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
        name = c.text("name", name, label=_("den Namen"), max_len=120, multiline=False)
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
    """Email a 1-hour reset link if the account exists; the caller says the same thing either way.

    Known and unknown addresses do the same work (a token, the rendered mail, one audit row), so neither the
    answer nor its time tells whether the address has an account; only a real account's mail is queued.
    """
    from network.sso.services import password_login_allowed
    user = find_user_by_email(email)
    # an address whose city switched password login off gets no reset mail (issue #18), and the same answer
    allowed = password_login_allowed(email, user)
    known = user is not None and user.active and user.password_hash is not None and allowed
    target = user if known else User(id=0, email="", name="", language="de")
    token = _new_token(target, "reset", current_app.config["RESET_HOURS"], store=known)
    mail = queue_mail(target.email or "unknown@invalid", "reset", subject=_("Passwort zurücksetzen"),
                      locale=target.language, municipality_id=target.municipality_id, user=target,
                      link=url_for("accounts.reset_password", token=token, _external=True))
    if known:
        audit.record(user, "user.reset_requested", obj=user, summary=f"Passwort-Zurücksetzen für {user.email} angefordert")
    else:
        db.session.expunge(mail)  # rendered like a real one, never sent
        audit.record(None, "user.reset_requested_unknown", summary="Passwort-Zurücksetzen für eine Adresse ohne Konto")
    db.session.flush()


def reset_password(plain: str, *, password: str, password2: str) -> User:
    """Set a new password with a reset token; all sessions of the user end."""
    from network.sso.services import password_login_allowed
    row = check_token(plain, "reset")
    user = row.user
    if not password_login_allowed(user.email, user):
        raise ValidationFailed({"token": _("Für diese Adresse ist die Anmeldung mit Passwort abgeschaltet; Sie "
                                           "melden sich über Ihre Verwaltung an.")}, status=410)
    c = Checker()
    c.password("password", password, email=user.email)
    if password != password2:
        c.add("password2", _("Die Passwörter stimmen nicht überein."))
    c.done()
    user.set_password(password)
    row.used_at = utcnow()
    clear_throttle(user)
    ended = end_credentials(user, "password_reset")
    _tell_credentials_ended(user, "password_reset", ended)
    audit.record(user, "user.password_reset", obj=user, summary=f"Passwort von {user.email} zurückgesetzt")
    db.session.flush()
    return user


def _tell_credentials_ended(user: User, reason: str, ended: dict) -> None:
    """Mail the owner what a password change or reset ended (so an unexpected one is noticed)."""
    queue_mail(user.email, "credentials_ended", subject=_("Ihr Passwort wurde geändert"), locale=user.language,
               municipality_id=user.municipality_id, user=user, reason=reason, ended=ended,
               reset_link=url_for("accounts.forgot_password", _external=True))


def update_profile(actor: User, *, name: str, language: str) -> User:
    """Change one's own name and language."""
    require(actor, "profile.edit")
    c = Checker()
    name = c.text("name", name, label=_("den Namen"), max_len=120, multiline=False)
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
    ended = end_credentials(actor, "password_changed", keep_key=actor.current_session_key)
    _tell_credentials_ended(actor, "password_changed", ended)
    audit.record(actor, "user.password_changed", obj=actor, summary=f"Passwort von {actor.email} geändert")
    db.session.flush()


def _protect_coordinator(actor, user: User) -> None:
    """A coordinator's account is changed by the coordination only, never by a lead of the same city."""
    theirs = user.coordinated_networks
    if theirs and not (theirs & getattr(actor, "coordinated_networks", frozenset())
                       or getattr(actor, "is_platform_admin", False)):
        from network.core.errors import abort_with
        abort_with(403, _("Das Konto einer Netzwerkkoordination kann nur die Netzwerkkoordination ändern."))


def set_role(actor, user: User, role: str) -> User:
    """Make a city account lead or staff."""
    require(actor, "user.manage", user)
    _protect_coordinator(actor, user)
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
    _protect_coordinator(actor, user)
    if user.id == actor.id and not active:
        raise ValidationFailed({"active": _("Sie können Ihr eigenes Konto nicht deaktivieren.")}, status=409)
    user.active = active
    if not active:
        end_credentials(user, "deactivated")
    audit.record(actor, "user.activated" if active else "user.deactivated", obj=user,
                 summary=f"{user.email} {'aktiviert' if active else 'deaktiviert'}")
    db.session.flush()
    return user


def create_coordinator(email: str, name: str, password: str | None = None, *, network_slug: str | None = None,
                       platform_admin: bool = False) -> User:
    """CLI: make a coordinator account (no city) of a network (default: the installation's default network);
    ``platform_admin`` also makes it the installation's administration."""
    from network.core.current import default_network_slug
    from network.networks.models import NetworkRole
    from network.networks.services import network_by_slug
    c = Checker()
    email = c.email("email", email)
    if "email" not in c.errors and find_user_by_email(email):
        c.add("email", _("Mit dieser E-Mail-Adresse gibt es bereits ein Konto."))
    if password is not None:
        c.password("password", password, email=email)
    c.done()
    network = network_by_slug(network_slug or default_network_slug())
    if network is None and not platform_admin:
        c.add("network", _("Dieses Netzwerk gibt es nicht."))
    c.done()
    user = User(email=email, name=name, role="lead", is_platform_admin=platform_admin)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    if network is not None:
        db.session.add(NetworkRole(network_id=network.id, user_id=user.id, role="coordinator"))
        db.session.flush()
        db.session.expire(user, ["coordinated_slugs"])
    audit.record(None, "user.coordinator_created", obj=user, summary=f"Koordination {email} angelegt")
    return user
