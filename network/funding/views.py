"""Funding: radar, calls (record, edit, interest), joint applications with partners, checklist and notes."""

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_currency, format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.forms import apply_errors
from network.core.permissions import can, require
from network.core.validation import ValidationFailed
from network.extensions import db
from network.funding import services
from network.funding.forms import (AnswerForm, ApplicationForm, CallForm, DocumentForm, InterestForm, ItemForm,
                                   NoteForm, PartnerForm, ShareForm, StatusForm, ToggleForm)
from network.funding.models import APPLICATION_STATUSES, CALL_STATUSES, FUNDERS, berlin_today

bp = Blueprint("funding", __name__, url_prefix="/foerderung")


@bp.app_template_filter("euro")
def euro(value):
    """1.234,56 € (German) / €1,234.56 (English); "–" when empty."""
    return "–" if value is None else format_currency(value, "EUR")


@bp.app_template_filter("percent")
def percent(value):
    return "–" if value is None else format_decimal(value, "#,##0.##") + " %"


def german_amount(value) -> str:
    """How an amount is put back into a form field (the services parse German input)."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return text[:-3] if text.endswith(",00") else text


def german_date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _fail(exc: ValidationFailed, *forms):
    """Rollback and put the service's messages next to the fields of the given forms."""
    db.session.rollback()
    for form in forms:
        apply_errors(form, {k: v for k, v in exc.errors.items() if k in form._fields})
    return exc


# --- radar and calls ------------------------------------------------------------------------

@bp.route("/", endpoint="radar")
@login_required
def radar():
    """Open and upcoming calls by the nearest deadline, with filters."""
    args = request.args
    try:
        page = int(args.get("seite", 1))
    except ValueError:
        page = 1
    data = services.radar(current_user, status=args.get("status", "current"), funder=args.get("foerdergeber"),
                          field=args.get("handlungsfeld"), topic=args.get("thema"), page=page)
    filter_args = {k: v for k, v in {"status": data["status"] if data["status"] != "current" else None,
                                     "foerdergeber": data["funder"],
                                     "handlungsfeld": data["field"].slug if data["field"] else None,
                                     "thema": data["topic"].slug if data["topic"] else None}.items() if v}
    return render_template("funding/radar.html", r=data, funders=FUNDERS, statuses=CALL_STATUSES,
                           fields=services.fields_of_action(), topics=services.active_topics(),
                           filter_args=filter_args, today=berlin_today())


def _choices(form):
    form.field_ids.choices = [(str(f.id), f.name) for f in services.fields_of_action()]
    form.topic_ids.choices = [(str(t.id), t.name) for t in services.active_topics()]


def _call_data(form) -> dict:
    return {
        "title": form.title.data, "funder": form.funder.data, "funder_name": form.funder_name.data,
        "url": form.url.data, "summary": form.summary.data, "eligibility": form.eligibility.data,
        "joint_allowed": form.joint_allowed.data, "rate": form.rate.data, "min_amount": form.min_amount.data,
        "max_amount": form.max_amount.data, "opens_on": form.opens_on.data, "source": form.source.data,
        "checked_on": form.checked_on.data, "field_ids": form.field_ids.data or [],
        "topic_ids": form.topic_ids.data or [],
        "deadlines": [{"label": e.form.label.data, "due_on": e.form.due_on.data} for e in form.deadlines.entries],
    }


def _call_errors(form, exc):
    _fail(exc, form)
    for key, message in exc.errors.items():
        for prefix, sub in (("deadline_date_", "due_on"), ("deadline_label_", "label")):
            if key.startswith(prefix):
                i = int(key[len(prefix):])
                if i < len(form.deadlines.entries):
                    getattr(form.deadlines.entries[i].form, sub).errors = [message]
                    form.form_errors.append(_("Frist %(n)s: %(message)s", n=i + 1, message=message))
        if key == "deadlines":
            form.form_errors.append(message)
    return exc


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def new():
    """Record a funding call (coordination and city leads)."""
    require(current_user, "funding.record")
    form = CallForm()
    _choices(form)
    if request.method == "GET":
        form.checked_on.data = german_date(berlin_today())
    if form.validate_on_submit():
        try:
            call = services.create_call(current_user, _call_data(form))
        except ValidationFailed as exc:
            _call_errors(form, exc)
            return render_template("funding/new.html", form=form), exc.status
        db.session.commit()
        flash(_("Der Förderaufruf %(title)s ist erfasst.", title=call.title), "success")
        return redirect(url_for("funding.detail", call_id=call.id))
    elif form.errors:
        return render_template("funding/new.html", form=form), 422
    return render_template("funding/new.html", form=form)


