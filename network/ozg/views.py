"""OZG pages: a city's OZG page, one service's form, the bulk table per Themenfeld, CSV export and import (bp,
/ozg/<city>/…); the network matrix and a service's page in a network (net, /n/<network>/ozg/…)."""

import functools
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.csvutil import csv_response
from network.core.current import scope_blueprint
from network.core.forms import apply_errors, table_saved
from network.core.permissions import require
from network.networks.services import readable_network
from network.ozg import services
from network.ozg.forms import ActionForm, StatusForm, UploadForm
from network.ozg.models import MATURITY, STATUS_SHAPES, STATUSES, VISIBILITY_LABELS

bp = Blueprint("ozg", __name__, url_prefix="/ozg")
#: pages of one network: /n/<network>/ozg/… (registered by setup.init_app)
net = Blueprint("ozg_net", __name__, url_prefix="/n/<network>/ozg")
scope_blueprint(net)


def _labels() -> dict:
    return {"statuses": STATUSES, "shapes": STATUS_SHAPES, "maturity": MATURITY, "visibilities": VISIBILITY_LABELS}


# --- a city's OZG page -------------------------------------------------------------------------------

@bp.route("/<slug>/")
def city(slug):
    """The city's OZG page: counts per status and Themenfeld, every recorded status (as far as the visitor may
    see)."""
    city = services.city_or_404(slug)
    return render_template("ozg/city.html", city=city, d=services.city_page(current_user, city), **_labels())


@bp.route("/<slug>/export.csv")
def export_csv(slug):
    """The city's statuses the visitor may see, as CSV (formula-safe; the import reads it back)."""
    city = services.city_or_404(slug)
    return csv_response(services.export_rows(current_user, city), f"ozg-{city.slug}.csv")


def _edit_choices(form, city):
    form.project_id.choices = [("", _("kein Vorhaben"))] + [(str(i), t) for i, t in services.own_projects(city)]
    form.practice_id.choices = [("", _("kein Praxisbericht"))] + [
        (str(i), f"{t} ({n})") for i, t, n in services.visible_practices(current_user)]


def _form_data(form) -> dict:
    return {k: getattr(form, k).data for k in ("status", "maturity", "solution", "is_efa", "provider", "go_live",
                                               "url", "project_id", "practice_id", "visibility")}


def _edit_page(form, city, service, status=200):
    return render_template("ozg/edit.html", form=form, city=city, service=service, **_labels()), status


def _edit_invalid(exc, form, city, service):
    apply_errors(form, {k: v for k, v in exc.errors.items() if k != "version"})
    if "version" in exc.errors:
        form.form_errors.append(exc.errors["version"])
    return _edit_page(form, city, service, exc.status)


@bp.route("/<slug>/leistung/<int:ozg_id>", methods=["GET", "POST"])
@login_required
def edit(slug, ozg_id):
    """Record the city's status of one OZG service (its lead and staff)."""
    city = services.city_or_404(slug)
    service = services.service_or_404(ozg_id)
    services.require_edit(current_user, city)
    row = services.status_of(current_user, city, service)
    form = StatusForm()
    _edit_choices(form, city)
    if request.method == "GET":
        values = {k: getattr(row, k) for k in services.FIELDS} if row is not None else dict(services.DEFAULTS)
        for key, value in values.items():
            if key == "go_live":
                value = services.format_date_de(value)
            elif key in ("project_id", "practice_id", "maturity"):
                value = "" if value is None else str(value)
            getattr(form, key).data = value
        form.version.data = str(row.version if row is not None else 0)
    if form.validate_on_submit():
        on_invalid(lambda exc: _edit_invalid(exc, form, city, service))
        services.save_status(current_user, city, service, _form_data(form), version=form.version.data)
        flash(_("Der Stand von „%(name)s“ wurde gespeichert.", name=service.name), "success")
        return redirect(url_for("ozg.city", slug=city.slug))
    return _edit_page(form, city, service, 422 if form.errors else 200)


# --- bulk editing per Themenfeld ----------------------------------------------------------------------

def read_rows(form) -> dict[int, dict]:
    """The posted table: ``row`` lists the service ids, ``s-<id>-<field>`` carries each value; a malformed id
    answers 404; an unchecked EfA box is "no"."""
    out = {}
    for raw in form.getlist("row")[:500]:
        if not re.fullmatch(r"\d{1,9}", raw or ""):
            abort(404)
        sid = int(raw)
        values = {k: form.get(f"s-{sid}-{k.replace('_', '-')}", "") for k in services.BULK_FIELDS}
        values["is_efa"] = "ja" if form.get(f"s-{sid}-is-efa") else "nein"
        values["version"] = form.get(f"s-{sid}-version", "")
        out[sid] = values
    return out


