"""Inventory pages: network overview, a city's inventory and roadmap, project form and page, CSV import and
export, status reports (list and freeze, report page, CSV, print view)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from network.core.csvutil import csv_response
from network.core.forms import apply_errors
from network.core.models import utcnow
from network.core.permissions import can, require
from network.core.validation import ValidationFailed
from network.extensions import db
from network.inventory import importer, services
from network.inventory.forms import ActionForm, ProjectForm, ReportForm, UploadForm
from network.inventory.models import PRIORITIES, STATUS_SHAPES, STATUSES, VISIBILITY_LABELS

bp = Blueprint("inventory", __name__, url_prefix="/vorhaben")


def _labels():
    return {"statuses": STATUSES, "shapes": STATUS_SHAPES, "priorities": PRIORITIES,
            "visibilities": VISIBILITY_LABELS}


# --- reading ----------------------------------------------------------------------------------

@bp.route("/", endpoint="overview")
@login_required
def overview():
    """Network overview: per city counts by status and field of action, table and chart."""
    data = services.overview(current_user)
    return render_template("inventory/overview.html", o=data, **_labels())


@bp.route("/<slug>/")
def city(slug):
    """A city's inventory grouped by field of action, with filters and counts per status."""
    city = services.city_or_404(slug)
    filters = services.Filters.from_args(request.args)
    data = services.inventory(current_user, city, filters)
    return render_template("inventory/city.html", city=city, d=data, filters=filters, **_labels())


@bp.route("/<slug>/roadmap")
def roadmap(slug):
    """The city's roadmap: a timeline by quarter, sorted by priority within each field of action."""
    city = services.city_or_404(slug)
    return render_template("inventory/roadmap.html", city=city, r=services.roadmap(current_user, city), **_labels())


@bp.route("/<slug>/export.csv")
def export_csv(slug):
    """The inventory as the user sees it, as CSV (formula-safe)."""
    city = services.city_or_404(slug)
    return csv_response(services.export_rows(current_user, city), f"vorhaben-{city.slug}.csv")


@bp.route("/projekt/<int:project_id>")
def detail(project_id):
    """One project."""
    project = services.get_project_or_404(current_user, project_id)
    return render_template("inventory/detail.html", project=project, city=project.municipality,
                           may_edit=services.may_edit(current_user, project), action_form=ActionForm(),
                           **_labels())


# --- writing ----------------------------------------------------------------------------------

def _choices(form):
    form.field_id.choices = [("", _("Bitte wählen"))] + [(str(f.id), f.name) for f in services.fields_of_action()]
    form.topic_id.choices = [("", _("kein Thema"))] + [(str(t.id), t.name) for t in services.active_topics()]


def _form_data(form) -> dict:
    return {k: getattr(form, k).data for k in ("title", "summary", "field_id", "topic_id", "status", "priority",
                                               "start_month", "end_month", "department", "contact", "budget_eur",
                                               "funding_source", "visibility", "is_lighthouse")}


def _fail(form, exc: ValidationFailed):
    db.session.rollback()
    apply_errors(form, {k: v for k, v in exc.errors.items() if k != "version"})
    if "version" in exc.errors:
        form.form_errors.append(exc.errors["version"])


@bp.route("/<slug>/neu", methods=["GET", "POST"])
@login_required
def new(slug):
    """Record a project of the own city (staff: as a draft)."""
    city = services.city_or_404(slug)
    require(current_user, "project.draft", city)
    form = ProjectForm()
    _choices(form)
    if form.validate_on_submit():
        try:
            project = services.create_project(current_user, _form_data(form))
        except ValidationFailed as exc:
            _fail(form, exc)
            return render_template("inventory/new.html", form=form, city=city), exc.status
        db.session.commit()
        flash(_("Das Vorhaben wurde als Entwurf gespeichert; eine Leitung Ihrer Kommune gibt es frei.")
              if project.is_draft else _("Das Vorhaben wurde gespeichert."), "success")
        return redirect(url_for("inventory.detail", project_id=project.id))
    elif form.errors:
        return render_template("inventory/new.html", form=form, city=city), 422
    return render_template("inventory/new.html", form=form, city=city)


