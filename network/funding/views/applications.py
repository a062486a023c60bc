"""Funding pages: joint applications, their workspace (status, partners, shares, checklist, notes, documents)."""

from flask import abort, after_this_request, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.permissions import can, require
from network.funding import services
from network.funding.forms import (AnswerForm, ApplicationForm, DocumentForm, ItemForm, NoteForm, PartnerForm,
                                   ShareForm, StatusForm, ToggleForm)
from network.funding.models import APPLICATION_STATUSES, berlin_today
from network.funding.views import bp, german_amount


@bp.route("/<int:call_id>/antrag", methods=["GET", "POST"])
@login_required
def new_application(call_id):
    """Start a (joint) application; the own city is the lead applicant."""
    call = services.get_call_or_404(current_user, call_id)
    require(current_user, "funding.apply")
    form = ApplicationForm()
    if request.method == "GET":
        form.title.data = call.title
    if form.validate_on_submit():
        on_invalid("funding/new_application.html", form, form=form, call=call)
        app_ = services.create_application(current_user, call, {
            "title": form.title.data, "description": form.description.data,
            "requested_amount": form.requested_amount.data})
        flash(_("Der Antrag ist angelegt. Laden Sie jetzt Partnerkommunen ein."), "success")
        return redirect(url_for("funding.application", application_id=app_.id))
    elif form.errors:
        return render_template("funding/new_application.html", form=form, call=call), 422
    return render_template("funding/new_application.html", form=form, call=call)


@bp.route("/antraege/")
@login_required
def applications():
    """The applications of the own city (the coordination: all) and open invitations."""
    return render_template("funding/applications.html", items=services.applications_for(current_user),
                           invitations=services.pending_invitations(current_user))


def _render_application(app_, status=200, error=None, **forms):
    """The workspace page; after a refused form that form (with its messages) and the first message on top."""
    member = services.membership(current_user, app_)
    accepted = [m for m in app_.members if m.status == "accepted"]
    status_form = forms.get("status_form") or StatusForm(
        formdata=None, status=app_.status, requested_amount=german_amount(app_.requested_amount),
        granted_amount=german_amount(app_.granted_amount), version=str(app_.version))
    partner_form = forms.get("partner_form") or PartnerForm(formdata=None)
    partner_form.municipality_id.choices = [("", _("Bitte wählen"))] + [
        (str(c.id), c.name) for c in services.invitable_cities(app_)]
    share_form = forms.get("share_form") or ShareForm(
        formdata=None, share_amount=german_amount(member.share_amount) if member else "",
        share_note=member.share_note if member else "")
    item_form = forms.get("item_form") or ItemForm(formdata=None)
    if member is not None and member.role == "lead":
        item_form.municipality_id.choices = [(str(m.municipality_id), m.municipality.name) for m in accepted]
    elif member is not None:
        item_form.municipality_id.choices = [(str(member.municipality_id), member.municipality.name)]
    if request.method == "GET" and member is not None:
        item_form.municipality_id.data = str(member.municipality_id)
    is_lead_city = member is not None and member.role == "lead" and can(current_user, "funding.apply")
    active = member is not None and member.status == "accepted"
    return render_template(
        "funding/application.html", a=app_, w=services.application_workspace(app_), member=member,
        is_lead_city=is_lead_city, active=active, statuses=APPLICATION_STATUSES, status_form=status_form,
        partner_form=partner_form, share_form=share_form, item_form=item_form,
        note_form=forms.get("note_form") or NoteForm(formdata=None), toggle_form=ToggleForm(formdata=None),
        answer_form=AnswerForm(formdata=None), document_form=forms.get("document_form") or DocumentForm(formdata=None),
        documents=services.documents(app_), today=berlin_today(), error=error), status


@bp.route("/antraege/<int:application_id>")
@login_required
def application(application_id):
    """The joint application's workspace: partners and shares, checklist, notes, timeline."""
    app_ = services.get_application_or_404(current_user, application_id)
    return _render_application(app_)


def _workspace_form(app_, form, form_name=None):
    """A workspace form was posted: 400 without a valid CSRF token; a refusal re-renders the workspace."""
    if not form.validate_on_submit():
        abort(400)
    forms = {form_name: form} if form_name else {}
    on_invalid(lambda exc: _render_application(app_, exc.status, error=next(iter(exc.errors.values())), **forms),
               form)
    return form


def _to_workspace(app_, message):
    flash(message, "success")
    return redirect(url_for("funding.application", application_id=app_.id))


