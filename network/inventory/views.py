"""Inventory pages: network overview, a city's inventory and roadmap, project form and page, CSV import and
export, status reports (list and freeze, report page, CSV, print view)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.csvutil import csv_response
from network.core.forms import apply_errors, confirmation_page, confirmed, form_page
from network.core.models import utcnow
from network.core.pagination import page_number
from network.core.permissions import can, require
from network.core.templating import format_day
from network.inventory import import_match, importer, services
from network.inventory.forms import ActionForm, ProjectForm, ReportForm, UploadForm
from network.inventory.models import PRIORITIES, STATUS_SHAPES, STATUSES, VISIBILITY_LABELS

bp = Blueprint("inventory", __name__, url_prefix="/vorhaben")


def _labels():
    """The label tables every inventory page uses."""
    return {"statuses": STATUSES, "shapes": STATUS_SHAPES, "priorities": PRIORITIES,
            "visibilities": VISIBILITY_LABELS}


# --- reading ----------------------------------------------------------------------------------

@bp.route("/", endpoint="overview")
@login_required
def overview():
    """Overview of this request's network: per member city counts by status and field of action, table and
    chart, one page of cities at a time."""
    data = services.overview(current_user, page_number())
    return render_template("inventory/overview.html", o=data, page_size=services.OVERVIEW_PAGE_SIZE, **_labels())


@bp.route("/<slug>/")
def city(slug):
    """A city's inventory grouped by field of action, with filters and counts per status."""
    city = services.city_or_404(slug)
    filters = services.Filters.from_args(request.args)
    has_own = services.own_grouping(city, True)
    own = has_own and request.args.get("felder") == "eigene"
    data = services.inventory(current_user, city, filters, page_number(), own_fields=own)
    return render_template("inventory/city.html", city=city, d=data, filters=filters, own_fields=own,
                           has_own=has_own, **_labels())


@bp.route("/<slug>/roadmap")
def roadmap(slug):
    """The city's roadmap: a timeline by quarter, sorted by priority within each field of action."""
    city = services.city_or_404(slug)
    has_own = services.own_grouping(city, True)
    own = has_own and request.args.get("felder") == "eigene"
    return render_template("inventory/roadmap.html", city=city, r=services.roadmap(current_user, city, own),
                           own_fields=own, has_own=has_own, **_labels())


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

def _choices(form, city, project=None):
    """The form's fields of action (of every network the city takes part in, grouped by network if more than one)
    and topics (of the same networks)."""
    fields = services.field_choices(city.id, project.field_id if project is not None else None)
    if isinstance(fields, dict):
        form.field_id.choices = {None: [("", _("Bitte wählen"))], **fields}
    else:
        form.field_id.choices = [("", _("Bitte wählen"))] + fields
    topics = services.active_topics(city.id)
    if project is not None and project.topic is not None and project.topic not in topics:
        topics.append(project.topic)
    form.topic_id.choices = [("", _("kein Thema"))] + [(str(t.id), t.name) for t in topics]
    form.city_field_id.choices = [("", _("kein eigenes Handlungsfeld"))] + [
        (str(f.id), f.name) for f in services.city_field_list(city.id)]


def _city_for(slug, permission: str):
    """The city (404), and the user's permission on it (403)."""
    city = services.city_or_404(slug)
    require(current_user, permission, city)
    return city


def _form_data(form) -> dict:
    """The project form's values as the services take them."""
    return {k: getattr(form, k).data for k in ("title", "summary", "field_id", "topic_id", "status", "priority",
                                               "start_month", "end_month", "department", "contact", "budget_eur",
                                               "funding_source", "visibility", "is_lighthouse", "city_field_id")}


def _show_errors(form, exc) -> None:
    """Messages beside their fields; a stale version above the form (the hidden field shows nothing)."""
    apply_errors(form, {k: v for k, v in exc.errors.items() if k != "version"})
    if "version" in exc.errors:
        form.form_errors.append(exc.errors["version"])


@bp.route("/<slug>/neu", methods=["GET", "POST"])
@login_required
def new(slug):
    """Record a project of the own city (staff: as a draft)."""
    city = _city_for(slug, "project.draft")
    form = ProjectForm()
    _choices(form, city)

    def save(form):
        project = services.create_project(current_user, _form_data(form))
        flash(_("Das Vorhaben wurde als Entwurf gespeichert; eine Leitung Ihrer Kommune gibt es frei.")
              if project.is_draft else _("Das Vorhaben wurde gespeichert."), "success")
        return redirect(url_for("inventory.detail", project_id=project.id))
    return form_page(form, "inventory/new.html", save, city=city)


