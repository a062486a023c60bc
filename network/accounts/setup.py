"""Wiring of the accounts domain: its sentences in the audit log (accounts are named, never linked)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from network.accounts.models import ApiToken, User
from network.extensions import db

SENTENCES = {
    "user.invited": _l("%(actor)s hat %(object)s eingeladen."),
    "user.reinvited": _l("%(actor)s hat die Einladung an %(object)s erneut geschickt."),
    "user.invitation_accepted": _l("%(actor)s hat die Einladung angenommen."),
    "user.login": _l("%(actor)s hat sich angemeldet."),
    "user.reset_requested": _l("%(actor)s hat ein neues Passwort angefordert."),
    "user.password_reset": _l("%(actor)s hat ein neues Passwort gesetzt."),
    "user.password_changed": _l("%(actor)s hat das Passwort geändert."),
    "user.profile_updated": _l("%(actor)s hat das eigene Profil geändert."),
    "user.role_changed": _l("%(actor)s hat die Rolle von %(object)s geändert."),
    "user.activated": _l("%(actor)s hat das Konto von %(object)s wieder freigeschaltet."),
    "user.deactivated": _l("%(actor)s hat das Konto von %(object)s gesperrt."),
    "user.2fa_enabled": _l("%(actor)s hat die Zwei-Faktor-Anmeldung eingeschaltet."),
    "user.2fa_disabled": _l("%(actor)s hat die Zwei-Faktor-Anmeldung ausgeschaltet."),
    "user.2fa_reset": _l("%(actor)s hat die Zwei-Faktor-Anmeldung von %(object)s zurückgesetzt."),
    "token.created": _l("%(actor)s hat den API-Schlüssel %(object)s angelegt."),
    "token.revoked": _l("%(actor)s hat den API-Schlüssel %(object)s widerrufen."),
}


def user_links(ids, reader) -> dict:
    """Accounts have no page of their own: named only."""
    rows = db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all()
    return {r.id: (r.name, None) for r in rows}


def token_links(ids, reader) -> dict:
    """API tokens by their name (the audit log is read by the token's city or coordination only)."""
    rows = db.session.execute(sa.select(ApiToken.id, ApiToken.name).where(ApiToken.id.in_(ids))).all()
    return {r.id: (r.name, None) for r in rows}


def init_app(app) -> None:
    """Register the audit sentences and account names (core/audit.describe)."""
    from network.core.audit import register_object_links, register_sentences
    register_sentences(app, SENTENCES, ("User", "ApiToken"))
    register_object_links(app, "User", user_links)
    register_object_links(app, "ApiToken", token_links)
