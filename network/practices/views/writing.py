"""Writing a practice: the form with its preview, new and edit."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.markdown import render_markdown
from network.core.permissions import require
from network.practices import services
from network.practices.forms import PracticeForm
from network.practices.models import SECTIONS
from network.practices.views import bp


def _form_choices(form: PracticeForm, practice=None):
    """Fields of action and topics of the networks the city takes part in (fields grouped by network if more than
    one; a practice keeps its present ones), and the city's projects."""
    city_id = practice.municipality_id if practice is not None else current_user.municipality_id
    groups = services.field_groups(city_id, practice.field_id if practice is not None else None)
    if len(groups) > 1:
        form.field_id.choices = {None: [("", _("keines"))],
                                 **{name: [(str(f.id), f.name) for f in items] for name, items in groups}}
    else:
        form.field_id.choices = [("", _("keines"))] + [(str(f.id), f.name) for _n, items in groups for f in items]
    kept = [t.id for t in practice.topics] if practice is not None else []
    form.topic_ids.choices = [(str(t.id), t.name) for t in services.topic_choices(city_id, kept)]
    projects = services.project_choices(current_user)
    if projects is not None:
        form.project_id.choices = [("", _("keines"))] + [(str(i), t) for i, t in projects]
    return projects is not None


def _form_data(form: PracticeForm, with_project: bool) -> dict:
    data = {"title": form.title.data, "summary": form.summary.data, "visibility": form.visibility.data,
            "field_id": form.field_id.data, "topic_ids": form.topic_ids.data or [], "tags": form.tags.data,
            "sections": {key: getattr(form, key).data or "" for key in SECTIONS}}
    if with_project:
        data["project_id"] = form.project_id.data
    return data


def _preview(form: PracticeForm):
    sections = [(str(label), render_markdown(getattr(form, key).data)) for key, label in SECTIONS.items()
                if (getattr(form, key).data or "").strip()]
    return {"title": form.title.data or "", "summary": form.summary.data or "", "sections": sections}


def _render_form(template, form, status=200, **ctx):
    """The write or edit page with its form (and the preview, when asked for)."""
    return render_template(template, form=form, sections=list(SECTIONS), **ctx), status


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def new():
    """Start a practice (a draft of the own city), with a server-side preview."""
    require(current_user, "practice.write")
    form = PracticeForm()
    with_project = _form_choices(form)
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            return _render_form("practices/new.html", form, preview=_preview(form), with_project=with_project)
        on_invalid(lambda exc: _render_form("practices/new.html", form, exc.status, with_project=with_project), form)
        practice = services.create_practice(current_user, _form_data(form, with_project))
        flash(_("Der Entwurf %(title)s ist gespeichert.", title=practice.title), "success")
        return redirect(url_for("practices.detail", practice_id=practice.id))
    elif form.errors:
        return _render_form("practices/new.html", form, 422, with_project=with_project)
    return _render_form("practices/new.html", form, with_project=with_project)


@bp.route("/<int:practice_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(practice_id):
    """Edit a practice of the own city; every save is a revision; a stale version answers 409."""
    practice = services.get_practice_or_404(current_user, practice_id)
    require(current_user, "practice.write", practice)
    form = PracticeForm(obj=practice)
    with_project = _form_choices(form, practice)
    if request.method == "GET":
        for key in SECTIONS:
            getattr(form, key).data = practice.section(key)
        form.field_id.data = str(practice.field_id or "")
        form.topic_ids.data = [str(t.id) for t in practice.topics]
        form.project_id.data = str(practice.project_id or "")
        form.version.data = str(practice.version)
    ctx = {"practice": practice, "with_project": with_project}
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            return _render_form("practices/edit.html", form, preview=_preview(form), **ctx)
        on_invalid(lambda exc: _edit_refused(exc, practice_id, form, ctx), form)
        services.update_practice(current_user, practice, _form_data(form, with_project), version=form.version.data)
        flash(_("Der Praxisbericht ist gespeichert (neue Version)."), "success")
        return redirect(url_for("practices.detail", practice_id=practice.id))
    elif form.errors:
        return _render_form("practices/edit.html", form, 422, **ctx)
    return _render_form("practices/edit.html", form, **ctx)


def _edit_refused(exc, practice_id, form, ctx):
    """The edit page again; after a stale save with the current version, so that saving again overwrites."""
    if exc.status == 409:
        form.form_errors.append(exc.errors["version"])
        ctx["practice"] = practice = services.get_practice_or_404(current_user, practice_id)
        ctx["stale"] = True
        form.version.data = str(practice.version)
    return _render_form("practices/edit.html", form, exc.status, **ctx)
