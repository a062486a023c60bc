"""SAML 2.0 pages of single sign-on (issue #18): our SP metadata, the assertion consumer service, the return from
the IdP's single logout. The login starts at sso.start like OpenID Connect (the login page routes by email domain).
"""

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from network.extensions import csrf, limiter
from network.municipalities.services import get_by_slug_or_404
from network.sso import services
from network.sso.views import _unavailable, bp, logged_in, refused_page


def _saml_provider(city):
    provider = services.provider_of(city)
    if provider is None or not provider.enabled or provider.kind != "saml":
        abort(404)
    return provider


@bp.route("/anmelden/saml/<slug>/metadata")
def saml_metadata(slug):
    """Our SP's metadata for the city's IdP (entityID = this address; signing certificate, ACS, SLO). Public and
    offered before the IdP is registered: the city's IT configures its side first."""
    from network.sso import saml  # pysaml2 (about 30 MB per worker) is loaded only where SAML is used
    city = get_by_slug_or_404(slug)
    response = Response(saml.sp_metadata(city), mimetype="application/samlmetadata+xml")
    response.headers["Content-Disposition"] = f'attachment; filename="staedtenetz-{city.slug}-sp-metadata.xml"'
    return response


@bp.route("/anmelden/saml/<slug>/acs", methods=["POST"])
@csrf.exempt  # the IdP's form posts here; the signed assertion and our signed RelayState stand in for the token
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"])
def saml_acs(slug):
    """Assertion consumer service: the IdP's signed answer, verified by pysaml2, then the account is found, linked
    or created in this city."""
    city = get_by_slug_or_404(slug)
    provider = _saml_provider(city)
    from network.sso import saml
    try:
        user, state, next_url = saml.finish_login(provider, request.form.get("SAMLResponse", ""),
                                                  request.form.get("RelayState", ""))
    except services.SsoRefused as exc:
        return refused_page(provider, city, exc)
    except services.IdpUnavailable as exc:
        return _unavailable(provider, city, exc)
    return logged_in(user, state, next_url)


@bp.route("/anmelden/saml/<slug>/slo")
def saml_slo(slug):
    """The IdP sends the browser back after its single logout; our session ended before we sent it there.
    (IdP-initiated logout requests are not supported: the address answers them with the start page and ends no
    session, so that a link cannot log anybody out.)"""
    get_by_slug_or_404(slug)
    if not current_user.is_authenticated:
        flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("main.index"))
