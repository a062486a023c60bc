"""Meetings pages: overview, bodies and their history, meeting page, poll, agenda, RSVP, minutes, calendars."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.forms import apply_errors
from network.core.markdown import render_markdown
from network.core.permissions import can, require
from network.core.validation import ValidationFailed
from network.extensions import db
from network.meetings import services
from network.meetings.forms import (ActionItemForm, AgendaItemForm, BodyForm, CancelForm, DecisionForm, MeetingForm,
                                    MinutesForm, RsvpForm, SlotForm)
from network.meetings.models import POLL_ANSWERS, POLL_SYMBOLS

# no url_prefix: the calendar routes live under /meetings/ and /calendar/ as the issue names them
bp = Blueprint("meetings", __name__)


def _fail(exc: ValidationFailed, form):
    db.session.rollback()
    apply_errors(form, exc.errors)
    return exc.status


# --- overview and bodies ----------------------------------------------------------------------

@bp.route("/treffen/", endpoint="list")
@login_required
def list_meetings():
    """Upcoming meetings and running polls of the user's bodies."""
    require(current_user, "meeting.view")
    return render_template("meetings/list.html", meetings=services.upcoming_meetings(current_user),
                           polls=services.running_polls(current_user),
                           organisable=services.organisable_bodies(current_user))


@bp.route("/treffen/gremien/")
@login_required
def bodies():
    """The bodies the user belongs to (all for the coordination)."""
    return render_template("meetings/bodies.html", bodies=services.visible_bodies(current_user))


def _body_form_choices(form):
    form.topic_id.choices = [("", _("kein Thema"))] + [(str(t.id), t.name) for t in services.active_topics()]
    form.city_ids.choices = [(str(c.id), c.name) for c in services.member_cities()]
    form.person_ids.choices = [(str(u.id), f"{u.name} ({u.municipality.name if u.municipality else _('Koordination')})")
                               for u in services.all_people()]


def _body_data(form):
    return {"kind": form.kind.data, "name": form.name.data, "description": form.description.data,
            "topic_id": form.topic_id.data, "city_ids": form.city_ids.data or [],
            "person_ids": form.person_ids.data or []}


@bp.route("/treffen/gremien/neu", methods=["GET", "POST"])
@login_required
def new_body():
    """Coordinator: add a body."""
    require(current_user, "body.manage")
    form = BodyForm()
    _body_form_choices(form)
    if request.method == "POST":
        try:
            body = services.create_body(current_user, _body_data(form))
        except ValidationFailed as exc:
            status = _fail(exc, form)
            return render_template("meetings/body_form.html", form=form, body=None), status
        db.session.commit()
        flash(_("Das Gremium %(name)s wurde angelegt.", name=body.name), "success")
        return redirect(url_for("meetings.body", body_id=body.id))
    return render_template("meetings/body_form.html", form=form, body=None)