@bp.route("/projekt/<int:project_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(project_id):
    """Edit a project; a stale version answers 409 with the user's input and the other change."""
    project = services.get_project_or_404(current_user, project_id)
    services._require_edit(current_user, project)
    form = ProjectForm(obj=project)
    _choices(form)
    if request.method == "GET":
        form.field_id.data = str(project.field_id)
        form.topic_id.data = str(project.topic_id or "")
        form.start_month.data = services.format_month(project.start_month)
        form.end_month.data = services.format_month(project.end_month)
        form.budget_eur.data = "" if project.budget_eur is None else str(project.budget_eur)
        form.version.data = str(project.version)
    if form.validate_on_submit():
        try:
            services.update_project(current_user, project, _form_data(form), version=form.version.data)
        except ValidationFailed as exc:
            _fail(form, exc)
            if exc.status == 409:
                # show the saved version beside the user's text; the next save is against it
                current = services.get_project_or_404(current_user, project_id)
                theirs = services.project_values(current)
                form.version.data = str(current.version)
                return render_template("inventory/edit.html", form=form, project=current, conflict=theirs,
                                       **_labels()), 409
            return render_template("inventory/edit.html", form=form, project=project), exc.status
        db.session.commit()
        flash(_("Das Vorhaben wurde gespeichert."), "success")
        return redirect(url_for("inventory.detail", project_id=project.id))
    elif form.errors:
        return render_template("inventory/edit.html", form=form, project=project), 422
    return render_template("inventory/edit.html", form=form, project=project)


@bp.route("/projekt/<int:project_id>/freigeben", methods=["POST"])
@login_required
def release(project_id):
    """A lead releases a staff draft."""
    project = services.get_project_or_404(current_user, project_id)
    require(current_user, "project.manage", project)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.release_project(current_user, project, version=form.version.data or None)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(next(iter(exc.errors.values())), "danger")
        return redirect(url_for("inventory.detail", project_id=project_id)), 303
    db.session.commit()
    flash(_("Das Vorhaben ist freigegeben."), "success")
    return redirect(url_for("inventory.detail", project_id=project_id))


@bp.route("/projekt/<int:project_id>/loeschen", methods=["POST"])
@login_required
def delete(project_id):
    """Delete a project (published reports keep their copy)."""
    project = services.get_project_or_404(current_user, project_id)
    services._require_edit(current_user, project)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    slug = project.municipality.slug
    services.delete_project(current_user, project)
    db.session.commit()
    flash(_("Das Vorhaben wurde gelöscht."), "success")
    return redirect(url_for("inventory.city", slug=slug))


# --- CSV import -------------------------------------------------------------------------------

@bp.route("/<slug>/import", methods=["GET", "POST"])
@login_required
def import_upload(slug):
    """Step 1: upload the city's existing list as CSV."""
    city = services.city_or_404(slug)
    require(current_user, "project.manage", city)
    form = UploadForm()
    if form.validate_on_submit():
        file = form.file.data
        raw = file.read() if file else b""
        try:
            upload = importer.store_upload(current_user, getattr(file, "filename", "") or "", raw)
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
            return render_template("inventory/import_upload.html", form=form, city=city), exc.status
        db.session.commit()
        return redirect(url_for("inventory.import_mapping", slug=city.slug, token=upload.token))
    elif form.errors:
        return render_template("inventory/import_upload.html", form=form, city=city), 422
    return render_template("inventory/import_upload.html", form=form, city=city)


def _mapping_from_request(header):
    if request.method == "POST":
        mapping = {t: request.form.get(f"map-{t}", "") for t, _l2, _r in importer.TARGETS}
        default_visibility = request.form.get("default_visibility", "city")
    else:
        mapping = {t: ("" if i is None else str(i)) for t, i in importer.guess_mapping(header).items()}
        default_visibility = "city"
    if default_visibility not in VISIBILITY_LABELS:
        default_visibility = "city"
    return mapping, default_visibility


@bp.route("/<slug>/import/<token>", methods=["GET", "POST"])
@login_required
def import_mapping(slug, token):
    """Step 2 and 3: map the columns (guessed from the names), see the preview with every invalid row by line
    number and reason; then import all valid rows or discard the file."""
    city = services.city_or_404(slug)
    upload = importer.get_upload_or_404(current_user, city, token)
    form = ActionForm()
    if request.method == "POST" and not form.validate_on_submit():
        abort(400)
    action = request.form.get("action", "preview") if request.method == "POST" else "preview"
    if action == "discard":
        importer.discard(current_user, upload)
        db.session.commit()
        flash(_("Der Import wurde verworfen; es wurde nichts gespeichert."), "info")
        return redirect(url_for("inventory.city", slug=city.slug))
    header, rows = importer.read_table(upload.content, upload.delimiter)
    mapping, default_visibility = _mapping_from_request(header)
    errors, preview, status = {}, None, 200
    try:
        checked = importer.check_mapping(header, mapping)
    except ValidationFailed as exc:
        errors, status = exc.errors, (422 if request.method == "POST" else 200)
    else:
        if action == "import":
            try:
                n = importer.run_import(current_user, upload, checked, default_visibility)
            except ValidationFailed as exc:
                db.session.rollback()
                errors, status = exc.errors, exc.status
            else:
                db.session.commit()
                flash(ngettext("%(num)s Vorhaben wurde importiert.", "%(num)s Vorhaben wurden importiert.", n),
                      "success")
                return redirect(url_for("inventory.city", slug=city.slug))
        preview = importer.validate_rows(upload, checked, default_visibility)
    return render_template("inventory/import_mapping.html", city=city, upload=upload, header=header,
                           sample=rows[:3], row_count=len(rows), mapping=mapping, targets=importer.TARGETS,
                           default_visibility=default_visibility, errors=errors, preview=preview, form=form,
                           **_labels()), status


# --- status reports ---------------------------------------------------------------------------

def _render_reports(city, form, status=200):
    may_freeze = current_user.is_authenticated and current_user.municipality_id == city.id \
        and can(current_user, "report.freeze", city)
    pending = services.pending_changes(current_user, city) if may_freeze else None
    items = pending["reports"] if pending else services.list_reports(current_user, city)
    return render_template("inventory/reports.html", city=city, reports=items, form=form, may_freeze=may_freeze,
                           pending=pending, **_labels()), status


@bp.route("/<slug>/berichte/")
def reports(slug):
    """The city's published status reports; for its lead the changes since the latest one and the freeze form."""
    city = services.city_or_404(slug)
    form = ReportForm(formdata=None, year=str(utcnow().year))
    return _render_reports(city, form)


@bp.route("/<slug>/berichte/neu", methods=["POST"])
@login_required
def freeze(slug):
    """A lead freezes the own city's inventory into the status report of a year."""
    city = services.city_or_404(slug)
    require(current_user, "report.freeze", city)
    if current_user.municipality_id != city.id:
        abort(403)
    form = ReportForm()
    if not form.validate_on_submit():
        return _render_reports(city, form, 422)
    try:
        report = services.freeze_report(current_user, {"year": form.year.data, "title": form.title.data,
                                                       "visibility": form.visibility.data, "note": form.note.data})
    except ValidationFailed as exc:
        db.session.rollback()
        apply_errors(form, exc.errors)
        return _render_reports(city, form, exc.status)
    db.session.commit()
    flash(_("%(title)s ist veröffentlicht. Er ändert sich nicht mehr.", title=report.title), "success")
    return redirect(url_for("inventory.report", report_id=report.id))


@bp.route("/bericht/<int:report_id>")
def report(report_id):
    """A status report: every project with its status, counts, and the changes since the previous report."""
    rep = services.get_report_or_404(current_user, report_id)
    return render_template("inventory/report.html", report=rep, city=rep.municipality,
                           v=services.report_view(current_user, rep), print_view=False, **_labels())


@bp.route("/bericht/<int:report_id>/druck")
def report_print(report_id):
    """The report as a printable page (print stylesheet, no navigation)."""
    rep = services.get_report_or_404(current_user, report_id)
    return render_template("inventory/report_print.html", report=rep, city=rep.municipality,
                           v=services.report_view(current_user, rep), print_view=True, **_labels())


@bp.route("/bericht/<int:report_id>.csv")
def report_csv(report_id):
    """The report's projects as CSV (formula-safe)."""
    rep = services.get_report_or_404(current_user, report_id)
    entries = services.report_entries(current_user, rep)
    return csv_response(services.report_rows(entries), f"sachstandsbericht-{rep.municipality.slug}-{rep.year}.csv")