def _bulk_page(city, name, form, status=200, posted=None, errors=None):
    rows = services.bulk_rows(current_user, city, name, posted, errors)
    loose = [msg for key, msg in (errors or {}).items() if not re.match(r"^\d+-", key)]
    return render_template("ozg/bulk.html", city=city, themenfeld=name, tf_slug=services.themenfeld_slug(name),
                           rows=rows, form=form, loose=loose, themenfelder=services.themenfelder(),
                           **_labels()), status


@bp.route("/<slug>/themenfeld/<tf>", methods=["GET", "POST"])
@login_required
def bulk(slug, tf):
    """Every service of a Themenfeld in one table; the city's lead or staff saves all rows at once (all or
    nothing, the messages beside their rows)."""
    city = services.city_or_404(slug)
    services.require_edit(current_user, city)
    name = services.themenfeld_or_404(tf)
    form = ActionForm()
    if request.method == "POST":
        return table_saved(form, read_rows, functools.partial(_bulk_page, city, name, form),
                           lambda posted: services.save_bulk(current_user, city, name, posted),
                           lambda n: ngettext("%(num)s Stand wurde gespeichert.",
                                              "%(num)s Stände wurden gespeichert.", n),
                           url_for("ozg.bulk", slug=city.slug, tf=tf))
    return _bulk_page(city, name, form)


# --- CSV import ---------------------------------------------------------------------------------------

@bp.route("/<slug>/import", methods=["GET", "POST"])
@login_required
def import_csv(slug):
    """Upload a CSV (the export's columns), see every row as new / changed / unchanged or with its errors, then
    import the valid rows (checked again) or cancel."""
    city = services.city_or_404(slug)
    services.require_edit(current_user, city)
    form = UploadForm()

    def page(preview=None, status=200):
        return render_template("ozg/import.html", city=city, form=form, preview=preview, **_labels()), status

    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        on_invalid(lambda exc: (apply_errors(form, exc.errors), page(None, exc.status))[1])
        if request.form.get("action") == "import":
            counts = services.run_import(current_user, city, request.form.get("content", ""))
            flash(_("Import abgeschlossen: %(new)s neu, %(changed)s geändert, %(same)s unverändert, "
                    "%(bad)s Zeilen übersprungen.", new=counts["new"], changed=counts["changed"],
                    same=counts["unchanged"], bad=counts["invalid"]), "success")
            return redirect(url_for("ozg.city", slug=city.slug))
        file = form.file.data
        raw = file.read() if file else b""
        if not raw:
            form.file.errors = [_("Bitte wählen Sie eine CSV-Datei aus.")]
            return page(None, 422)
        return page(services.preview_import(current_user, city, raw))
    return page()


# --- the network -------------------------------------------------------------------------------------

@net.route("/")
@login_required
def matrix():
    """The network's OZG matrix: Themenfelder -> services × member cities (25 per page), filters, counts."""
    readable_network()  # outsiders of the network meet 404 before any permission check (issue #16)
    require(current_user, "ozg.view")
    filters = services.MatrixFilters.from_args(request.args)
    data = services.matrix(current_user, filters)
    return render_template("ozg/matrix.html", m=data, filters=filters, page_size=services.CITIES_PER_PAGE,
                           **_labels())


@net.route("/matrix.csv")
@login_required
def matrix_csv():
    """The matrix with the same filters and page of cities, as CSV."""
    readable_network()
    require(current_user, "ozg.view")
    filters = services.MatrixFilters.from_args(request.args)
    data = services.matrix(current_user, filters)
    suffix = f"-seite-{filters.page}" if filters.page > 1 else ""
    return csv_response(services.matrix_rows(data), f"ozg-matrix-{data['network'].slug}{suffix}.csv")


@net.route("/leistung/<int:ozg_id>")
@login_required
def service(ozg_id):
    """One OZG service in the network: who offers it online with which solution, who is working on it."""
    readable_network()
    require(current_user, "ozg.view")
    svc = services.service_or_404(ozg_id)
    return render_template("ozg/service.html", service=svc, d=services.service_page(current_user, svc), **_labels())
