"""Meetings pages: schedule and change a meeting, the meeting page with RSVP and cancellation."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.forms import confirmation_page, confirmed
from network.core.markdown import render_markdown
from network.core.permissions import can, require
from network.core.templating import format_span
from network.meetings import services
from network.meetings.forms import ActionItemForm, CancelForm, DecisionForm, MeetingForm, RsvpForm
from network.meetings.ical import BERLIN
from network.meetings.views import bp


def city_pick(select, typed, body_id, first_label) -> None:
    """A body's city in a form: a select of its cities when it has at most SELECT_LIMIT, else `typed` (a name with
    suggestions from meetings.body_city_search) and `select.choices` None."""
    cities = services.body_city_choices(body_id)
    if cities is None:
        select.choices = None
        typed.render_kw = {**(typed.render_kw or {}),
                           "data-suggest": url_for("meetings.body_city_search", body_id=body_id)}
    else:
        select.choices = [("", first_label)] + [(str(c.id), c.name) for c in cities]


def _meeting_form_choices(form, body):
    city_pick(form.host_id, form.host_city, body.id, _("noch offen"))


def _meeting_data(form, body):
    data = {k: getattr(form, k).data for k in ("number", "title", "host_id", "date", "start_time", "end_time",
                                                "address", "room", "online_url", "capacity", "cutoff_date",
                                                "cutoff_time", "description")}
    if (form.host_city.data or "").strip():  # the name typed wins over an id sent along
        data["host_id"] = str(services.resolve_body_city(form.host_city.data, "host_city", body.id))
    return data


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
    if request.method == "POST":
        on_invalid("meetings/meeting_form.html", form, form=form, body=b, s=s, meeting=None)
        meeting = services.create_meeting(current_user, b, _meeting_data(form, b))
        if meeting.status == "polling":
            flash(_("Das Treffen wurde angelegt. Schlagen Sie jetzt Termine für die Umfrage vor."), "success")
            return redirect(url_for("meetings.poll", meeting_id=meeting.id))
        flash(_("Das Treffen wurde angelegt; die Einladungen werden verschickt."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    form.number.data = str(s["number"])
    form.title.data = s["title"]
    form.host_id.data = str(s["host"].id) if s["host"] else ""
    form.host_city.data = s["host"].name if s["host"] and form.host_id.choices is None else ""
    return render_template("meetings/meeting_form.html", form=form, body=b, s=s, meeting=None)


def _fill_meeting_form(form, meeting) -> None:
    """The stored values in the form's own format (Berlin wall time, strings)."""
    form.number.data = str(meeting.number or "")
    form.host_id.data = str(meeting.host_municipality_id or "")
    form.host_city.data = meeting.host.name if meeting.host and form.host_id.choices is None else ""
    form.capacity.data = str(meeting.capacity or "")
    if meeting.starts_at:
        form.date.data = meeting.starts_at.astimezone(BERLIN).date().isoformat()
        form.start_time.data = meeting.starts_at.astimezone(BERLIN).strftime("%H:%M")
        form.end_time.data = meeting.ends_at.astimezone(BERLIN).strftime("%H:%M")
    if meeting.proposal_cutoff:
        form.cutoff_date.data = meeting.proposal_cutoff.astimezone(BERLIN).date().isoformat()
        form.cutoff_time.data = meeting.proposal_cutoff.astimezone(BERLIN).strftime("%H:%M")
    form.version.data = str(meeting.version)


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
    if request.method == "POST":
        on_invalid("meetings/meeting_form.html", form, form=form, body=meeting.body, s=s, meeting=meeting)
        services.update_meeting(current_user, meeting, _meeting_data(form, meeting.body), version=form.version.data)
        flash(_("Das Treffen wurde gespeichert."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    _fill_meeting_form(form, meeting)
    return render_template("meetings/meeting_form.html", form=form, body=meeting.body, s=s, meeting=meeting)


def render_detail(meeting, status=200, conflicts=None, **forms):
    """The meeting page; a form that failed comes back with its messages (a 409 is shown on top)."""
    # a conflict (409: cancelled, over, closed) concerns the page, not a field: shown on top
    if status == 409:
        conflicts = (conflicts or []) + [errs[0] for f in forms.values() for errs in f.errors.values() if errs]
    att = services.attendees(meeting)
    # the own answer is among the meeting's answers (no statement of its own)
    rsvp = next((r for r in att["rows"] if r.user_id == current_user.id), None)
    # nothing is pre-selected until the user has answered (then their answer is)
    rsvp_form = forms.get("rsvp_form") or RsvpForm(formdata=None, response=rsvp.response if rsvp else None,
                                                   note=rsvp.note if rsvp else "")
    may_minutes = services.may_write_minutes(current_user, meeting)
    is_over = services.is_over(meeting)
    action_form = forms.get("action_form") or ActionItemForm(formdata=None)
    if may_minutes and meeting.status == "scheduled":  # the form is shown only then
        city_pick(action_form.action_city, action_form.action_city_name, meeting.body_id, _("Bitte wählen"))
        if action_form.action_city.choices is None:  # the service names the select: its message goes to the name
            action_form.action_city_name.errors = [*action_form.action_city_name.errors, *action_form.action_city.errors]
            action_form.action_city.errors = []
    ag, actions = services.agenda_and_actions(meeting)
    may_organise = services.may_organise(current_user, meeting.body)
    if may_organise:  # the subnavigation's "Treffen planen" needs no look-up of its own
        g.may_organise_meetings = True
    return render_template(
        "meetings/detail.html", meeting=meeting, rsvp=rsvp, rsvp_form=rsvp_form,
        att=att, ag=ag, rec=services.meeting_records(meeting, actions),
        may_organise=may_organise, may_minutes=may_minutes,
        is_over=is_over, conflicts=conflicts or [],
        may_rsvp=meeting.status != "cancelled" and not is_over and can(current_user, "meeting.rsvp"),
        minutes_html=render_markdown(meeting.minutes) if services.minutes_visible(current_user, meeting) else None,
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None), action_form=action_form,
        cancel_form=forms.get("cancel_form") or CancelForm(formdata=None), poll=services.poll_table(meeting)
        if meeting.status == "polling" else None), status


def detail_on_invalid(meeting, **forms) -> None:
    """A service error on a form of the meeting page renders the page again with that form's messages."""
    on_invalid(lambda exc: render_detail(meeting, exc.status, **forms), *forms.values())


@bp.route("/treffen/<int:meeting_id>")
@login_required
def detail(meeting_id):
    """A meeting: date and place, RSVP, attendees by city, agenda, minutes, decisions, action items."""
    return render_detail(services.get_meeting_or_404(current_user, meeting_id))


@bp.route("/treffen/<int:meeting_id>/zusage", methods=["POST"])
@login_required
def rsvp(meeting_id):
    """Answer the invitation: yes / no / maybe with a note."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    form = RsvpForm()
    detail_on_invalid(meeting, rsvp_form=form)
    row = services.record_rsvp(current_user, meeting, form.response.data, form.note.data)
    waiting = row.response == "yes" and row.id in services.attendees(meeting)["waiting_ids"]
    flash(_("Sie stehen auf der Warteliste.") if waiting else _("Ihre Antwort wurde gespeichert."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


@bp.route("/treffen/<int:meeting_id>/absagen", methods=["GET", "POST"])
@login_required
def cancel(meeting_id):
    """Organiser: call the meeting off (everyone invited gets a cancellation), after a confirmation."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    form = CancelForm()
    if not confirmed():
        if not services.may_organise(current_user, meeting.body):
            abort(403)
        if request.method == "POST" and not form.validate_on_submit():
            abort(400)
        return _cancel_confirmation(meeting)
    detail_on_invalid(meeting, cancel_form=form)
    services.cancel_meeting(current_user, meeting, form.reason.data)
    flash(_("Das Treffen wurde abgesagt; alle Eingeladenen werden benachrichtigt."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


def _cancel_confirmation(meeting):
    """What cancelling does: the meeting, its date, and how many people get the cancellation."""
    when = format_span(meeting.starts_at, meeting.ends_at) if meeting.starts_at else _("noch ohne Termin")
    lines = [_("Das Treffen „%(title)s“ (%(when)s) wird abgesagt.", title=meeting.title, when=when)]
    if meeting.status == "scheduled":
        count = len(services.recipients(meeting.body))
        lines.append(ngettext("%(num)s eingeladene Person erhält eine Absage, auch als Kalendereintrag.",
                              "%(num)s eingeladene Personen erhalten eine Absage, auch als Kalendereintrag.", count))
    return confirmation_page(heading=_("Treffen absagen?"), lines=lines,
                             action=url_for("meetings.cancel", meeting_id=meeting.id), button=_("Ja, absagen"),
                             back=url_for("meetings.detail", meeting_id=meeting.id))
