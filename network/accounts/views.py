"""Login, logout, invitations, password reset, profile and personal API tokens."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from network.accounts import services
from network.accounts.forms import (AcceptInviteForm, EmptyForm, LoginForm, NewPasswordForm, PasswordChangeForm,
                                    ProfileForm, ResetRequestForm, TokenForm)
from network.accounts.models import ApiToken
from network.core.boundary import keep_changes, on_invalid
from network.core.forms import safe_next
from network.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _login(user):
    """Start a fresh session (new cookie, new server-side row)."""
    session.clear()
    services.start_session(user, request.headers.get("User-Agent", ""))
    login_user(user)
    session.permanent = True


@bp.route("/anmelden", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        from network.sso import services as sso
        provider = sso.login_provider_for_email(form.email.data)
        if provider is not None and (not form.password.data or not sso.password_login_allowed(
                form.email.data, services.find_user_by_email(form.email.data) if form.password.data else None)):
            # an address of a city with its own identity provider logs in there (issue #18)
            session[sso.HINT_KEY] = form.email.data.strip().lower()
            session[sso.NEXT_KEY] = form.next.data or ""
            return redirect(url_for("sso.forward", slug=provider.municipality.slug))
        try:
            # the client address is the proxy's X-Forwarded-For only when PROXY_FIX_X_FOR is configured
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except services.LoginFailed as exc:
            keep_changes()  # the throttle counts this failure although the answer is an error
            form.form_errors.append(str(exc))
            return render_template("accounts/login.html", form=form), 200
        if user.has_2fa:
            return start_second_step(user, form.next.data)
        _login(user)
        return redirect(safe_next(form.next.data))
    return render_template("accounts/login.html", form=form)


@bp.route("/abmelden", methods=["POST"])
@login_required
def logout():
    """End this browser's session for good."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    from network.sso import services as sso
    sso_state = session.get(sso.SESSION_KEY)
    services.end_session(current_user.current_session_key)
    logout_user()
    session.clear()
    provider_logout = sso.provider_logout_url(sso_state, url_for("main.index", _external=True))
    if provider_logout:
        # the login came through the city's identity provider: end its session too (RP-initiated logout)
        session[sso.LOGOUT_KEY] = provider_logout
        return redirect(url_for("sso.logged_out"))
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("main.index"))


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer does not reveal whether the account exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("Wenn ein Konto mit dieser Adresse existiert, haben wir Ihnen einen Link geschickt. Er ist eine Stunde gültig."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


def _token_page(purpose: str, token: str, form, template: str, on_valid):
    """The token's form page; on a valid submission the result of ``on_valid(form)`` (a User)."""
    # a bad link is not a form error: its own page says why (404 unknown, 410 used or expired)
    on_invalid(lambda exc: render_template("accounts/token_invalid.html",
                                           message=exc.errors.get("token") or next(iter(exc.errors.values()))))
    row = services.check_token(token, purpose)
    if request.method == "GET" and "name" in form._fields:
        form.name.data = row.user.name
    if form.validate_on_submit():
        on_invalid(template, form, form=form, token_user=row.user)
        return on_valid(form)
    return render_template(template, form=form, token_user=row.user)


@bp.route("/einladung/<token>", methods=["GET", "POST"])
def accept_invite(token):
    """Accept an invitation: set name and password, then land on the city's page."""
    form = AcceptInviteForm()

    def accept(f):
        return services.accept_invitation(token, password=f.password.data, password2=f.password2.data, name=f.name.data)

    result = _token_page("invite", token, form, "accounts/accept_invite.html", accept)
    if not isinstance(result, services.User):
        return result
    if current_user.is_authenticated:
        # another account was logged in in this browser: end its session now, not on a GET
        # (a GET that logs out lets any page log our users out with an <img src>)
        services.end_session(current_user.current_session_key)
        logout_user()
    _login(result)
    flash(_("Willkommen im Städtenetz! Ihr Konto ist eingerichtet."), "success")
    if result.municipality:
        return redirect(url_for("municipalities.detail", slug=result.municipality.slug))
    return redirect(url_for("main.index"))


@bp.route("/passwort-zuruecksetzen/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Set a new password with an emailed single-use link."""
    form = NewPasswordForm()

    def reset(f):
        return services.reset_password(token, password=f.password.data, password2=f.password2.data)

    result = _token_page("reset", token, form, "accounts/reset_password.html", reset)
    if not isinstance(result, services.User):
        return result
    if current_user.is_authenticated:
        logout_user()  # its session row is gone with all the others
        session.clear()
    flash(_("Ihr Passwort wurde geändert. Alle Anmeldungen, API-Tokens und Ihr Kalender-Feed wurden beendet. "
            "Bitte melden Sie sich an."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def profile():
    """Name and language."""
    form = ProfileForm(obj=current_user)
    pw_form = PasswordChangeForm(prefix="pw")
    if form.validate_on_submit():
        on_invalid("accounts/profile.html", form, form=form, pw_form=pw_form)
        services.update_profile(current_user, name=form.name.data, language=form.language.data)
        flash(_("Ihr Profil wurde gespeichert."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, pw_form=pw_form)


@bp.route("/profil/passwort", methods=["POST"])
@login_required
def change_password():
    """Change the password (asks the current one); other sessions and open reset links end."""
    form = ProfileForm(obj=current_user, formdata=None)
    pw_form = PasswordChangeForm(prefix="pw")
    if not pw_form.validate_on_submit():
        return render_template("accounts/profile.html", form=form, pw_form=pw_form), 400
    on_invalid("accounts/profile.html", pw_form, form=form, pw_form=pw_form)
    services.change_password(current_user, current=pw_form.current_password.data,
                             password=pw_form.password.data, password2=pw_form.password2.data)
    flash(_("Ihr Passwort wurde geändert. Andere Sitzungen und offene Links zum Zurücksetzen wurden beendet."),
          "success")
    return redirect(url_for("accounts.profile"))


def _token_rows():
    return db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).scalars().all()


@bp.route("/profil/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """List, create personal API tokens (scope and lifetime chosen here); a new token is shown once."""
    form = TokenForm()
    if request.method == "GET":
        form.days.data = str(current_app.config["API_TOKEN_DEFAULT_DAYS"])
    new_token = None
    if form.validate_on_submit():
        on_invalid(lambda exc: render_template("accounts/tokens.html", form=form, rows=_token_rows(), new_token=None,
                                               revoke_form=EmptyForm()), form)
        _token, new_token = services.create_api_token(current_user, form.name.data, scope=form.scope.data,
                                                      days=form.days.data)
        form = TokenForm(formdata=None)
    return render_template("accounts/tokens.html", form=form, rows=_token_rows(), new_token=new_token,
                           revoke_form=EmptyForm())


@bp.route("/profil/tokens/<int:token_id>/widerrufen", methods=["POST"])
@login_required
def revoke_token(token_id):
    """Revoke one of one's own tokens."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    token = services.revoke_api_token(current_user, token_id)
    flash(_("Der Token „%(name)s“ wurde widerrufen.", name=token.name), "success")
    return redirect(url_for("accounts.tokens"))


from network.accounts.twofa_views import start_second_step  # noqa: E402  (registers the 2FA routes on bp)
