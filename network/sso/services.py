"""Single sign-on: a city's identity provider, the login through it (Authlib's Flask client), the rules of trust.

The protocol (discovery, state, nonce, PKCE S256, ID token signature and claims) is Authlib's; this module decides
what a verified login may do: the IdP's email counts only for the domains its city claims, an account deactivated
here stays deactivated, an account of another city is never taken over.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import gettext as _

from network.accounts.models import User
from network.accounts.services import find_user_by_email
from network.core import audit
from network.core.models import utcnow
from network.extensions import db
from network.sso.models import IdentityProvider, SsoDomain, SsoIdentity

#: session keys: a login through a city's provider (its city and id_token, for the logout); the email typed on the
#: login page and the page to return to while the user is at the provider; the provider's logout address
SESSION_KEY, HINT_KEY, NEXT_KEY, LOGOUT_KEY = "sso", "sso_hint", "sso_next", "sso_logout"

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SsoRefused(Exception):
    """A login the city's provider answered, but that we refuse; ``message`` is the German page text."""

    def __init__(self, code: str, message: str, status: int = 403, detail: str = ""):
        super().__init__(message)
        self.code, self.message, self.status, self.detail = code, message, status, detail


class IdpUnavailable(Exception):
    """The city's provider does not answer (or answers nonsense): tell the user, offer the password if allowed."""


# --- reading -------------------------------------------------------------------------------------


def email_domain(email: str) -> str:
    email = (email or "").strip().lower()
    return email.rsplit("@", 1)[1] if "@" in email else ""


def provider_of(city) -> IdentityProvider | None:
    """The city's provider (enabled or not), or None."""
    return db.session.execute(
        sa.select(IdentityProvider).where(IdentityProvider.municipality_id == city.id)).scalar_one_or_none()


def provider_for_email(email: str) -> IdentityProvider | None:
    """The provider whose city claims the address's domain (enabled or not), or None."""
    domain = email_domain(email)
    if not domain:
        return None
    return db.session.execute(
        sa.select(IdentityProvider).join(SsoDomain, SsoDomain.provider_id == IdentityProvider.id)
        .where(SsoDomain.domain == domain)).scalar_one_or_none()


def login_provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider the login page sends this address to, or None."""
    provider = provider_for_email(email)
    return provider if provider is not None and provider.enabled else None


def password_login_allowed(email: str, user: User | None = None) -> bool:
    """False when the address's city switched password login off for its domains (the platform administration
    keeps its password: it belongs to no city)."""
    provider = provider_for_email(email)  # asked for every address alike (the reset form's equal work)
    if user is not None and user.is_platform_admin:
        return True
    # a switched-off provider must not lock the city out: then the password works again
    return not (provider is not None and provider.enabled and provider.password_login_disabled)


def redirect_uri(city) -> str:
    from flask import url_for
    return url_for("sso.callback", slug=city.slug, _external=True)



# --- the OpenID Connect client -------------------------------------------------------------------

#: issuer -> discovery document (with "jwks" once fetched and "_loaded_at"), per process
_metadata_cache: dict[str, dict] = {}


def _forget_metadata(issuer: str) -> None:
    _metadata_cache.pop(issuer, None)


def begin_login(provider: IdentityProvider, login_hint: str = ""):
    """The redirect to the provider's authorization endpoint (OpenID Connect: network.sso.oidc, which loads Authlib
    with the first login through a provider, not in every worker)."""
    from network.sso import oidc
    return oidc.begin_login(provider, login_hint)


def finish_login(provider: IdentityProvider) -> tuple[User, dict]:
    """Verify the provider's answer on the callback and find or create the account (network.sso.oidc)."""
    from network.sso import oidc
    return oidc.finish_login(provider)


def _clean_name(claims: dict, email: str) -> str:
    name = claims.get("name") or " ".join(p for p in (claims.get("given_name"), claims.get("family_name")) if p)
    name = unicodedata.normalize("NFC", _CONTROL.sub(" ", str(name or ""))).strip()
    return " ".join(name.split())[:120] or email.split("@")[0][:120]


def _groups(provider: IdentityProvider, claims: dict) -> list[str]:
    value = claims.get(provider.groups_claim)
    if isinstance(value, str):
        return [value]
    return [str(g) for g in value] if isinstance(value, (list, tuple)) else []


def role_for(provider: IdentityProvider, groups: list[str]) -> str:
    """The role a new account gets: lead if any of its groups maps to lead, else staff."""
    roles = {provider.role_map.get(g) for g in groups}
    return "lead" if "lead" in roles else "staff"


def _refuse(code: str, message: str, detail: str = "", status: int = 403):
    raise SsoRefused(code, message, status, detail)


