"""Networks pages: the installation's list, creating a network (platform administration), the switcher, and under
/n/<network>/ the network's public page and its coordination (members, settings, coordinators).

Views hold no transactions: services raise, core/boundary.py answers and commits.
"""

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.accounts.forms import EmptyForm
from network.core.boundary import check_version, on_invalid
from network.core.current import SESSION_KEY
from network.core.forms import safe_next
from network.core.permissions import can
from network.core.validation import ValidationFailed
from network.core.pagination import page_number
from network.extensions import db
from network.municipalities.models import Municipality
from network.municipalities.services import admit_municipality, get_by_slug_or_404
from network.networks import reading, services
from network.networks.forms import AdmitNewForm, CoordinatorForm, JoinForm, LeaveForm, NetworkForm, SettingsForm

bp = Blueprint("networks", __name__)
#: pages of one network: /n/<network>/… (core/current.scope_blueprint); endpoints are "networks.net.…"
net = Blueprint("net", __name__, url_prefix="/n/<network>")

PAGE_SIZE = 50


@bp.route("/netzwerke/", endpoint="list")
def list_networks():
    """The installation's networks with region and member count (public, 50 per page)."""
    pagination = services.all_networks(page=page_number(), per_page=PAGE_SIZE)
    counts = services.member_counts([n.id for n in pagination.items])
    return render_template("networks/list.html", networks=pagination.items, counts=counts, page=pagination.page,
                           has_next=pagination.has_next)


@bp.route("/verwaltung/netzwerke/neu", methods=["GET", "POST"])
@login_required
def new():
    """Platform administration: create a network and invite its first coordinator."""
    if not can(current_user, "network.create"):
        abort(403)
    form = NetworkForm()
    if form.validate_on_submit():
        on_invalid("networks/new.html", form, form=form)
        network = services.create_network(
            current_user, {k: form._fields[k].data for k in ("name", "slug", "region", "description", "website",
                                                              "is_open")},
            coordinator_email=form.coordinator_email.data, coordinator_name=form.coordinator_name.data)
        flash(_("Das Netzwerk %(network)s ist angelegt; die Koordination %(email)s ist benachrichtigt.",
                network=network.name, email=form.coordinator_email.data.strip()), "success")
        return redirect(url_for("networks.net.page", network=network.slug))
    return render_template("networks/new.html", form=form), 422 if form.errors else 200


_SCOPED_PATH = re.compile(r"^/n/[^/]+(/.*)?$")


@bp.route("/netzwerk-wechseln", methods=["POST"])
@login_required
def switch():
    """The header's switcher: work in another network of one's city (or one the user coordinates)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    slug = (request.form.get("network") or "").strip()[:60]
    network = services.network_by_slug(slug) if slug else None
    if network is None:
        abort(404)
    row = services.membership(network.id, current_user.municipality_id)
    if not (row is not None and row.is_active) and network.slug not in current_user.coordinated_networks:
        raise ValidationFailed({"network": _("Ihre Kommune nimmt nicht am Netzwerk %(network)s teil.",
                                             network=network.name)}, status=422)
    session[SESSION_KEY] = network.slug
    target = safe_next(request.form.get("next"))
    match = _SCOPED_PATH.match(target.split("?", 1)[0])
    if match:  # a page of the previous network: the same page in the chosen one
        target = f"/n/{network.slug}{match.group(1) or '/'}"
    flash(_("Sie arbeiten jetzt im Netzwerk %(network)s.", network=network.name), "success")
    return redirect(target)


# --- one network ---------------------------------------------------------------------------------------------

@net.route("/", endpoint="page")
def network_page():
    """A network's public page: description, members and guests, topic leads, practices, the next meeting."""
    network = services.request_network()
    counts = services.member_counts([network.id])
    return render_template("networks/page.html", network=network, members=reading.public_members(network),
                           member_total=counts.get(network.id, 0), members_shown=reading.MEMBERS_SHOWN,
                           leads=reading.topic_leads(network), practices=reading.public_practices(network),
                           meeting=reading.next_meeting(network))


def _coordination(permission: str = "network.manage"):
    """The request's network if the user coordinates it (or, for network.manage, administers the platform);
    a coordinator of another network gets 404, anyone else 403."""
    network = services.request_network()
    if can(current_user, permission):
        return network
    if current_user.coordinated_networks:
        abort(404)
    abort(403)


def _members_page(network, *, join_form=None, new_form=None, leave_form=None, status=200):
    query = request.args.get("q", "").strip()[:80]
    rows = services.memberships_of_network(network, include_left=True)
    return render_template(
        "networks/members.html", network=network, rows=rows, query=query,
        found=reading.search_cities(network, query), join_form=join_form or JoinForm(formdata=None),
        new_form=new_form or AdmitNewForm(formdata=None), leave_form=leave_form or LeaveForm(formdata=None)), status


@net.route("/verwaltung/mitglieder")
@login_required
def members():
    """Coordination: members, guests and former members; admit a city, record a leaving."""
    return _members_page(_coordination("municipality.admit"))