@bp.route("/projekt/<int:project_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(project_id):
    """Edit a project; a stale version answers 409 with the user's input and the other change."""
    project = services.get_project_or_404(current_user, project_id)
    services.require_edit(current_user, project)
    form = ProjectForm(obj=project)
    _choices(form, project.municipality, project)
    if request.method == "GET":
        form.field_id.data = str(project.field_id)
        form.topic_id.data = str(project.topic_id or "")
        form.city_field_id.data = str(project.city_field_id or "")
        form.start_month.data = services.format_month(project.start_month)
        form.end_month.data = services.format_month(project.end_month)
        form.budget_eur.data = "" if project.budget_eur is None else str(project.budget_eur)
        form.version.data = str(project.version)

    def save(form):
        on_invalid(lambda exc: _edit_invalid(exc, form, project))
        services.update_project(current_user, project, _form_data(form), version=form.version.data)
        flash(_("Das Vorhaben wurde gespeichert."), "success")
        return redirect(url_for("inventory.detail", project_id=project.id))
    return form_page(form, "inventory/edit.html", save, project=project)


def _edit_invalid(exc, form, project):
    """The edit form again with the messages; on a conflict beside the saved version, the next save against it."""
    _show_errors(form, exc)
    if exc.status != 409:
        return render_template("inventory/edit.html", form=form, project=project), exc.status
    current = services.get_project_or_404(current_user, project.id)  # rolled back: the saved version
    form.version.data = str(current.version)
    return render_template("inventory/edit.html", form=form, project=current,
                           conflict=services.project_values(current), **_labels()), 409


@bp.route("/projekt/<int:project_id>/freigeben", methods=["POST"])
@login_required
def release(project_id):
    """A lead releases a staff draft."""
    project = services.get_project_or_404(current_user, project_id)
    require(current_user, "project.manage", project)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    on_invalid(lambda exc: _back_to_detail(exc, project_id))
    services.release_project(current_user, project, version=form.version.data or None)
    flash(_("Das Vorhaben ist freigegeben."), "success")
    return redirect(url_for("inventory.detail", project_id=project_id))


def _back_to_detail(exc, project_id):
    """A refused release: back to the project page with the reason (nothing was written)."""
    flash(next(iter(exc.errors.values())), "danger")
    return redirect(url_for("inventory.detail", project_id=project_id)), 303


@bp.route("/projekt/<int:project_id>/loeschen", methods=["POST"])
@login_required
def delete(project_id):
    """Delete a project (published reports keep their copy)."""
    project = services.get_project_or_404(current_user, project_id)
    services.require_edit(current_user, project)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    slug = project.municipality.slug
    services.delete_project(current_user, project)
    flash(_("Das Vorhaben wurde gelöscht."), "success")
    return redirect(url_for("inventory.city", slug=slug))


# --- CSV import -------------------------------------------------------------------------------

@bp.route("/<slug>/import", methods=["GET", "POST"])
@login_required
def import_upload(slug):
    """Step 1: upload the city's existing list as CSV."""
    city = _city_for(slug, "project.manage")

    def save(form):
        file = form.file.data
        upload = importer.store_upload(current_user, getattr(file, "filename", "") or "", file.read() if file else b"")
        return redirect(url_for("inventory.import_mapping", slug=city.slug, token=upload.token))
    return form_page(UploadForm(), "inventory/import_upload.html", save, city=city)


def _mapping_from_request(header):
    """The column mapping: chosen in the form (POST) or guessed from the column names (GET)."""
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
        flash(_("Der Import wurde verworfen; es wurde nichts gespeichert."), "info")
        return redirect(url_for("inventory.city", slug=city.slug))
    header, rows = importer.read_table(upload.content, upload.delimiter)
    mapping, default_visibility = _mapping_from_request(header)

    def page(errors, checked, status):
        preview = importer.validate_rows(upload, checked, default_visibility) if checked is not None else None
        return render_template("inventory/import_mapping.html", city=city, upload=upload, header=header,
                               sample=rows[:3], row_count=len(rows), mapping=mapping, targets=importer.TARGETS,
                               default_visibility=default_visibility, errors=errors, preview=preview, form=form,
                               import_states=import_match.STATES, column_labels=importer.COLUMN_LABELS,
                               **_labels()), status

    checked, errors = importer.mapping_or_errors(header, mapping)
    if checked is None:
        return page(errors, None, 422 if request.method == "POST" else 200)
    if action == "import":
        on_invalid(lambda exc: page(exc.errors, checked, exc.status))
        counts = importer.run_import(current_user, upload, checked, default_visibility)
        flash(_("Import abgeschlossen: %(new)s neu angelegt, %(changed)s geändert, %(same)s unverändert.",
                new=counts["new"], changed=counts["changed"], same=counts["unchanged"]), "success")
        return redirect(url_for("inventory.city", slug=city.slug))
    return page({}, checked, 200)


# --- status reports ---------------------------------------------------------------------------

def _render_reports(city, form, status=200):
    """The reports page (list, and for the city's lead the pending changes and the freeze form)."""
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
    _freeze_hints(form)
    return _render_reports(city, form)


def _freeze_hints(form):
    """Hints naming the report's default title and that the snapshot is today's state (plain strings: escaped)."""
    this_year = utcnow().year
    year = form.year.data if (form.year.data or "").strip().isdigit() else ""
    year = int(year) if year and 2000 <= int(year) <= this_year + 1 else this_year
    form.title.description = _("Leer lassen für „Sachstandsbericht %(year)s“.", year=year)
    form.year.description = _("Der Bericht hält den heutigen Stand des Inventars fest (Stand: %(today)s), auch "
                              "wenn Sie ein früheres Jahr angeben.", today=format_day(utcnow()))


@bp.route("/<slug>/berichte/neu", methods=["POST"])
@login_required
def freeze(slug):
    """A lead freezes the own city's inventory into the status report of a year."""
    city = _city_for(slug, "report.freeze")
    if current_user.municipality_id != city.id:
        abort(403)
    form = ReportForm()
    _freeze_hints(form)
    if not form.validate_on_submit():
        return _render_reports(city, form, 422)
    on_invalid(lambda exc: _render_reports(city, form, exc.status), form)
    if not confirmed():
        return _freeze_confirmation(city, form)
    report = services.freeze_report(current_user, {"year": form.year.data, "title": form.title.data,
                                                   "visibility": form.visibility.data, "note": form.note.data,
                                                   "confirm_past": bool(form.confirm_past.data)})
    flash(_("%(title)s ist veröffentlicht. Er ändert sich nicht mehr.", title=report.title), "success")
    return redirect(url_for("inventory.report", report_id=report.id))


def _freeze_confirmation(city, form):
    """What freezing does: the report's title, year and audience, today's state, and the changes it records."""
    pending = services.pending_changes(current_user, city)
    year = (form.year.data or "").strip()
    title = (form.title.data or "").strip() or _("Sachstandsbericht %(year)s", year=year)
    lines = [_("%(city)s veröffentlicht „%(title)s“ (Jahr %(year)s, Sichtbarkeit: %(v)s).", city=city.name,
               title=title, year=year, v=VISIBILITY_LABELS.get(form.visibility.data, form.visibility.data)),
             _("Er hält den heutigen Stand (%(today)s) von %(num)s freigegebenen Vorhaben fest und ändert sich "
               "danach nicht mehr.", num=pending["project_count"], today=format_day(utcnow()))]
    changes = pending["changes"]
    if pending["latest"] is not None:
        lines.append(_("Änderungen seit %(title)s:", title=pending["latest"].title) if changes and changes.any
                     else _("Seit %(title)s hat sich nichts geändert.", title=pending["latest"].title))
    return confirmation_page(heading=_("Sachstandsbericht einfrieren?"), lines=lines,
                             detail="inventory/_changes.html" if changes and changes.any else None,
                             detail_head="inventory/_head.html", changes=changes,
                             action=url_for("inventory.freeze", slug=city.slug),
                             button=_("Ja, einfrieren und veröffentlichen"),
                             back=url_for("inventory.reports", slug=city.slug), **_labels())


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
                           v=services.report_view(current_user, rep), print_view=True, printed_on=utcnow(),
                           **_labels())


@bp.route("/bericht/<int:report_id>.csv")
def report_csv(report_id):
    """The report's projects as CSV (formula-safe)."""
    rep = services.get_report_or_404(current_user, report_id)
    entries = services.report_entries(current_user, rep)
    return csv_response(services.report_rows(entries), f"sachstandsbericht-{rep.municipality.slug}-{rep.year}.csv")


from network.inventory import views_bulk  # noqa: E402,F401  (registers the Sammelpflege routes on bp)