@bp.route("/<int:call_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(call_id):
    """Edit a call, e.g. to update "zuletzt geprüft am" (with a version check)."""
    call = services.get_call_or_404(current_user, call_id)
    require(current_user, "funding.record")
    form = CallForm()
    _choices(form)
    if request.method == "GET":
        v = services.call_values(call)
        for key in ("title", "funder", "funder_name", "url", "summary", "eligibility", "joint_allowed", "source"):
            getattr(form, key).data = v[key]
        form.rate.data = german_amount(v["rate"])
        form.min_amount.data = german_amount(v["min_amount"])
        form.max_amount.data = german_amount(v["max_amount"])
        form.opens_on.data = german_date(v["opens_on"])
        form.checked_on.data = german_date(v["checked_on"])
        form.field_ids.data = [str(i) for i in v["field_ids"]]
        form.topic_ids.data = [str(i) for i in v["topic_ids"]]
        for entry, d in zip(form.deadlines.entries, v["deadlines"]):
            entry.form.label.data, entry.form.due_on.data = d["label"], german_date(d["due_on"])
        form.version.data = str(call.version)
    if form.validate_on_submit():
        try:
            services.update_call(current_user, call, _call_data(form), version=form.version.data)
        except ValidationFailed as exc:
            _call_errors(form, exc)
            return render_template("funding/edit.html", form=form, call=call), exc.status
        db.session.commit()
        flash(_("Der Förderaufruf wurde gespeichert."), "success")
        return redirect(url_for("funding.detail", call_id=call.id))
    elif form.errors:
        return render_template("funding/edit.html", form=form, call=call), 422
    return render_template("funding/edit.html", form=form, call=call)


@bp.route("/<int:call_id>/geprueft", methods=["POST"])
@login_required
def mark_checked(call_id):
    """Set "zuletzt geprüft am" to today."""
    call = services.get_call_or_404(current_user, call_id)
    require(current_user, "funding.record")
    if not ToggleForm().validate_on_submit():
        abort(400)
    services.mark_checked(current_user, call)
    db.session.commit()
    flash(_("Vermerkt: Die Angaben wurden heute geprüft."), "success")
    return redirect(url_for("funding.detail", call_id=call.id))


def _render_detail(call, status=200, error=None, interest_form=None):
    interests = services.interests_by_call([call.id])[call.id]
    own = services.own_interest(current_user, call)
    interest_form = interest_form or InterestForm(formdata=None, note=own.note if own else "")
    return render_template(
        "funding/detail.html", call=call, interests=interests, own_interest=own, interest_form=interest_form,
        applications=services.own_applications_by_call(current_user, [call.id])[call.id],
        matches=services.matching_projects(current_user, call), today=berlin_today(), error=error), status


@bp.route("/<int:call_id>")
@login_required
def detail(call_id):
    """A call: terms, deadlines with countdown, who is interested, matching projects, own applications."""
    call = services.get_call_or_404(current_user, call_id)
    return _render_detail(call)


@bp.route("/<int:call_id>/interesse", methods=["POST"])
@login_required
def interest(call_id):
    """Mark or unmark "wir prüfen eine Bewerbung" for the own city."""
    call = services.get_call_or_404(current_user, call_id)
    require(current_user, "funding.apply")
    form = InterestForm()
    if not form.validate_on_submit():
        abort(400)
    interested = form.interested.data != "0"
    try:
        services.set_interest(current_user, call, interested, form.note.data)
    except ValidationFailed as exc:
        _fail(exc, form)
        return _render_detail(call, exc.status, error=next(iter(exc.errors.values())), interest_form=form)
    db.session.commit()
    flash(_("Vermerkt: Ihre Kommune prüft eine Bewerbung.") if interested
          else _("Der Vermerk Ihrer Kommune ist entfernt."), "success")
    return redirect(url_for("funding.detail", call_id=call.id))


# --- applications ---------------------------------------------------------------------------

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
        try:
            app_ = services.create_application(current_user, call, {
                "title": form.title.data, "description": form.description.data,
                "requested_amount": form.requested_amount.data})
        except ValidationFailed as exc:
            _fail(exc, form)
            for key in ("call", "city"):
                if key in exc.errors:
                    form.form_errors.append(exc.errors[key])
            return render_template("funding/new_application.html", form=form, call=call), exc.status
        db.session.commit()
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


def _act(app_, form, action, message, form_name):
    """Run one application service: commit and flash, or re-render the workspace with the errors."""
    if not form.validate_on_submit():
        abort(400)
    try:
        action()
    except ValidationFailed as exc:
        _fail(exc, form)
        return _render_application(app_, exc.status, error=next(iter(exc.errors.values())), **{form_name: form})
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("funding.application", application_id=app_.id))


