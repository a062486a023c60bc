"""Member cities: list, page, admission, master data, the city's accounts."""

import functools

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.accounts import services as accounts
from network.accounts.forms import EmptyForm, InviteForm, RoleForm
from network.accounts.models import User
from network.core.boundary import on_invalid
from network.core.forms import form_page, submitted, succeeded
from network.core.permissions import can, require
from network.core.tenancy import get_or_404
from network.extensions import db
from network.municipalities import services
from network.municipalities.forms import AdmitForm, MembershipForm, MunicipalityForm

bp = Blueprint("municipalities", __name__, url_prefix="/kommunen")


def _fields(form):
    return {k: form._fields[k].data for k in ("name", "kind", "district", "website", "population")}


@bp.route("/", endpoint="list")
def list_cities():
    """The member cities (public), 50 a page, filtered by name, Bundesland and Landkreis."""
    def arg(name):
        return request.args.get(name, "").strip()[:80]
    value = request.args.get("seite", "1")
    page = int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1
    filters = {"q": arg("q"), "land": arg("land"), "kreis": arg("kreis")}
    data = services.city_page(filters["q"], filters["land"], filters["kreis"], page)
    return render_template("municipalities/list.html", d=data, cities=data["cities"], filters=filters,
                           states=services.member_states(),
                           page_args={k: v for k, v in filters.items() if v})


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def new():
    """Coordinator: admit a city and invite its first lead."""
    require(current_user, "municipality.admit")

    def save(form):
        city = services.admit_municipality(current_user, _fields(form), lead_email=form.lead_email.data,
                                           lead_name=form.lead_name.data)
        flash(_("%(city)s wurde aufgenommen; die Einladung an %(email)s ist unterwegs.", city=city.name,
                email=form.lead_email.data), "success")
        return redirect(url_for("municipalities.detail", slug=city.slug))
    return form_page(AdmitForm(), "municipalities/new.html", save)


@bp.route("/<slug>")
def detail(slug):
    """A city's page: master data, and for its members the accounts and next steps."""
    return _render_detail(services.get_by_slug_or_404(slug))


def _render_detail(city, status=200, membership_form=None):
    members = []
    if can(current_user, "user.manage", city):
        members = db.session.execute(
            sa.select(User).where(User.municipality_id == city.id).order_by(User.name)
        ).scalars().all()
    if membership_form is None and can(current_user, "municipality.admit"):
        membership_form = MembershipForm(formdata=None, member="1" if city.status != "member" else "0")
    return render_template("municipalities/detail.html", city=city, members=members,
                           membership_form=membership_form), status


@bp.route("/<slug>/mitgliedschaft", methods=["POST"])
@login_required
def membership(slug):
    """The coordination records that a city leaves the network, or returns to it."""
    city = services.get_by_slug_or_404(slug)
    require(current_user, "municipality.admit")
    form = MembershipForm()
    if not form.validate_on_submit() or form.member.data not in ("0", "1"):
        abort(400)
    member = form.member.data == "1"
    on_invalid(lambda exc: _render_detail(city, exc.status, membership_form=form), form)
    services.set_membership(current_user, city, member=member, reason=form.reason.data)
    flash(_("%(city)s ist wieder Mitglied des Netzwerks. Reaktivieren Sie die Konten der Kommune einzeln.", city=city.name)
          if member else _("Der Austritt von %(city)s ist eingetragen; die Konten der Kommune sind deaktiviert.",
                           city=city.name), "success")
    return redirect(url_for("municipalities.detail", slug=city.slug))


@bp.route("/<slug>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(slug):
    """A city's lead or a coordinator edits its master data."""
    city = services.get_by_slug_or_404(slug)
    require(current_user, "municipality.edit_own", city)

    def save(form):
        services.update_municipality(current_user, city, _fields(form))
        return succeeded(_("Die Stammdaten wurden gespeichert."), url_for("municipalities.detail", slug=city.slug))
    return form_page(MunicipalityForm(obj=city), "municipalities/edit.html", save, city=city)


@bp.route("/<slug>/konten", methods=["GET", "POST"])
@login_required
def users(slug):
    """A city's accounts; the lead invites staff here."""
    city = services.get_by_slug_or_404(slug)
    require(current_user, "user.manage", city)
    form = InviteForm()
    if form.validate_on_submit():
        on_invalid(lambda exc: _users_page(city, form), form)
        user = accounts.invite_user(current_user, city, email=form.email.data, name=form.name.data,
                                    role=form.role.data)
        flash(_("Die Einladung an %(email)s ist unterwegs.", email=user.email), "success")
        return redirect(url_for("municipalities.users", slug=city.slug))
    return _users_page(city, form), 422 if form.errors else 200


def _users_page(city, form):
    members = db.session.execute(
        sa.select(User).where(User.municipality_id == city.id).order_by(User.active.desc(), User.name)
    ).scalars().all()
    return render_template("municipalities/users.html", city=city, members=members, form=form,
                           role_form=RoleForm, action_form=EmptyForm())


def _city_user(slug, user_id):
    city = services.get_by_slug_or_404(slug)
    require(current_user, "user.manage", city)
    user = get_or_404(User, user_id, own_only=True)
    if user.municipality_id != city.id:
        abort(404)
    return city, user


def _to_accounts(city, message=None):
    """Back to the city's account list, with a success message."""
    if message:
        flash(message, "success")
    return redirect(url_for("municipalities.users", slug=city.slug))


def _on_invalid_to_accounts(city):
    """A refused account action answers as before: its messages as notices on the account list (302)."""
    def page(exc):
        for message in exc.errors.values():
            flash(message, "danger")
        return _to_accounts(city), 302
    on_invalid(page)


def _account_action(rule, form_class=EmptyForm):
    """Register a POST on one account of the city at ``rule`` (the endpoint is the function's name): the city and
    the account (404; the permission, 403), the posted form (broken: 400), a refusal back to the account list with
    its messages; ``act(user, form)`` calls the service and returns the success message."""
    def register(act):
        @functools.wraps(act)
        @login_required
        def view(slug, user_id):
            city, user = _city_user(slug, user_id)
            form = submitted(form_class())
            _on_invalid_to_accounts(city)
            return _to_accounts(city, act(user, form))
        bp.add_url_rule(rule, act.__name__, view, methods=["POST"])
        return view
    return register


@_account_action("/<slug>/konten/<int:user_id>/rolle", RoleForm)
def set_role(user, form):
    """Change an account's role (lead/staff)."""
    accounts.set_role(current_user, user, form.role.data)
    return _("Die Rolle von %(name)s ist jetzt: %(role)s.", name=user.name, role=user.role_label)


@_account_action("/<slug>/konten/<int:user_id>/aktiv")
def set_active(user, form):
    """Deactivate or reactivate an account."""
    active = request.form.get("active") == "1"
    accounts.set_active(current_user, user, active)
    return _("%(name)s wurde aktiviert.", name=user.name) if active else _("%(name)s wurde deaktiviert.", name=user.name)


@_account_action("/<slug>/konten/<int:user_id>/einladung")
def resend_invite(user, form):
    """Send a fresh invitation link."""
    accounts.resend_invitation(current_user, user)
    return _("Eine neue Einladung an %(email)s ist unterwegs.", email=user.email)
