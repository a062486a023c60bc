"""Interest: public form with double opt-in, the city's registrations, following, notifications, privacy."""

import csv
import io
import json

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from network.accounts.forms import EmptyForm
from network.core.boundary import on_invalid
from network.core.forms import safe_next
from network.core.permissions import can, require
from network.core.templating import format_when
from network.extensions import limiter
from network.interest import privacy, services
from network.interest.forms import ContactedForm, DeleteAccountForm, RegistrationForm, make_preferences_form, \
    preference_field_name
from network.interest.models import EVENT_KINDS, MODES, REGISTRANT_KINDS
# the formula-injection guard of the topics matrix CSV, reused rather than duplicated
from network.core.csvutil import csv_safe as _csv_safe
from network.core.pagination import page_number

bp = Blueprint("interest", __name__)


def _lang() -> str:
    return str(get_locale() or "de")


def _link_invalid(exc):
    """The page for a login-free link that is invalid, expired or already used (exc.status: 404 or 410)."""
    return render_template("interest/link_invalid.html", message=exc.errors["token"])


# --- public registration ---------------------------------------------------------------------

def _registration_choices(form):
    form.municipality.choices = ([("", _("Bitte wählen")), (services.NETWORK, _("das gesamte Netzwerk"))]
                                 + [(slug, name) for slug, name in services.member_city_choices()])
    form.topics.choices = [(str(i), name) for i, name in services.topic_choices()]


@bp.route("/mitmachen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_INTEREST"], methods=["POST"])
def register():
    """Public form: register interest in working on topics with a city or the network (no login)."""
    form = RegistrationForm()
    _registration_choices(form)
    if not form.is_submitted():
        form.started.data = services.form_started_token()
        form.municipality.data = request.args.get("kommune", "")[:80]
        topic = request.args.get("thema", "")[:12]
        form.topics.data = [topic] if topic else []
        return render_template("interest/register.html", form=form)
    if not form.validate_on_submit():
        abort(400)
    data = {"name": form.name.data, "email": form.email.data, "kind": form.kind.data,
            "organisation": form.organisation.data, "message": form.message.data,
            "municipality": form.municipality.data, "topics": request.form.getlist("topics"),
            "consent": form.consent.data}

    def again(exc):
        """The form again; a lost timestamp is renewed so that the next try can pass."""
        if "form" in exc.errors and not (form.started.data or "").strip():
            form.started.data = services.form_started_token()
        return render_template("interest/register.html", form=form)
    on_invalid(again, form)
    services.register_interest(data, language=_lang(), honeypot=form.website.data, started=form.started.data)
    session["interest_sent_to"] = data["email"].strip()[:320]
    return redirect(url_for("interest.sent"))


@bp.route("/mitmachen/gesendet")
def sent():
    """After sending: please confirm with the link in the email."""
    return render_template("interest/sent.html", email=session.get("interest_sent_to"),
                           days=current_app.config["INTEREST_CONFIRM_DAYS"])


def _link_step(read, template: str, act, **context):
    """A page behind a link of our emails: ``read()`` checks the link (an invalid or expired one shows why), GET shows
    ``template`` with the registration and a button (a GET changes nothing), the button's POST answers ``act()``."""
    on_invalid(_link_invalid)
    reg = read()
    form = EmptyForm()
    if form.validate_on_submit():
        return act()
    return render_template(template, reg=reg, form=form, **context)


@bp.route("/mitmachen/bestaetigen/<token>", methods=["GET", "POST"])
def confirm(token):
    """Double opt-in: the link shows the registration; the button confirms it."""
    def confirmed():
        reg = services.confirm_registration(token)
        return render_template("interest/confirmed.html", reg=reg,
                               withdraw_link=url_for("interest.withdraw", token=services.withdraw_token(reg)))
    return _link_step(lambda: services.check_confirm_token(token), "interest/confirm.html", confirmed,
                      kinds=REGISTRANT_KINDS)


@bp.route("/mitmachen/zuruecknehmen/<token>", methods=["GET", "POST"])
def withdraw(token):
    """The registrant withdraws with the link from any of our emails: the data is deleted."""
    def withdrawn():
        services.withdraw_registration(token)
        return render_template("interest/withdrawn.html")
    return _link_step(lambda: services.registration_for_withdraw(token), "interest/withdraw.html", withdrawn)


# --- the city's registrations ----------------------------------------------------------------

def _filters():
    return {"kommune": request.args.get("kommune", "").strip()[:80] or None,
            "thema": request.args.get("thema", "").strip()[:80] or None}


@bp.route("/interessensbekundungen/")
@login_required
def registrations():
    """Confirmed registrations for the lead's city (coordination: all), filtered by topic and city."""
    f = _filters()
    rows, has_next, city = services.list_registrations(current_user, city_slug=f["kommune"], topic_slug=f["thema"],
                                                       page=page_number())
    cities = services.member_city_choices() if can(current_user, "interest.view_all") else []
    topics = services.topic_filter_choices()
    return render_template("interest/registrations.html", rows=rows, has_next=has_next, page=page_number(), city=city,
                           cities=cities, topics=topics, f=f, form=ContactedForm(),
                           args={k: v for k, v in f.items() if v})