@bp.route("/antraege/<int:application_id>/status", methods=["POST"])
@login_required
def update_application(application_id):
    """Lead city: status and amounts."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = StatusForm()
    return _act(app_, form, lambda: services.update_application(current_user, app_, {
        "status": form.status.data, "requested_amount": form.requested_amount.data,
        "granted_amount": form.granted_amount.data}, version=form.version.data),
        _("Status und Beträge sind gespeichert."), "status_form")


@bp.route("/antraege/<int:application_id>/partner", methods=["POST"])
@login_required
def invite_partner(application_id):
    """Lead city: invite a partner city."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = PartnerForm()
    return _act(app_, form, lambda: services.invite_partner(current_user, app_, form.municipality_id.data),
                _("Die Kommune ist eingeladen; ihre Leitung wird per E-Mail benachrichtigt."), "partner_form")


@bp.route("/antraege/<int:application_id>/antwort", methods=["POST"])
@login_required
def answer(application_id):
    """An invited city accepts or declines."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = AnswerForm()
    accepted = form.decision.data == "accept"
    response = _act(app_, form, lambda: services.answer_invitation(current_user, app_, form.decision.data),
                    _("Ihre Kommune ist jetzt beim Antrag dabei.") if accepted
                    else _("Sie haben die Einladung abgelehnt."), "answer_form")
    if not accepted and response.status_code == 302:
        return redirect(url_for("funding.applications"))  # a declined city no longer sees the workspace
    return response


@bp.route("/antraege/<int:application_id>/anteil", methods=["POST"])
@login_required
def share(application_id):
    """A member city sets its own share."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = ShareForm()
    return _act(app_, form, lambda: services.set_share(current_user, app_, form.share_amount.data,
                                                       form.share_note.data),
                _("Der Eigenanteil Ihrer Kommune ist gespeichert."), "share_form")


@bp.route("/antraege/<int:application_id>/aufgaben", methods=["POST"])
@login_required
def add_item(application_id):
    """Add a checklist item."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = ItemForm()
    return _act(app_, form, lambda: services.add_checklist_item(current_user, app_, {
        "title": form.title.data, "municipality_id": form.municipality_id.data, "due_on": form.due_on.data}),
        _("Die Aufgabe steht auf der Checkliste."), "item_form")


@bp.route("/antraege/<int:application_id>/aufgaben/<int:item_id>", methods=["POST"])
@login_required
def toggle_item(application_id, item_id):
    """Tick or untick a checklist item."""
    app_ = services.get_application_or_404(current_user, application_id)
    item = services.get_item_or_404(app_, item_id)
    form = ToggleForm()
    done = form.done.data == "1"
    return _act(app_, form, lambda: services.set_item_done(current_user, app_, item, done),
                _("Erledigt.") if done else _("Die Aufgabe ist wieder offen."), "toggle_form")


@bp.route("/antraege/<int:application_id>/notizen", methods=["POST"])
@login_required
def add_note(application_id):
    """Write a note in the workspace."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = NoteForm()
    return _act(app_, form, lambda: services.add_note(current_user, app_, form.body.data),
                _("Die Notiz ist gespeichert."), "note_form")


@bp.route("/antraege/<int:application_id>/dokumente", methods=["POST"])
@login_required
def upload_document(application_id):
    """Add a document to the workspace."""
    app_ = services.get_application_or_404(current_user, application_id)
    form = DocumentForm()
    return _act(app_, form, lambda: services.upload_document(current_user, app_, request.files.get("file")),
                _("Das Dokument ist hochgeladen."), "document_form")


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
    """Remove a document; the file goes after the commit."""
    from network.core.files import delete_stored
    app_ = services.get_application_or_404(current_user, application_id)
    require(current_user, "funding.apply")
    doc = services.get_document_or_404(app_, document_id)
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        name = services.delete_document(current_user, app_, doc)
    except ValidationFailed as exc:
        db.session.rollback()
        return _render_application(app_, exc.status, error=next(iter(exc.errors.values())))
    db.session.commit()
    delete_stored(name)
    flash(_("Das Dokument ist gelöscht."), "success")
    return redirect(url_for("funding.application", application_id=app_.id))
