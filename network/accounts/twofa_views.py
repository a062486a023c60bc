"""Two-factor authentication pages: the second login step, setup and status in the profile, coordinator reset."""

import time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.accounts import twofactor
from network.accounts.forms import CodeForm, DisableTwoFactorForm, EmptyForm
from network.accounts.models import User
from network.accounts.services import LoginFailed
from network.accounts.views import _login, bp
from network.core.boundary import keep_changes, on_invalid
from network.core.forms import safe_next, submitted, succeeded
from network.extensions import db, limiter

PENDING = "twofa_pending"
SETUP = "twofa_setup_secret"
#: what a user who must still set up 2FA may reach (everything else redirects to the setup page)
SETUP_ALLOWED = {"accounts.twofa", "accounts.logout", "static", "main.language", "main.health"}


def start_second_step(user, next_url):
    """Password accepted: remember the account (not yet logged in) and ask for the code."""
    session.clear()
    session[PENDING] = {"uid": user.id, "at": time.time(), "next": next_url or ""}
    return redirect(url_for("accounts.login_code"))


def _pending_user():
    """The account waiting for its second step, None if there is none or it is older than TWOFA_PENDING_SECONDS."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > current_app.config["TWOFA_PENDING_SECONDS"]:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, pending.get("uid"))
    return user if user is not None and user.active and user.has_2fa else None


@bp.route("/anmelden/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login_code():
    """Second login step: a code from the authenticator app or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user = _pending_user()
    if user is None:
        flash(_("Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut mit Ihrem Passwort an."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            twofactor.verify_login(user, form.code.data, request.remote_addr or "")
        except LoginFailed as exc:
            keep_changes()  # the throttle counts this failure although the answer is an error
            form.code.errors = [str(exc)]
            return render_template("accounts/login_code.html", form=form), 422
        next_url = session.get(PENDING, {}).get("next", "")
        _login(user)
        return redirect(safe_next(next_url))
    return render_template("accounts/login_code.html", form=form)


def _twofa_page(status=200, **ctx):
    """The profile's 2FA page: status, or the QR code of a pending setup."""
    secret = None
    if not current_user.has_2fa:
        secret = session.get(SETUP)
        if not secret:
            secret = session[SETUP] = twofactor.new_secret()
    ctx.setdefault("form", CodeForm())
    return render_template("accounts/twofa.html", secret=secret,
                           qr=twofactor.qr_svg(current_user, secret) if secret else None,
                           codes_form=ctx.pop("codes_form", CodeForm(prefix="codes")),
                           disable_form=ctx.pop("disable_form", DisableTwoFactorForm(prefix="off")),
                           required=twofactor.required_for(current_user), **ctx), status


def _twofa_form(form, name):
    """A posted form of the profile's 2FA page (broken: 400); a refusal shows the page again with it as ``name``."""
    submitted(form)
    on_invalid(lambda exc: _twofa_page(exc.status, **{name: form}), form)
    return form


@bp.route("/profil/2fa", methods=["GET", "POST"])
@login_required
def twofa():
    """Set up two-factor authentication (QR code or typed secret, confirmed with a code) or see its status."""
    form = CodeForm()
    if form.validate_on_submit():
        on_invalid(lambda exc: _twofa_page(exc.status, form=form), form)
        codes = twofactor.enable(current_user, session.get(SETUP), form.code.data)
        session.pop(SETUP, None)
        flash(_("Die Zwei-Faktor-Anmeldung ist eingerichtet."), "success")
        return _twofa_page(recovery_codes=codes)
    return _twofa_page()


@bp.route("/profil/2fa/codes", methods=["POST"])
@login_required
def twofa_codes():
    """Ten new recovery codes (needs a current code); the old ones stop working."""
    form = _twofa_form(CodeForm(prefix="codes"), "codes_form")
    codes = twofactor.regenerate_codes(current_user, form.code.data)
    flash(_("Neue Wiederherstellungscodes wurden erstellt; die alten gelten nicht mehr."), "success")
    return _twofa_page(recovery_codes=codes)


@bp.route("/profil/2fa/aus", methods=["POST"])
@login_required
def twofa_disable():
    """Switch two-factor authentication off (needs the password and a code)."""
    form = _twofa_form(DisableTwoFactorForm(prefix="off"), "disable_form")
    twofactor.disable(current_user, form.password.data, form.code.data)
    return succeeded(_("Die Zwei-Faktor-Anmeldung ist abgeschaltet."), url_for("accounts.twofa"))


@bp.route("/konten/<int:user_id>/2fa-zuruecksetzen", methods=["POST"])
@login_required
def twofa_reset(user_id):
    """Coordination: reset a person's two-factor authentication (lost phone); audited, the person is mailed."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    twofactor.reset(current_user, user)
    flash(_("Die Zwei-Faktor-Anmeldung von %(name)s wurde zurückgesetzt.", name=user.name), "success")
    if user.municipality is not None:
        return redirect(url_for("municipalities.users", slug=user.municipality.slug))
    return redirect(url_for("main.index"))


@bp.before_app_request
def _require_setup():
    """REQUIRE_2FA_FOR: such an account without 2FA reaches nothing but the setup page until it is done."""
    if request.path.startswith("/api/") or request.endpoint in SETUP_ALLOWED or not current_user.is_authenticated:
        return None
    if session.get("sso"):
        return None  # logged in through the city's identity provider: its second factor is the city's (issue #18)
    if twofactor.required_for(current_user):
        flash(_("Bitte richten Sie zuerst die Zwei-Faktor-Anmeldung ein."), "info")
        return redirect(url_for("accounts.twofa"))
    return None