@bp.route("/interessensbekundungen.csv")
@login_required
def registrations_csv():
    """The same list as CSV (semicolon-separated, UTF-8 with BOM for spreadsheet programs)."""
    f = _filters()
    rows, _more, city = services.list_registrations(current_user, city_slug=f["kommune"], topic_slug=f["thema"],
                                                    limit=None)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_safe(v) for v in (_("Eingang bestätigt"), _("Name"), _("E-Mail-Adresse"), _("Sie sind"),
                                            _("Organisation"), _("Kommune"), _("Themen"), _("Nachricht"),
                                            _("Kontaktiert am"))])
    for r in rows:
        writer.writerow([_csv_safe(v) for v in (
            format_when(r.confirmed_at), r.name, r.email, r.kind_label, r.organisation,
            r.municipality.name if r.municipality else _("gesamtes Netzwerk"),
            ", ".join(t.name for t in r.topics), r.message,
            format_when(r.contacted_at) if r.contacted_at else "")])
    name = f"interessensbekundungen-{city.slug if city else f['kommune'] or 'alle'}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.route("/interessensbekundungen/<int:registration_id>/kontaktiert", methods=["POST"])
@login_required
def mark_contacted(registration_id):
    """Mark a registration as contacted, or as open again."""
    form = ContactedForm()
    if not form.validate_on_submit():
        abort(400)
    reg = services.get_registration_or_404(current_user, registration_id)
    contacted = form.contacted.data != "0"
    services.set_contacted(current_user, reg, contacted)
    flash(_("„%(name)s“ ist als kontaktiert markiert.", name=reg.name) if contacted else
          _("„%(name)s“ ist wieder als offen markiert.", name=reg.name), "success")
    return redirect(safe_next(form.next.data, "interest.registrations"))


# --- following and notifications ------------------------------------------------------------------

@bp.route("/folgen", methods=["POST"])
@login_required
def follow():
    """Follow a topic, city, practice or body, or stop following it (form fields type, id, next)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    # a bad type or id answers with the error page and the service's message (422): nothing to re-render
    following, title = services.toggle_follow(current_user, request.form.get("type"), request.form.get("id"))
    flash(_("Sie folgen jetzt „%(title)s“.", title=title) if following else
          _("Sie folgen „%(title)s“ nicht mehr.", title=title) if title else _("Sie folgen dem nicht mehr."),
          "success")
    return redirect(safe_next(request.form.get("next"), "interest.settings"))


@bp.route("/profil/benachrichtigungen", methods=["GET", "POST"])
@login_required
def settings():
    """What the member follows, and per kind of event: immediately, weekly digest or off."""
    require(current_user, "follow.use")
    prefs = services.preferences(current_user)
    form = make_preferences_form(prefs, request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        modes = {kind: form[preference_field_name(kind)].data for kind in EVENT_KINDS}
        on_invalid(lambda exc: _settings_page(form), form)
        services.set_preferences(current_user, modes, digest=form.digest.data)
        flash(_("Ihre Benachrichtigungseinstellungen sind gespeichert."), "success")
        return redirect(url_for("interest.settings"))
    return _settings_page(form)


def _settings_page(form):
    """The settings page: the follows and one choice per kind of event."""
    return render_template("interest/settings.html", form=form, follows=services.list_follows(current_user),
                           kinds=EVENT_KINDS, modes=MODES, field_name=preference_field_name)


@bp.route("/benachrichtigungen/abbestellen/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """Login-free link from every notification email: turns the digest (or one kind of mail) off."""
    on_invalid(_link_invalid)
    user, kind = services.read_unsubscribe_token(token)
    form = EmptyForm()
    if form.validate_on_submit():
        services.unsubscribe(token)
        return render_template("interest/unsubscribed.html", label=services.kind_label(kind), done=True,
                               digest=kind == "digest")
    return render_template("interest/unsubscribed.html", label=services.kind_label(kind), done=False, form=form,
                           digest=kind == "digest")


# --- privacy ---------------------------------------------------------------------------------------

@bp.route("/profil/daten.json")
@login_required
def export():
    """Download every personal data record held about oneself as JSON."""
    data = privacy.export_personal_data(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=meine-daten-staedtenetz.json"})


@bp.route("/profil/konto-loeschen", methods=["GET", "POST"])
@login_required
def delete_account():
    """Delete one's own account after entering the password; authored content stays with the city."""
    require(current_user, "account.delete")
    form = DeleteAccountForm()
    blocker = privacy.deletion_blocker(current_user)
    if form.validate_on_submit():
        on_invalid("interest/delete_account.html", form, form=form, blocker=blocker)
        privacy.delete_account(current_user, form.password.data)
        logout_user()
        session.clear()  # the deletion is committed by the request boundary after this redirect is built
        flash(_("Ihr Konto wurde gelöscht. Ihre Beiträge bleiben bei der Kommune als „ehemaliges Mitglied“."),
              "success")
        return redirect(url_for("main.index"))
    return render_template("interest/delete_account.html", form=form, blocker=blocker)


@bp.route("/impressum")
def imprint():
    """The operator's Impressum (configured in Markdown)."""
    return render_template("interest/legal.html", title=_("Impressum"), text=privacy.legal_text("imprint"),
                           dpo=None)


@bp.route("/datenschutz")
def privacy_page():
    """The operator's privacy statement and the data-protection officer's contact."""
    return render_template("interest/legal.html", title=_("Datenschutzerklärung"),
                           text=privacy.legal_text("privacy"), dpo=privacy.dpo_contact())
