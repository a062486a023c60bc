"""Single sign-on pages: the city's identity provider settings, the way to the provider and back."""

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from network.accounts import services as accounts
from network.accounts.forms import LoginForm
from network.core.boundary import keep_changes, on_invalid
from network.core.forms import safe_next
from network.core.permissions import require
from network.extensions import db, limiter
from network.municipalities.services import get_by_slug_or_404
from network.sso import services
from network.sso.forms import ProviderForm

log = logging.getLogger(__name__)

bp = Blueprint("sso", __name__)

SESSION_KEY, HINT_KEY, NEXT_KEY, LOGOUT_KEY = (services.SESSION_KEY, services.HINT_KEY, services.NEXT_KEY,
                                               services.LOGOUT_KEY)


def _settings_data(form, city):
    data = {k: form._fields[k].data for k in ("kind", "issuer", "client_id", "client_secret", "scopes",
                                              "metadata_url", "metadata_xml",
                                              "groups_claim", "role_map", "domains", "enabled",
                                              "password_login_disabled", "version")}
    return data


def _settings_page(city, form, provider, status=200):
    from network.sso import saml
    return render_template("sso/settings.html", city=city, form=form, provider=provider,
                           redirect_uri=services.redirect_uri(city), saml_metadata_url=saml.metadata_url(city),
                           saml_acs_url=saml.acs_url(city), saml_slo_url=saml.slo_url(city)), status


@bp.route("/kommunen/<slug>/anmeldung", methods=["GET", "POST"])
@login_required
def settings(slug):
    """The city's lead (or the platform administration): register the city's identity provider and its domains."""
    city = get_by_slug_or_404(slug)
    require(current_user, "sso.manage", city)
    provider = services.provider_of(city)
    form = ProviderForm()
    if request.method == "GET" and provider is not None:
        form.kind.data, form.client_id.data = provider.kind, provider.client_id
        form.issuer.data = provider.issuer if provider.kind == "oidc" else ""
        form.metadata_url.data = provider.metadata_url
        form.metadata_xml.data = provider.metadata_xml if not provider.metadata_url else ""
        form.scopes.data, form.groups_claim.data = provider.scopes, provider.groups_claim
        form.role_map.data = "\n".join(f"{g} = {r}" for g, r in sorted(provider.role_map.items()))
        form.domains.data = "\n".join(provider.domain_names)
        form.enabled.data, form.password_login_disabled.data = provider.enabled, provider.password_login_disabled
    if form.validate_on_submit():
        on_invalid(lambda exc: _settings_page(city, form, provider, exc.status), form)
        services.save_provider(current_user, city, _settings_data(form, city))
        flash(_("Die Anmeldung über den Identitätsanbieter von %(city)s ist gespeichert.", city=city.name), "success")
        return redirect(url_for("sso.settings", slug=city.slug))
    return _settings_page(city, form, provider, 422 if form.errors else 200)


@bp.route("/anmelden/sso/<slug>/weiter")
def forward(slug):
    """The login page sent an address of this city here: a page of ours that moves on to the city's provider (a
    link, and a refresh without script). A redirect straight from the login form's POST to the provider would be a
    form submission to another origin, which our Content-Security-Policy (form-action 'self') forbids."""
    city = get_by_slug_or_404(slug)
    provider = services.provider_of(city)
    if provider is None or not provider.enabled:
        abort(404)
    return render_template("sso/forward.html", city=city, url=url_for("sso.start", slug=city.slug))


@bp.route("/abgemeldet")
def logged_out():
    """After our logout: on to the provider's logout (RP-initiated), when the login came through it."""
    url = session.pop(LOGOUT_KEY, None)
    if not url:
        return redirect(url_for("main.index"))
    return render_template("sso/logout.html", url=url)


def _unavailable(provider, city, exc):
    """The provider does not answer: say so; the password where the city allows it. Nothing is written (the
    address is a GET that a crawler may call); the log names the provider."""
    log.warning("identity provider of %s unavailable: %s", city.slug, exc)
    email = session.get(HINT_KEY, "")
    form = LoginForm(formdata=None, email=email, next=session.get(NEXT_KEY, ""))
    return render_template("sso/unavailable.html", city=city, form=form,
                           password_allowed=services.password_login_allowed(email)), 503


@bp.route("/anmelden/sso/<slug>")
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"])
def start(slug):
    """Send the browser to the city's provider (state, nonce and PKCE stay in our session)."""
    city = get_by_slug_or_404(slug)
    provider = services.provider_of(city)
    if provider is None or not provider.enabled:
        abort(404)
    try:
        if provider.kind == "saml":
            from network.sso import saml
            return redirect(saml.begin_login(provider, session.get(NEXT_KEY, "")))
        return services.begin_login(provider, login_hint=session.get(HINT_KEY, ""))
    except services.IdpUnavailable as exc:
        return _unavailable(provider, city, exc)


@bp.route("/anmelden/sso/<slug>/rueckruf")
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"])
def callback(slug):
    """The provider's answer: verified by Authlib, then the account is found, linked or created in this city."""
    city = get_by_slug_or_404(slug)
    provider = services.provider_of(city)
    if provider is None or not provider.enabled or provider.kind != "oidc":
        abort(404)
    try:
        user, token = services.finish_login(provider)
    except services.IdpUnavailable as exc:
        return _unavailable(provider, city, exc)
    except services.SsoRefused as exc:
        return refused_page(provider, city, exc)
    id_token = token.get("id_token") or ""
    return logged_in(user, {"city": city.id, "id_token": id_token if len(id_token) < 1800 else ""},
                     session.get(NEXT_KEY, ""))


def refused_page(provider, city, exc):
    """The German page of a refused login; the refusal is audited, nothing else of the request is written."""
    db.session.rollback()
    services.record_refusal(provider, city, exc.code, exc.detail)
    keep_changes()
    return render_template("sso/refused.html", city=city, message=exc.message,
                           password_allowed=services.password_login_allowed(session.get(HINT_KEY, ""))), exc.status


def logged_in(user, state: dict, next_url: str):
    """A fresh session for the user the city's provider vouched for (state: what the logout needs)."""
    session.clear()
    accounts.start_session(user, request.headers.get("User-Agent", ""))
    login_user(user)
    session.permanent = True
    session[SESSION_KEY] = state
    # no welcome message: a banner on every login is noise (issue #21 item 10), as for the password login
    return redirect(safe_next(next_url))


from network.sso import saml_views  # noqa: E402,F401  (the SAML routes on this blueprint)
