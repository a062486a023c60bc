"""Single sign-on over OpenID Connect: Authlib's Flask client for a city's provider, the login's two legs.

Imported by network.sso.services where a login through a provider starts or returns, so that a web worker that
never serves one does not load Authlib and requests (issue #17: worker memory). What a verified login may do is
decided in services.login_with_claims.
"""

from __future__ import annotations

import time

import requests
import sqlalchemy as sa
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app
from flask_babel import gettext as _
from joserfc.errors import JoseError

from network.accounts.models import User
from network.extensions import db
from network.sso import crypto
from network.sso.models import IdentityProvider
from network.sso.services import (
    IdpUnavailable,
    SsoRefused,
    _metadata_cache,
    login_with_claims,
    redirect_uri,
)


def _client(provider: IdentityProvider) -> FlaskOAuth2App:
    """Authlib's Flask client for this city's provider; the discovery document is read once per few minutes."""
    name = f"sso_{provider.municipality_id}"
    cached = _metadata_cache.get(provider.issuer)
    if cached and time.time() - cached.get("_loaded_at", 0) > current_app.config["SSO_METADATA_SECONDS"]:
        cached = None
    client = FlaskOAuth2App(
        FlaskIntegration(name), name=name, client_id=provider.client_id,
        client_secret=crypto.decrypt(provider.client_secret_encrypted),
        server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256",
                       "default_timeout": current_app.config["SSO_HTTP_TIMEOUT"]},
        **(dict(cached) if cached else {}))
    return client


def _load_metadata(provider: IdentityProvider, client: FlaskOAuth2App) -> dict:
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        raise IdpUnavailable(str(exc)) from exc
    if str(metadata.get("issuer", "")).rstrip("/") != provider.issuer:
        # discovery must name the configured issuer (OpenID Connect Discovery 1.0, 4.3)
        raise IdpUnavailable(f"issuer mismatch: {metadata.get('issuer')!r}")
    return metadata


def _remember_metadata(provider: IdentityProvider, client: FlaskOAuth2App) -> None:
    _metadata_cache[provider.issuer] = dict(client.server_metadata)


def begin_login(provider: IdentityProvider, login_hint: str = ""):
    """The redirect to the provider's authorization endpoint (state, nonce and PKCE kept in the session)."""
    client = _client(provider)
    _load_metadata(provider, client)
    kwargs = {"login_hint": login_hint} if login_hint and len(login_hint) <= 254 else {}
    try:
        response = client.authorize_redirect(redirect_uri(provider.municipality), **kwargs)
    except (requests.RequestException, ValueError) as exc:
        raise IdpUnavailable(str(exc)) from exc
    _remember_metadata(provider, client)
    return response


def finish_login(provider: IdentityProvider) -> tuple[User, dict]:
    """Verify the provider's answer on the callback and find or create the account; raises SsoRefused or
    IdpUnavailable. Returns the user and the token (its id_token is kept for the logout)."""
    client = _client(provider)
    _load_metadata(provider, client)
    try:
        token = client.authorize_access_token()
    except MismatchingStateError as exc:
        raise SsoRefused("state", _("Die Anmeldung konnte keiner hier begonnenen Anmeldung zugeordnet werden. Bitte "
                                    "starten Sie die Anmeldung erneut."), 400, "state mismatch") from exc
    except OAuthError as exc:
        if exc.error == "access_denied":
            raise SsoRefused("access_denied", _("Die Anmeldung wurde beim Identitätsanbieter Ihrer Kommune "
                                                "abgebrochen."), 403, exc.description or "") from exc
        raise SsoRefused("oauth", _("Der Identitätsanbieter Ihrer Kommune hat die Anmeldung abgelehnt."), 403,
                         f"{exc.error}: {exc.description}"[:300]) from exc
    except JoseError as exc:
        detail = f"{exc.__class__.__name__}: {exc}"[:300]
        if "nonce" in str(exc).lower():
            raise SsoRefused("nonce", _("Die Antwort des Identitätsanbieters gehört nicht zu dieser Anmeldung "
                                        "(Nonce). Bitte starten Sie die Anmeldung erneut."), 400, detail) from exc
        raise SsoRefused("id_token", _("Die Antwort des Identitätsanbieters ist ungültig (ID-Token)."), 400,
                         detail) from exc
    except (requests.RequestException, ValueError) as exc:
        raise IdpUnavailable(str(exc)) from exc
    claims = token.get("userinfo")
    if not claims:
        # no ID token, or one that was not checked against a nonce: never trusted
        raise SsoRefused("id_token", _("Die Antwort des Identitätsanbieters ist ungültig (ID-Token)."), 400,
                         "no verified id_token")
    claims = dict(claims)
    if "email" not in claims and client.server_metadata.get("userinfo_endpoint"):
        try:
            info = client.userinfo(token=token)
        except (requests.RequestException, ValueError, OAuthError) as exc:
            raise IdpUnavailable(str(exc)) from exc
        if info.get("sub") != claims.get("sub"):
            raise SsoRefused("userinfo", _("Die Antwort des Identitätsanbieters ist ungültig (UserInfo)."), 400,
                             "userinfo sub mismatch")
        claims = {**dict(info), **claims}
    _remember_metadata(provider, client)
    return login_with_claims(provider, claims), token


def logout_url(city_id: int, id_token: str | None, post_logout_redirect_uri: str) -> str | None:
    """The provider's end_session_endpoint with our hints (RP-initiated logout), or None when it has none or does
    not answer (then only our session ends)."""
    provider = db.session.execute(
        sa.select(IdentityProvider).where(IdentityProvider.municipality_id == city_id)).scalar_one_or_none()
    if provider is None or not provider.enabled or provider.kind != "oidc":
        return None
    client = _client(provider)
    try:
        metadata = _load_metadata(provider, client)
    except IdpUnavailable:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    _remember_metadata(provider, client)
    result = client.create_logout_url(post_logout_redirect_uri=post_logout_redirect_uri,
                                      id_token_hint=id_token or None, client_id=provider.client_id)
    return result["url"]
