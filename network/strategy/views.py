"""Strategy pages: a city's Digitalstrategie (vision, fields of action with projects and traffic lights, roadmap,
council decisions, documents, yearly reports; printable), and the lead's editing page with its forms."""

import functools
from collections.abc import Callable
from typing import NamedTuple

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core import files
from network.core.boundary import on_invalid
from network.core.forms import apply_errors, confirmation_page, confirmed, submitted, succeeded
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


def _lead_city(slug):
    """The city, and the acting user is its lead (another city 404, staff and the coordination 403)."""
    city = inventory.city_or_404(slug)
    require(current_user, "strategy.edit", city)
    return city


def _done(city, message: str):
    """Back to the editing page with the success message."""
    return succeeded(message, url_for("strategy.edit", slug=city.slug))


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
    form = submitted(StrategyForm())
    on_invalid(_invalid(city, "form", form))
    services.save_strategy(current_user, city, {"vision": form.vision.data, "visibility": form.visibility.data},
                           version=form.version.data)
    return _done(city, _("Das Leitbild wurde gespeichert."))


def _edit_form(rule, form_class, prefix, key):
    """Register the POST of one form of the editing page at ``rule`` (the endpoint is the function's name): the lead
    only, the posted form (broken: 400; a refusal shows the editing page again with it as ``key``), then
    ``act(city, form)`` calls the service and returns the success message."""
    def register(act):
        @functools.wraps(act)
        @login_required
        def view(slug):
            city = _lead_city(slug)
            form = submitted(form_class(prefix=prefix))
            on_invalid(_invalid(city, key, form))
            return _done(city, act(city, form))
        bp.add_url_rule(rule, act.__name__, view, methods=["POST"])
        return view
    return register


class Removal(NamedTuple):
    """What the confirmation step of a removal says, what removes, and the message after it."""
    heading: str
    line: str
    remove: Callable[[], object]
    message: str


def _removal(rule):
    """Register a removal from the editing page at ``rule`` (the endpoint is the function's name): the lead only,
    ``ask(city, **ids)`` (which may answer 404) says what goes, the posted action form (broken: 400), the confirmation
    page until the post carries confirm=1, then the removal and back to the editing page."""
    def register(ask):
        @functools.wraps(ask)
        @login_required
        def view(slug, **ids):
            city = _lead_city(slug)
            step = ask(city, **ids)
            submitted(ActionForm())
            if not confirmed():
                return confirmation_page(heading=step.heading, lines=[step.line], button=_("Ja, entfernen"),
                                         action=url_for(f"strategy.{ask.__name__}", slug=city.slug, **ids),
                                         back=url_for("strategy.edit", slug=city.slug))
            step.remove()
            return _done(city, step.message)
        bp.add_url_rule(rule, ask.__name__, view, methods=["POST"])
        return view
    return register


@_edit_form("/<slug>/beschluesse", DecisionForm, "beschluss", "decision_form")
def add_decision(city, form):
    """Record a council decision (day and title)."""
    services.add_decision(current_user, city, {"decided_on": form.decided_on.data, "title": form.title.data})
    return _("Der Beschluss wurde eingetragen.")


@_removal("/<slug>/beschluesse/<int:decision_id>/loeschen")
def delete_decision(city, decision_id):
    """Remove a council decision (after the confirmation step)."""
    return Removal(_("Beschluss entfernen?"), _("Der Beschluss verschwindet aus der Digitalstrategie."),
                   lambda: services.delete_decision(current_user, city, decision_id),
                   _("Der Beschluss wurde entfernt."))


@_edit_form("/<slug>/dokumente", DocumentForm, "dokument", "document_form")
def upload(city, form):
    """Add a document (the strategy PDF, a council paper), checked by content."""
    # the boundary commits the row only for an answer below 400; otherwise the file has no owner and goes
    files.delete_stored_after(services.add_document(current_user, city, form.title.data, form.file.data).storage_name,
                              success=False)
    return _("Das Dokument wurde gespeichert.")


@_removal("/<slug>/dokumente/<int:document_id>/loeschen")
def delete_document(city, document_id):
    """Remove a document (after the confirmation step); the stored file goes after the commit."""
    return Removal(_("Dokument entfernen?"), _("Das Dokument wird gelöscht und ist nicht mehr abrufbar."),
                   lambda: files.delete_stored_after(services.delete_document(current_user, city, document_id),
                                                     success=True), _("Das Dokument wurde entfernt."))


@_edit_form("/<slug>/handlungsfelder", FieldForm, "feld", "field_form")
def add_field(city, form):
    """Add one of the city's own fields of action."""
    row = services.add_field(current_user, city, {"name": form.name.data, "description": form.description.data})
    return _("Das Handlungsfeld %(name)s wurde angelegt.", name=row.name)


@bp.route("/<slug>/handlungsfelder/<int:field_id>", methods=["GET", "POST"])
@login_required
def edit_field(slug, field_id):
    """Rename, describe or move one of the city's own fields of action."""
    city = _lead_city(slug)
    row = services.field_or_404(city, field_id)
    form = FieldForm(obj=row) if request.method == "GET" else submitted(FieldForm())

    def render(status=200):
        return render_template("strategy/field.html", city=city, row=row, form=form, action_form=ActionForm()), status

    if request.method == "POST":
        on_invalid(lambda exc: (apply_errors(form, exc.errors), render(exc.status))[1])
        services.update_field(current_user, city, row, {"name": form.name.data, "description": form.description.data,
                                                        "position": form.position.data})
        return _done(city, _("Das Handlungsfeld wurde gespeichert."))
    return render()


@_removal("/<slug>/handlungsfelder/<int:field_id>/loeschen")
def delete_field(city, field_id):
    """Remove one of the city's own fields (after the confirmation step); its projects keep their network field."""
    row = services.field_or_404(city, field_id)
    return Removal(_("Handlungsfeld %(name)s entfernen?", name=row.name),
                   _("Die Vorhaben dieses Felds behalten ihr Handlungsfeld des Netzwerks."),
                   lambda: services.delete_field(current_user, city, row), _("Das Handlungsfeld wurde entfernt."))
