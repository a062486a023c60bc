"""Strategy pages: a city's Digitalstrategie (vision, fields of action with projects and traffic lights, roadmap,
council decisions, documents, yearly reports; printable), and the lead's editing page with its forms."""

from flask import (
    Blueprint,
    abort,
    after_this_request,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core import files
from network.core.boundary import on_invalid
from network.core.forms import apply_errors, confirmation_page, confirmed
from network.core.permissions import require
from network.inventory import services as inventory
from network.inventory.models import PRIORITIES, STATUS_SHAPES, STATUSES
from network.strategy import services
from network.strategy.forms import (
    ActionForm,
    DecisionForm,
    DocumentForm,
    FieldForm,
    StrategyForm,
)
from network.strategy.models import VISIBILITY_LABELS

bp = Blueprint("strategy", __name__, url_prefix="/strategie")


def _labels() -> dict:
    return {"statuses": STATUSES, "shapes": STATUS_SHAPES, "priorities": PRIORITIES,
            "visibilities": VISIBILITY_LABELS}


def _submitted(form):
    """The posted form, checked (CSRF included); a broken post answers 400."""
    if not form.validate_on_submit():
        abort(400)
    return form


def _lead_city(slug):
    """The city, and the acting user is its lead (another city 404, staff and the coordination 403)."""
    city = inventory.city_or_404(slug)
    require(current_user, "strategy.edit", city)
    return city


def _removal_unconfirmed(city, heading: str, line: str, action: str):
    """The confirmation step of a removal: the page asking for it, or None once confirmed (a broken post: 400)."""
    _submitted(ActionForm())
    if confirmed():
        return None
    return confirmation_page(heading=heading, lines=[line], action=action, button=_("Ja, entfernen"),
                             back=url_for("strategy.edit", slug=city.slug))


def _done(city, message: str):
    """Back to the editing page with the success message."""
    flash(message, "success")
    return redirect(url_for("strategy.edit", slug=city.slug))


@bp.route("/<slug>/")
def page(slug):
    """The city's Digitalstrategie on one printable page, as far as the visitor may see it."""
    city = inventory.city_or_404(slug)
    data = services.strategy_page(current_user, city)
    return render_template("strategy/page.html", city=city, d=data, r=data["roadmap"], **_labels())


@bp.route("/<slug>/dokumente/<int:document_id>")
def download(slug, document_id):
    """A document of a strategy the visitor may see (always as a download, never sniffed)."""
    city = inventory.city_or_404(slug)
    doc = services.document_or_404(current_user, city, document_id)
    try:
        return files.send_stored(doc.storage_name, doc.original_name, doc.content_type)
    except FileNotFoundError:
        abort(404)


# --- the lead's editing page ----------------------------------------------------------------------

def _edit_page(city, status=200, **forms):
    strategy = services.strategy_or_404(current_user, city)
    form = forms.get("form")
    if form is None:
        form = StrategyForm(formdata=None, obj=strategy) if strategy else StrategyForm(formdata=None)
        form.version.data = str(strategy.version if strategy else 0)
    data = services.strategy_page(current_user, city)
    return render_template(
        "strategy/edit.html", city=city, d=data, form=form,
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None, prefix="beschluss"),
        document_form=forms.get("document_form") or DocumentForm(formdata=None, prefix="dokument"),
        field_form=forms.get("field_form") or FieldForm(formdata=None, prefix="feld"), action_form=ActionForm(),
        **_labels()), status


def _invalid(city, key, form):
    def render(exc):
        apply_errors(form, {k: v for k, v in exc.errors.items() if k != "version"})
        if "version" in exc.errors:
            form.form_errors.append(exc.errors["version"])
            saved = services.strategy_or_404(current_user, city)  # rolled back: the saved version
            form.version.data = str(saved.version if saved else 0)  # the next save goes against it
        return _edit_page(city, exc.status, **{key: form})
    return render


