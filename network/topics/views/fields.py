"""Fields of action (coordination): the list with a form to add one, and renaming or reordering one."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.permissions import require
from network.topics import services
from network.topics.forms import FieldOfActionForm
from network.topics.views import bp


def _field_data(form):
    return {"name": form.name.data, "description": form.description.data, "position": form.position.data}


def _form_status(form) -> int:
    """422 for a form the browser-side validation refused (one German text for the position), else 200."""
    if "position" in form.errors:
        form.position.errors = [_("Bitte geben Sie die Reihenfolge als ganze Zahl von 0 bis 999 an.")]
    return 422 if form.errors else 200


def _fields_page(form):
    return render_template("topics/fields.html", form=form, fields=services.fields_of_action())


@bp.route("/handlungsfelder/", methods=["GET", "POST"])
@login_required
def fields():
    """Coordinator: the fields of action and a form to add one."""
    require(current_user, "topic.manage")
    form = FieldOfActionForm()
    if form.validate_on_submit():
        on_invalid(lambda exc: _fields_page(form), form)
        field = services.create_field(current_user, _field_data(form))
        flash(_("Das Handlungsfeld %(name)s wurde angelegt.", name=field.name), "success")
        return redirect(url_for("topics.fields"))
    status = _form_status(form)  # before rendering: it puts the German position message on the form
    return _fields_page(form), status


@bp.route("/handlungsfelder/<int:field_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_field(field_id):
    """Coordinator: rename or reorder a field of action."""
    require(current_user, "topic.manage")
    field = services.get_field_or_404(field_id)
    form = FieldOfActionForm(obj=field)
    if form.validate_on_submit():
        on_invalid("topics/edit_field.html", form, form=form, item=field)
        services.update_field(current_user, field, _field_data(form))
        flash(_("Das Handlungsfeld wurde gespeichert."), "success")
        return redirect(url_for("topics.fields"))
    status = _form_status(form)
    return render_template("topics/edit_field.html", form=form, item=field), status
