"""Funding pages: joint applications, their workspace (status, partners, shares, checklist, notes, documents)."""

import functools

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.forms import form_page, posted_action, succeeded
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

    def save(form):
        app_ = services.create_application(current_user, call, {
            "title": form.title.data, "description": form.description.data,
            "requested_amount": form.requested_amount.data})
        flash(_("Der Antrag ist angelegt. Laden Sie jetzt Partnerkommunen ein."), "success")
        return redirect(url_for("funding.application", application_id=app_.id))
    return form_page(form, "funding/new_application.html", save, call=call)


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
    return posted_action(form, functools.partial(_render_application, app_), **({form_name: form} if form_name else {}))


def _to_workspace(app_, message):
    return succeeded(message, url_for("funding.application", application_id=app_.id))


def _workspace_action(rule, form_class, form_name=None):
    """Register a POST of the workspace at ``rule`` (the endpoint is the function's name): the application (404 for
    one the user may not see), the posted form (``_workspace_form``), then ``act(app_, form)`` calls the service and
    returns the success message (back to the workspace) or its own answer."""
    def register(act):
        @functools.wraps(act)
        @login_required
        def view(application_id):
            app_ = services.get_application_or_404(current_user, application_id)
            answer_ = act(app_, _workspace_form(app_, form_class(), form_name))
            return _to_workspace(app_, answer_) if isinstance(answer_, str) else answer_
        bp.add_url_rule(rule, act.__name__, view, methods=["POST"])
        return view
    return register


@_workspace_action("/antraege/<int:application_id>/status", StatusForm, "status_form")
def update_application(app_, form):
    """Lead city: status and amounts."""
    services.update_application(current_user, app_, {
        "status": form.status.data, "requested_amount": form.requested_amount.data,
        "granted_amount": form.granted_amount.data}, version=form.version.data)
    return _("Status und Beträge sind gespeichert.")


@_workspace_action("/antraege/<int:application_id>/partner", PartnerForm, "partner_form")
def invite_partner(app_, form):
    """Lead city: invite a partner city."""
    services.invite_partner(current_user, app_, form.municipality_id.data)
    return _("Die Kommune ist eingeladen; ihre Leitung wird per E-Mail benachrichtigt.")


@_workspace_action("/antraege/<int:application_id>/antwort", AnswerForm)
def answer(app_, form):
    """An invited city accepts or declines."""
    services.answer_invitation(current_user, app_, form.decision.data)
    if form.decision.data != "accept":
        flash(_("Sie haben die Einladung abgelehnt."), "success")
        return redirect(url_for("funding.applications"))  # a declined city no longer sees the workspace
    return _("Ihre Kommune ist jetzt beim Antrag dabei.")


@_workspace_action("/antraege/<int:application_id>/anteil", ShareForm, "share_form")
def share(app_, form):
    """A member city sets its own share."""
    services.set_share(current_user, app_, form.share_amount.data, form.share_note.data)
    return _("Der Eigenanteil Ihrer Kommune ist gespeichert.")


@_workspace_action("/antraege/<int:application_id>/aufgaben", ItemForm, "item_form")
def add_item(app_, form):
    """Add a checklist item."""
    services.add_checklist_item(current_user, app_, {
        "title": form.title.data, "municipality_id": form.municipality_id.data, "due_on": form.due_on.data})
    return _("Die Aufgabe steht auf der Checkliste.")


@bp.route("/antraege/<int:application_id>/aufgaben/<int:item_id>", methods=["POST"])
@login_required
def toggle_item(application_id, item_id):
    """Tick or untick a checklist item."""
    app_ = services.get_application_or_404(current_user, application_id)
    item = services.get_item_or_404(app_, item_id)
    done = _workspace_form(app_, ToggleForm()).done.data == "1"
    services.set_item_done(current_user, app_, item, done)
    return _to_workspace(app_, _("Erledigt.") if done else _("Die Aufgabe ist wieder offen."))


@_workspace_action("/antraege/<int:application_id>/notizen", NoteForm, "note_form")
def add_note(app_, form):
    """Write a note in the workspace."""
    services.add_note(current_user, app_, form.body.data)
    return _("Die Notiz ist gespeichert.")


@_workspace_action("/antraege/<int:application_id>/dokumente", DocumentForm, "document_form")
def upload_document(app_, form):
    """Add a document to the workspace."""
    services.upload_document(current_user, app_, request.files.get("file"))
    return _("Das Dokument ist hochgeladen.")


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
    from network.core.files import delete_stored_after
    app_ = services.get_application_or_404(current_user, application_id)
    require(current_user, "funding.apply")
    doc = services.get_document_or_404(app_, document_id)
    _workspace_form(app_, ToggleForm())
    # the file goes after the boundary committed (a failed commit answers >= 400 and keeps the file)
    delete_stored_after(services.delete_document(current_user, app_, doc), success=True)
    return _to_workspace(app_, _("Das Dokument ist gelöscht."))