@bp.route("/<slug>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(slug):
    """The lead records the vision and who may read the strategy; the other parts have their forms here too."""
    city = _lead_city(slug)
    if request.method == "GET":
        return _edit_page(city)
    form = _submitted(StrategyForm())
    on_invalid(_invalid(city, "form", form))
    services.save_strategy(current_user, city, {"vision": form.vision.data, "visibility": form.visibility.data},
                           version=form.version.data)
    return _done(city, _("Das Leitbild wurde gespeichert."))


@bp.route("/<slug>/beschluesse", methods=["POST"])
@login_required
def add_decision(slug):
    """Record a council decision (day and title)."""
    city = _lead_city(slug)
    form = _submitted(DecisionForm(prefix="beschluss"))
    on_invalid(_invalid(city, "decision_form", form))
    services.add_decision(current_user, city, {"decided_on": form.decided_on.data, "title": form.title.data})
    return _done(city, _("Der Beschluss wurde eingetragen."))


@bp.route("/<slug>/beschluesse/<int:decision_id>/loeschen", methods=["POST"])
@login_required
def delete_decision(slug, decision_id):
    """Remove a council decision (after the confirmation step)."""
    city = _lead_city(slug)
    step = _removal_unconfirmed(city, _("Beschluss entfernen?"),
                                _("Der Beschluss verschwindet aus der Digitalstrategie."),
                                url_for("strategy.delete_decision", slug=city.slug, decision_id=decision_id))
    if step is not None:
        return step
    services.delete_decision(current_user, city, decision_id)
    return _done(city, _("Der Beschluss wurde entfernt."))


@bp.route("/<slug>/dokumente", methods=["POST"])
@login_required
def upload(slug):
    """Add a document (the strategy PDF, a council paper), checked by content."""
    city = _lead_city(slug)
    form = _submitted(DocumentForm(prefix="dokument"))
    on_invalid(_invalid(city, "document_form", form))
    name = services.add_document(current_user, city, form.title.data, form.file.data).storage_name

    @after_this_request
    def keep_file_only_with_its_row(response):
        # the boundary committed the row only for an answer below 400; otherwise the file has no owner
        if response.status_code >= 400:
            files.delete_stored(name)
        return response

    return _done(city, _("Das Dokument wurde gespeichert."))


@bp.route("/<slug>/dokumente/<int:document_id>/loeschen", methods=["POST"])
@login_required
def delete_document(slug, document_id):
    """Remove a document (after the confirmation step); the stored file goes after the commit."""
    city = _lead_city(slug)
    step = _removal_unconfirmed(city, _("Dokument entfernen?"),
                                _("Das Dokument wird gelöscht und ist nicht mehr abrufbar."),
                                url_for("strategy.delete_document", slug=city.slug, document_id=document_id))
    if step is not None:
        return step
    name = services.delete_document(current_user, city, document_id)

    @after_this_request
    def remove_file(response):
        if response.status_code < 400:
            files.delete_stored(name)
        return response

    return _done(city, _("Das Dokument wurde entfernt."))


@bp.route("/<slug>/handlungsfelder", methods=["POST"])
@login_required
def add_field(slug):
    """Add one of the city's own fields of action."""
    city = _lead_city(slug)
    form = _submitted(FieldForm(prefix="feld"))
    on_invalid(_invalid(city, "field_form", form))
    row = services.add_field(current_user, city, {"name": form.name.data, "description": form.description.data})
    return _done(city, _("Das Handlungsfeld %(name)s wurde angelegt.", name=row.name))


@bp.route("/<slug>/handlungsfelder/<int:field_id>", methods=["GET", "POST"])
@login_required
def edit_field(slug, field_id):
    """Rename, describe or move one of the city's own fields of action."""
    city = _lead_city(slug)
    row = services.field_or_404(city, field_id)
    form = FieldForm(obj=row) if request.method == "GET" else _submitted(FieldForm())

    def render(status=200):
        return render_template("strategy/field.html", city=city, row=row, form=form, action_form=ActionForm()), status

    if request.method == "POST":
        on_invalid(lambda exc: (apply_errors(form, exc.errors), render(exc.status))[1])
        services.update_field(current_user, city, row, {"name": form.name.data, "description": form.description.data,
                                                        "position": form.position.data})
        flash(_("Das Handlungsfeld wurde gespeichert."), "success")
        return redirect(url_for("strategy.edit", slug=city.slug))
    return render()


@bp.route("/<slug>/handlungsfelder/<int:field_id>/loeschen", methods=["POST"])
@login_required
def delete_field(slug, field_id):
    """Remove one of the city's own fields (after the confirmation step); its projects keep their network field."""
    city = _lead_city(slug)
    row = services.field_or_404(city, field_id)
    step = _removal_unconfirmed(city, _("Handlungsfeld %(name)s entfernen?", name=row.name),
                                _("Die Vorhaben dieses Felds behalten ihr Handlungsfeld des Netzwerks."),
                                url_for("strategy.delete_field", slug=city.slug, field_id=row.id))
    if step is not None:
        return step
    services.delete_field(current_user, city, row)
    return _done(city, _("Das Handlungsfeld wurde entfernt."))