@net.route("/verwaltung/mitglieder/aufnehmen", methods=["POST"])
@login_required
def join():
    """Admit a city of the installation as member or guest (or take it back after it left)."""
    network = _coordination("municipality.admit")
    form = JoinForm()
    if not form.validate_on_submit():
        abort(400)
    city = db.session.get(Municipality, int(form.municipality.data)) \
        if (form.municipality.data or "").isdigit() and len(form.municipality.data) < 10 else None
    if city is None:
        abort(404)
    on_invalid(lambda exc: _members_page(network, join_form=form, status=exc.status), form)
    row = services.join(current_user, network, city, status=form.status.data)
    flash(_("%(city)s ist jetzt %(status)s im Netzwerk %(network)s.", city=city.name, status=row.status_label,
            network=network.name), "success")
    return redirect(url_for("networks.net.members"))


@net.route("/verwaltung/mitglieder/neu", methods=["GET", "POST"])
@login_required
def admit_new():
    """Admit a city that is not yet in the installation and invite its first lead."""
    network = _coordination("municipality.admit")
    form = AdmitNewForm()
    if form.validate_on_submit():
        on_invalid("networks/admit_new.html", form, form=form, network=network)
        status = form.status.data if form.status.data in ("member", "guest") else "member"
        city = admit_municipality(current_user, {k: form._fields[k].data for k in
                                                 ("name", "kind", "district", "website", "population")},
                                  lead_email=form.lead_email.data, lead_name=form.lead_name.data)
        if status == "guest":
            services.join(current_user, network, city, status="guest")
        flash(_("%(city)s wurde aufgenommen; die Einladung an %(email)s ist unterwegs.", city=city.name,
                email=form.lead_email.data), "success")
        return redirect(url_for("networks.net.members"))
    return render_template("networks/admit_new.html", form=form, network=network), 422 if form.errors else 200


@net.route("/verwaltung/mitglieder/<city_slug>/austritt", methods=["POST"])
@login_required
def leave(city_slug):
    """Record that a city leaves the network (its history stays)."""
    network = _coordination("municipality.admit")
    city = get_by_slug_or_404(city_slug)
    row = services.membership(network.id, city.id)
    if row is None:
        abort(404)
    form = LeaveForm()
    if not form.validate_on_submit():
        abort(400)
    on_invalid(lambda exc: _members_page(network, leave_form=form, status=exc.status), form)
    services.leave(current_user, network, city, reason=form.reason.data)
    flash(_("Der Austritt von %(city)s aus %(network)s ist eingetragen.", city=city.name, network=network.name),
          "success")
    return redirect(url_for("networks.net.members"))


@net.route("/verwaltung/einstellungen", methods=["GET", "POST"])
@login_required
def settings():
    """The network's description and settings."""
    network = _coordination()
    form = SettingsForm(obj=network)
    if request.method == "GET":
        form.digest_weekday.data = str(network.digest_weekday)
    if form.validate_on_submit():
        on_invalid("networks/settings.html", form, form=form, network=network)
        check_version(network, form.version.data)
        services.update_network(current_user, network, {k: v.data for k, v in form._fields.items()
                                                        if k not in ("csrf_token", "version")})
        flash(_("Die Einstellungen des Netzwerks sind gespeichert."), "success")
        return redirect(url_for("networks.net.settings"))
    return render_template("networks/settings.html", form=form, network=network), 422 if form.errors else 200


def _coordinators_page(network, form, status=200):
    return render_template("networks/coordinators.html", network=network, form=form,
                           coordinators=services.coordinators_of(network)), status


@net.route("/verwaltung/koordination", methods=["GET", "POST"])
@login_required
def coordinators():
    """The network's coordinators; name another one (an existing account or an invitation)."""
    network = _coordination()
    form = CoordinatorForm()
    if form.validate_on_submit():
        on_invalid(lambda exc: _coordinators_page(network, form, exc.status), form)
        user = services.name_coordinator(current_user, network, email=form.email.data, name=form.name.data)
        flash(_("%(name)s koordiniert jetzt %(network)s.", name=user.name, network=network.name), "success")
        return redirect(url_for("networks.net.coordinators"))
    return _coordinators_page(network, form, 422 if form.errors else 200)


@net.route("/verwaltung/koordination/<int:user_id>/entfernen", methods=["POST"])
@login_required
def remove_coordinator(user_id):
    network = _coordination()
    if not EmptyForm().validate_on_submit():
        abort(400)
    from network.accounts.models import User
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)

    def refused(exc):
        for message in exc.errors.values():
            flash(message, "danger")
        return redirect(url_for("networks.net.coordinators")), 302
    on_invalid(refused)
    services.remove_coordinator(current_user, network, user)
    flash(_("%(name)s koordiniert %(network)s nicht mehr.", name=user.name, network=network.name), "success")
    return redirect(url_for("networks.net.coordinators"))


def _scope():
    from network.core.current import scope_blueprint
    scope_blueprint(net)
    bp.register_blueprint(net)


_scope()