def login_with_claims(provider: IdentityProvider, claims: dict) -> User:
    """The account for verified claims: found by subject, linked by email in the same city, or created here."""
    city = provider.municipality
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or "").strip().lower()
    if not subject or len(subject) > 255:
        _refuse("claims", _("Der Identitätsanbieter hat keine gültige Kennung (sub) übermittelt."), "sub")
    if not email or "@" not in email or len(email) > 254:
        _refuse("claims", _("Der Identitätsanbieter hat keine E-Mail-Adresse übermittelt. Bitten Sie Ihre IT, den "
                            "Claim „email“ freizugeben."), "email missing")
    if claims.get("email_verified") is False:
        _refuse("email_unverified", _("Ihre E-Mail-Adresse ist beim Identitätsanbieter nicht bestätigt."), email)
    if email_domain(email) not in provider.domain_names:
        _refuse("foreign_domain", _("Die Anmeldung von %(city)s gilt nur für Adressen von %(domains)s. Bitte melden "
                                    "Sie sich über Ihre eigene Verwaltung an.", city=city.name,
                                    domains=", ".join(provider.domain_names)), email)
    now = utcnow()
    name = _clean_name(claims, email)
    identity = db.session.execute(sa.select(SsoIdentity).where(SsoIdentity.provider_id == provider.id,
                                                               SsoIdentity.subject == subject)).scalar_one_or_none()
    user = identity.user if identity is not None else find_user_by_email(email)
    if user is not None and user.municipality_id != city.id:
        _refuse("account_elsewhere", _("Zu dieser Anmeldung gehört ein Konto, das nicht zu %(city)s gehört. Bitte "
                                       "wenden Sie sich an die Netzwerkkoordination.", city=city.name), email)
    if user is not None and not user.active:
        _refuse("deactivated", _("Ihr Konto im Städtenetz ist deaktiviert. Bitte wenden Sie sich an die "
                                 "Digitalisierungsbeauftragten Ihrer Kommune."), email)
    if user is not None and identity is not None and user.email != email:
        other = find_user_by_email(email)
        if other is not None and other.id != user.id:
            _refuse("email_taken", _("Die neue E-Mail-Adresse gehört bereits zu einem anderen Konto. Bitte wenden "
                                     "Sie sich an die Digitalisierungsbeauftragten Ihrer Kommune."), email)
    if user is None and city.status != "member":
        _refuse("city_left", _("%(city)s ist nicht mehr Mitglied eines Netzwerks; neue Konten werden nicht "
                               "angelegt.", city=city.name), email)
    if user is None:
        role = role_for(provider, _groups(provider, claims))
        user = User(email=email, name=name, role=role, municipality_id=city.id, language="de")
        db.session.add(user)
        db.session.flush()
        audit.record(None, "sso.user_created", obj=user, municipality_id=city.id,
                     summary=f"{email} bei der ersten Anmeldung über den Identitätsanbieter angelegt ({role})",
                     role=role, issuer=provider.issuer)
    else:
        changed = {}
        if user.email != email:
            changed["email"] = [user.email, email]
            user.email = email
        if user.name != name:
            changed["name"] = [user.name, name]
            user.name = name
        if changed:
            audit.record(None, "sso.user_updated", obj=user, municipality_id=city.id,
                         summary=f"Name/E-Mail von {email} vom Identitätsanbieter übernommen", fields=sorted(changed))
    if identity is None:
        identity = SsoIdentity(provider_id=provider.id, user_id=user.id, subject=subject)
        db.session.add(identity)
    identity.last_login_at = now
    user.last_login_at = now
    audit.record(user, "sso.login", obj=user, municipality_id=city.id,
                 summary=f"{email} über den Identitätsanbieter von {city.name} angemeldet", issuer=provider.issuer)
    db.session.flush()
    return user


def record_refusal(provider: IdentityProvider | None, city, code: str, detail: str = "") -> None:
    """Every refused single sign-on in the audit log of the city (the only row such a request writes)."""
    audit.record(None, "sso.refused", obj=city, municipality_id=getattr(city, "id", None),
                 summary=f"Anmeldung über den Identitätsanbieter abgelehnt: {code}", reason=code,
                 detail=(detail or "")[:300], issuer=getattr(provider, "issuer", None))
    db.session.flush()


def provider_logout_url(state, post_logout_redirect_uri: str) -> str | None:
    """The provider's logout address for a session that logged in through it (state: the session's SESSION_KEY
    value), or None: nothing more to do."""
    if not isinstance(state, dict) or not isinstance(state.get("city"), int):
        return None
    if isinstance(state.get("saml"), dict):
        provider = db.session.execute(
            sa.select(IdentityProvider).where(IdentityProvider.municipality_id == state["city"])).scalar_one_or_none()
        if provider is None or not provider.enabled or provider.kind != "saml":
            return None
        from network.sso import saml
        return saml.logout_url(provider, state["saml"])
    return logout_url(state["city"], state.get("id_token"), post_logout_redirect_uri)


def logout_url(city_id: int, id_token: str | None, post_logout_redirect_uri: str) -> str | None:
    """The OpenID Connect provider's end_session_endpoint with our hints, or None (network.sso.oidc)."""
    from network.sso import oidc
    return oidc.logout_url(city_id, id_token, post_logout_redirect_uri)


# the settings live in network/sso/settings.py; services.save_provider stays their name
from network.sso.settings import save_provider  # noqa: E402,F401