@bp.route("/antraege/<int:application_id>/status", methods=["POST"])
@login_required
def update_application(application_id):
    """Lead city: status and amounts."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = _workspace_form(app_, StatusForm(), "status_form")
    services.update_application(current_user, app_, {
        "status": form.status.data, "requested_amount": form.requested_amount.data,
        "granted_amount": form.granted_amount.data}, version=form.version.data)
    return _to_workspace(app_, _("Status und Beträge sind gespeichert."))


@bp.route("/antraege/<int:application_id>/partner", methods=["POST"])
@login_required
def invite_partner(application_id):
    """Lead city: invite a partner city."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = _workspace_form(app_, PartnerForm(), "partner_form")
    services.invite_partner(current_user, app_, form.municipality_id.data)
    return _to_workspace(app_, _("Die Kommune ist eingeladen; ihre Leitung wird per E-Mail benachrichtigt."))


@bp.route("/antraege/<int:application_id>/antwort", methods=["POST"])
@login_required
def answer(application_id):
    """An invited city accepts or declines."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = _workspace_form(app_, AnswerForm())
    services.answer_invitation(current_user, app_, form.decision.data)
    if form.decision.data != "accept":
        flash(_("Sie haben die Einladung abgelehnt."), "success")
        return redirect(url_for("funding.applications"))  # a declined city no longer sees the workspace
    return _to_workspace(app_, _("Ihre Kommune ist jetzt beim Antrag dabei."))


@bp.route("/antraege/<int:application_id>/anteil", methods=["POST"])
@login_required
def share(application_id):
    """A member city sets its own share."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = _workspace_form(app_, ShareForm(), "share_form")
    services.set_share(current_user, app_, form.share_amount.data, form.share_note.data)
    return _to_workspace(app_, _("Der Eigenanteil Ihrer Kommune ist gespeichert."))


@bp.route("/antraege/<int:application_id>/aufgaben", methods=["POST"])
@login_required
def add_item(application_id):
    """Add a checklist item."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = _workspace_form(app_, ItemForm(), "item_form")
    services.add_checklist_item(current_user, app_, {
        "title": form.title.data, "municipality_id": form.municipality_id.data, "due_on": form.due_on.data})
    return _to_workspace(app_, _("Die Aufgabe steht auf der Checkliste."))


@bp.route("/antraege/<int:application_id>/aufgaben/<int:item_id>", methods=["POST"])
@login_required
def toggle_item(application_id, item_id):
    """Tick or untick a checklist item."""
    app_ = services.get_application_or_404(current_user, application_id)
    item = services.get_item_or_404(app_, item_id)
    form = _workspace_form(app_, ToggleForm())
    done = form.done.data == "1"
    services.set_item_done(current_user, app_, item, done)
    return _to_workspace(app_, _("Erledigt.") if done else _("Die Aufgabe ist wieder offen."))


@bp.route("/antraege/<int:application_id>/notizen", methods=["POST"])
@login_required
def add_note(application_id):
    """Write a note in the workspace."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = _workspace_form(app_, NoteForm(), "note_form")
    services.add_note(current_user, app_, form.body.data)
    return _to_workspace(app_, _("Die Notiz ist gespeichert."))


@bp.route("/antraege/<int:application_id>/dokumente", methods=["POST"])
@login_required
def upload_document(application_id):
    """Add a document to the workspace."""
    app_ = services.get_application_or_404(current_user, application_id)
    _workspace_form(app_, DocumentForm(), "document_form")
    services.upload_document(current_user, app_, request.files.get("file"))
    return _to_workspace(app_, _("Das Dokument ist hochgeladen."))


@bp.route("/antraege/<int:application_id>/dokumente/<int:document_id>")
@login_required
def download_document(application_id, document_id):
    """Download a document (always as an attachment)."""
    from network.core.files import send_stored
    app_ = services.get_application_or_404(current_user, application_id)
    doc = services.get_document_or_404(app_, document_id)
    try:
        return send_stored(doc.storage_name, doc.original_name, doc.content_type)
    except FileNotFoundError:
        abort(404)


@bp.route("/antraege/<int:application_id>/dokumente/<int:document_id>/loeschen", methods=["POST"])
@login_required
def delete_document(application_id, document_id):
    """Remove a document; the file goes only after the row's deletion is committed."""
    from network.core.files import delete_stored
    app_ = services.get_application_or_404(current_user, application_id)
    require(current_user, "funding.apply")
    doc = services.get_document_or_404(app_, document_id)
    _workspace_form(app_, ToggleForm())
    name = services.delete_document(current_user, app_, doc)

    @after_this_request
    def remove_file(response):
        # runs after the boundary committed (a failed commit answers >= 400 and keeps the file)
        if response.status_code < 400:
            delete_stored(name)
        return response
    return _to_workspace(app_, _("Das Dokument ist gelöscht."))