@bp.route("/treffen/gremien/<int:body_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_body(body_id):
    """Coordinator: change a body and its members."""
    body = services.get_body_or_404(current_user, body_id)
    require(current_user, "body.manage")
    form = BodyForm(obj=body)
    _body_form_choices(form)
    if request.method == "GET":
        form.topic_id.data = str(body.topic_id or "")
        form.city_ids.data = [str(c.id) for c in services.body_cities(body.id)]
        form.person_ids.data = [str(u.id) for u in services.body_persons(body.id)]
        form.version.data = str(body.version)
    else:
        try:
            services.update_body(current_user, body, _body_data(form), version=form.version.data)
        except ValidationFailed as exc:
            status = _fail(exc, form)
            return render_template("meetings/body_form.html", form=form, body=body), status
        db.session.commit()
        flash(_("Das Gremium wurde gespeichert."), "success")
        return redirect(url_for("meetings.body", body_id=body.id))
    return render_template("meetings/body_form.html", form=form, body=body)


@bp.route("/treffen/gremien/<int:body_id>")
@login_required
def body(body_id):
    """A body: members, host rotation and the searchable history of its meetings."""
    b = services.get_body_or_404(current_user, body_id)
    q = request.args.get("q", "").strip()[:100]
    meetings = services.body_history(current_user, b, q or None)
    return render_template("meetings/body.html", body=b, q=q, meetings=meetings,
                           decisions=services.decisions_by_meeting([m.id for m in meetings
                                                                    if m.minutes_status == "published"]),
                           cities=services.body_cities(b.id), persons=services.body_persons(b.id),
                           s=services.suggestions(b), may_organise=services.may_organise(current_user, b))


# --- meetings --------------------------------------------------------------------------------------

def _meeting_form_choices(form, body):
    form.host_id.choices = [("", _("noch offen"))] + [(str(c.id), c.name) for c in services.body_cities(body.id)]


def _meeting_data(form):
    return {k: getattr(form, k).data for k in ("number", "title", "host_id", "date", "start_time", "end_time",
                                                "address", "room", "online_url", "capacity", "cutoff_date",
                                                "cutoff_time", "description")}


@bp.route("/treffen/neu", methods=["GET", "POST"])
@login_required
def new():
    """Organiser: schedule a meeting (or start a date poll) with suggested number and host."""
    require(current_user, "meeting.organise")
    choices = services.organisable_bodies(current_user)
    if not choices:
        abort(403)
    try:
        body_id = int(request.values.get("gremium", ""))
    except ValueError:
        body_id = None
    b = next((x for x in choices if x.id == body_id), None)
    if b is None:
        return render_template("meetings/choose_body.html", bodies=choices)
    s = services.suggestions(b)
    form = MeetingForm()
    _meeting_form_choices(form, b)
    if request.method == "GET":
        form.number.data = str(s["number"])
        form.title.data = s["title"]
        form.host_id.data = str(s["host"].id) if s["host"] else ""
    else:
        try:
            meeting = services.create_meeting(current_user, b, _meeting_data(form))
        except ValidationFailed as exc:
            status = _fail(exc, form)
            return render_template("meetings/meeting_form.html", form=form, body=b, s=s, meeting=None), status
        db.session.commit()
        if meeting.status == "polling":
            flash(_("Das Treffen wurde angelegt. Schlagen Sie jetzt Termine für die Umfrage vor."), "success")
            return redirect(url_for("meetings.poll", meeting_id=meeting.id))
        flash(_("Das Treffen wurde angelegt; die Einladungen werden verschickt."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, body=b, s=s, meeting=None)


@bp.route("/treffen/<int:meeting_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(meeting_id):
    """Organiser: change a meeting; attendees get an update with a raised SEQUENCE."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    require(current_user, "meeting.organise")
    if not services.may_organise(current_user, meeting.body):
        abort(403)
    form = MeetingForm(obj=meeting)
    _meeting_form_choices(form, meeting.body)
    s = services.suggestions(meeting.body)
    if request.method == "GET":
        from network.meetings.ical import BERLIN
        form.number.data = str(meeting.number or "")
        form.host_id.data = str(meeting.host_municipality_id or "")
        form.capacity.data = str(meeting.capacity or "")
        if meeting.starts_at:
            form.date.data = meeting.starts_at.astimezone(BERLIN).date().isoformat()
            form.start_time.data = meeting.starts_at.astimezone(BERLIN).strftime("%H:%M")
            form.end_time.data = meeting.ends_at.astimezone(BERLIN).strftime("%H:%M")
        if meeting.proposal_cutoff:
            form.cutoff_date.data = meeting.proposal_cutoff.astimezone(BERLIN).date().isoformat()
            form.cutoff_time.data = meeting.proposal_cutoff.astimezone(BERLIN).strftime("%H:%M")
        form.version.data = str(meeting.version)
    else:
        try:
            services.update_meeting(current_user, meeting, _meeting_data(form), version=form.version.data)
        except ValidationFailed as exc:
            status = _fail(exc, form)
            return render_template("meetings/meeting_form.html", form=form, body=meeting.body, s=s,
                                   meeting=meeting), status
        db.session.commit()
        flash(_("Das Treffen wurde gespeichert."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, body=meeting.body, s=s, meeting=meeting)


def _render_detail(meeting, status=200, conflicts=None, **forms):
    # a conflict (409: cancelled, over, closed) concerns the page, not a field: shown on top
    if status == 409:
        conflicts = (conflicts or []) + [errs[0] for f in forms.values() for errs in f.errors.values() if errs]
    rsvp = services.own_rsvp(current_user, meeting)
    rsvp_form = forms.get("rsvp_form") or RsvpForm(formdata=None, response=rsvp.response if rsvp else "yes",
                                                   note=rsvp.note if rsvp else "")
    may_minutes = services.may_write_minutes(current_user, meeting)
    action_form = forms.get("action_form") or ActionItemForm(formdata=None)
    action_form.action_city.choices = [("", _("Bitte wählen"))] + [
        (str(c.id), c.name) for c in services.body_cities(meeting.body_id)]
    return render_template(
        "meetings/detail.html", meeting=meeting, rsvp=rsvp, rsvp_form=rsvp_form,
        att=services.attendees(meeting), ag=services.agenda(meeting), rec=services.meeting_records(meeting),
        may_organise=services.may_organise(current_user, meeting.body), may_minutes=may_minutes,
        is_over=services.is_over(meeting), conflicts=conflicts or [],
        minutes_html=render_markdown(meeting.minutes) if services.minutes_visible(current_user, meeting) else None,
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None), action_form=action_form,
        cancel_form=forms.get("cancel_form") or CancelForm(formdata=None), poll=services.poll_table(meeting)
        if meeting.status == "polling" else None), status


@bp.route("/treffen/<int:meeting_id>")
@login_required
def detail(meeting_id):
    """A meeting: date and place, RSVP, attendees by city, agenda, minutes, decisions, action items."""
    return _render_detail(services.get_meeting_or_404(current_user, meeting_id))


@bp.route("/treffen/<int:meeting_id>/zusage", methods=["POST"])
@login_required
def rsvp(meeting_id):
    """Answer the invitation: yes / no / maybe with a note."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    form = RsvpForm()
    try:
        row = services.record_rsvp(current_user, meeting, form.response.data, form.note.data)
    except ValidationFailed as exc:
        status = _fail(exc, form)
        return _render_detail(meeting, status, rsvp_form=form)
    db.session.commit()
    waiting = row.response == "yes" and row.id in services.attendees(meeting)["waiting_ids"]
    flash(_("Sie stehen auf der Warteliste.") if waiting else _("Ihre Antwort wurde gespeichert."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


@bp.route("/treffen/<int:meeting_id>/absagen", methods=["POST"])
@login_required
def cancel(meeting_id):
    """Organiser: call the meeting off (everyone invited gets a cancellation)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    form = CancelForm()
    try:
        services.cancel_meeting(current_user, meeting, form.reason.data)
    except ValidationFailed as exc:
        status = _fail(exc, form)
        return _render_detail(meeting, status, cancel_form=form)
    db.session.commit()
    flash(_("Das Treffen wurde abgesagt; alle Eingeladenen werden benachrichtigt."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


# --- poll ----------------------------------------------------------------------------------------------

def _render_poll(meeting, status=200, slot_form=None, vote_errors=None):
    table = services.poll_table(meeting)
    return render_template("meetings/poll.html", meeting=meeting, t=table, answers=POLL_ANSWERS,
                           symbols=POLL_SYMBOLS, slot_form=slot_form or SlotForm(formdata=None),
                           may_organise=services.may_organise(current_user, meeting.body),
                           vote_errors=vote_errors or {}, may_vote=can(current_user, "meeting.vote")), status


@bp.route("/treffen/<int:meeting_id>/umfrage", methods=["GET", "POST"])
@login_required
def poll(meeting_id):
    """The date poll: answers and totals per slot; the organiser adds slots here (POST)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    if request.method == "GET":
        return _render_poll(meeting)
    form = SlotForm()
    try:
        services.add_slot(current_user, meeting, {"date": form.date.data, "start_time": form.start_time.data,
                                                  "end_time": form.end_time.data})
    except ValidationFailed as exc:
        status = _fail(exc, form)
        return _render_poll(meeting, status, slot_form=form)
    db.session.commit()
    flash(_("Der Terminvorschlag wurde hinzugefügt."), "success")
    return redirect(url_for("meetings.poll", meeting_id=meeting.id))


@bp.route("/treffen/<int:meeting_id>/umfrage/stimmen", methods=["POST"])
@login_required
def vote(meeting_id):
    """A member answers the poll (one radio group per slot)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    answers = {k[len("slot-"):]: v for k, v in request.form.items() if k.startswith("slot-")}
    try:
        services.cast_votes(current_user, meeting, answers)
    except ValidationFailed as exc:
        db.session.rollback()
        return _render_poll(meeting, exc.status, vote_errors=exc.errors)
    db.session.commit()
    flash(_("Ihre Antworten wurden gespeichert."), "success")
    return redirect(url_for("meetings.poll", meeting_id=meeting.id))


@bp.route("/treffen/<int:meeting_id>/umfrage/<int:slot_id>/festlegen", methods=["POST"])
@login_required
def pick_slot(meeting_id, slot_id):
    """Organiser: the slot becomes the date and the invitations go out."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    slot = services.get_slot_or_404(meeting, slot_id)
    try:
        services.pick_slot(current_user, meeting, slot)
    except ValidationFailed as exc:
        db.session.rollback()
        return _render_poll(meeting, exc.status, vote_errors=exc.errors)
    db.session.commit()
    flash(_("Der Termin steht fest; die Einladungen werden verschickt."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


@bp.route("/treffen/<int:meeting_id>/umfrage/<int:slot_id>/entfernen", methods=["POST"])
@login_required
def delete_slot(meeting_id, slot_id):
    """Organiser: remove a proposed date (its answers go with it)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    slot = services.get_slot_or_404(meeting, slot_id)
    try:
        services.delete_slot(current_user, meeting, slot)
    except ValidationFailed as exc:
        db.session.rollback()
        return _render_poll(meeting, exc.status, vote_errors=exc.errors)
    db.session.commit()
    flash(_("Der Terminvorschlag wurde entfernt."), "success")
    return redirect(url_for("meetings.poll", meeting_id=meeting.id))


# --- agenda ------------------------------------------------------------------------------------------

def _item_choices(form, meeting):
    form.presenter_municipality_id.choices = [("", _("keine Angabe"))] + [
        (str(c.id), c.name) for c in services.member_cities()]
    form.topic_id.choices = [("", _("kein Thema"))] + [(str(t.id), t.name) for t in services.active_topics()]


@bp.route("/treffen/<int:meeting_id>/tagesordnung", methods=["GET", "POST"])
@login_required
def agenda(meeting_id):
    """The agenda; members propose items until the cutoff, the organiser adds them directly (POST)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    form = AgendaItemForm() if request.method == "POST" else AgendaItemForm(formdata=None)
    _item_choices(form, meeting)
    status = 200
    if request.method == "POST":
        data = {k: getattr(form, k).data for k in ("title", "presenter_municipality_id", "presenter_name",
                                                    "duration_minutes", "topic_id", "link_path", "link_label")}
        try:
            item = services.add_agenda_item(current_user, meeting, data)
        except ValidationFailed as exc:
            status = _fail(exc, form)
        else:
            db.session.commit()
            flash(_("Der Punkt steht auf der Tagesordnung.") if item.status == "accepted"
                  else _("Ihr Vorschlag wurde eingereicht; die Organisation entscheidet."), "success")
            return redirect(url_for("meetings.agenda", meeting_id=meeting.id))
    return render_template("meetings/agenda.html", meeting=meeting, ag=services.agenda(meeting), form=form,
                           may_organise=services.may_organise(current_user, meeting.body),
                           proposals_open=services.proposals_open(meeting)), status


@bp.route("/treffen/<int:meeting_id>/tagesordnung/<int:item_id>", methods=["POST"])
@login_required
def agenda_item(meeting_id, item_id):
    """Organiser: accept, reject, move or time an agenda item."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    item = services.get_item_or_404(meeting, item_id)
    try:
        services.agenda_action(current_user, meeting, item, request.form.get("action", ""),
                               request.form.get("duration_minutes"))
    except ValidationFailed as exc:
        db.session.rollback()
        form = AgendaItemForm(formdata=None)
        _item_choices(form, meeting)
        return render_template("meetings/agenda.html", meeting=meeting, ag=services.agenda(meeting), form=form,
                               may_organise=services.may_organise(current_user, meeting.body),
                               proposals_open=services.proposals_open(meeting),
                               action_error=next(iter(exc.errors.values()))), exc.status
    db.session.commit()
    flash(_("Die Tagesordnung wurde geändert."), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id))


# --- minutes, decisions, action items ---------------------------------------------------------------

@bp.route("/treffen/<int:meeting_id>/protokoll", methods=["GET", "POST"])
@login_required
def minutes(meeting_id):
    """Organiser or host: write the Markdown minutes and publish them to the members."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    require(current_user, "meeting.organise")
    if not services.may_write_minutes(current_user, meeting):
        abort(403)
    form = MinutesForm(obj=meeting) if request.method == "GET" else MinutesForm()
    if request.method == "GET":
        form.version.data = str(meeting.version)
        return render_template("meetings/minutes.html", meeting=meeting, form=form,
                               preview=render_markdown(meeting.minutes))
    publish = "publish" in request.form
    try:
        services.save_minutes(current_user, meeting, form.minutes.data, publish=publish, version=form.version.data)
    except ValidationFailed as exc:
        status = _fail(exc, form)
        return render_template("meetings/minutes.html", meeting=meeting, form=form,
                               preview=render_markdown(form.minutes.data)), status
    db.session.commit()
    flash(_("Das Protokoll wurde veröffentlicht.") if publish else _("Der Entwurf wurde gespeichert."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id) if publish
                    else url_for("meetings.minutes", meeting_id=meeting.id))


@bp.route("/treffen/<int:meeting_id>/beschluesse", methods=["POST"])
@login_required
def add_decision(meeting_id):
    """Record a decision (Beschluss)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    form = DecisionForm()
    try:
        services.add_decision(current_user, meeting, form.decision_text.data)
    except ValidationFailed as exc:
        status = _fail(exc, form)
        return _render_detail(meeting, status, decision_form=form)
    db.session.commit()
    flash(_("Der Beschluss wurde festgehalten."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id) + "#h-records")


@bp.route("/treffen/<int:meeting_id>/aufgaben", methods=["POST"])
@login_required
def add_action(meeting_id):
    """Record an action item with responsible city and due date."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    form = ActionItemForm()
    try:
        services.add_action_item(current_user, meeting, {"text": form.action_text.data,
                                                         "municipality_id": form.action_city.data,
                                                         "due_date": form.due_date.data})
    except ValidationFailed as exc:
        status = _fail(exc, form)
        return _render_detail(meeting, status, action_form=form)
    db.session.commit()
    flash(_("Die Aufgabe wurde festgehalten."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id) + "#h-records")


@bp.route("/treffen/aufgaben/<int:item_id>/stand", methods=["POST"])
@login_required
def action_status(item_id):
    """The responsible city marks an action item done (or open again)."""
    item = services.get_action_or_404(current_user, item_id)
    try:
        services.set_action_status(current_user, item, request.form.get("status", ""))
    except ValidationFailed as exc:
        db.session.rollback()
        return _render_detail(item.meeting, exc.status, conflicts=list(exc.errors.values()))
    db.session.commit()
    flash(_("Der Stand der Aufgabe wurde gespeichert."), "success")
    target = request.form.get("next", "")
    from network.core.forms import safe_next
    return redirect(safe_next(target, "main.index") if target else
                    url_for("meetings.detail", meeting_id=item.meeting_id))


# --- calendars ------------------------------------------------------------------------------------------

def _ics_response(text: str, filename: str) -> Response:
    resp = Response(text, mimetype="text/calendar")
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Content-Disposition"] = f"attachment; filename={filename}"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.route("/meetings/<int:meeting_id>.ics")
@login_required
def ics(meeting_id):
    """One meeting as an .ics file (for members of the body)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    if meeting.starts_at is None:
        abort(404)
    return _ics_response(services.meeting_ics(meeting), f"treffen-{meeting.id}.ics")


@bp.route("/calendar/<secret>.ics")
def feed(secret):
    """The personal subscription feed; calendar clients call it without cookies, the secret is the key."""
    user = services.user_for_feed(secret)
    if user is None:
        abort(404)
    resp = _ics_response(services.feed_ics(user), "staedtenetz.ics")
    resp.headers["Content-Disposition"] = "inline; filename=staedtenetz.ics"
    return resp


@bp.route("/treffen/kalender/erneuern", methods=["POST"])
@login_required
def renew_feed():
    """Create or renew the personal calendar address (the old one stops working)."""
    services.renew_feed(current_user)
    db.session.commit()
    flash(_("Ihre Kalender-Adresse ist neu. Die alte Adresse funktioniert nicht mehr."), "success")
    return redirect(url_for("accounts.profile"))
