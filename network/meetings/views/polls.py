"""Meetings pages: the date poll (slots, answers, picking the date)."""

import functools

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.forms import succeeded
from network.core.permissions import can
from network.meetings import services
from network.meetings.forms import SlotForm
from network.meetings.models import POLL_ANSWERS, POLL_SYMBOLS
from network.meetings.views import bp


def _render_poll(meeting, status=200, slot_form=None, vote_errors=None):
    table = services.poll_table(meeting)
    return render_template("meetings/poll.html", meeting=meeting, t=table, answers=POLL_ANSWERS,
                           symbols=POLL_SYMBOLS, slot_form=slot_form or SlotForm(formdata=None),
                           max_slots=services.MAX_SLOTS,
                           may_organise=services.may_organise(current_user, meeting.body),
                           vote_errors=vote_errors or {}, may_vote=can(current_user, "meeting.vote")), status


def _poll_on_invalid(meeting) -> None:
    """A refused vote or slot action: the poll again, the messages above the table."""
    on_invalid(lambda exc: _render_poll(meeting, exc.status, vote_errors=exc.errors))


@bp.route("/treffen/<int:meeting_id>/umfrage", methods=["GET", "POST"])
@login_required
def poll(meeting_id):
    """The date poll: answers and totals per slot; the organiser adds slots here (POST)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    if request.method == "GET":
        return _render_poll(meeting)
    form = SlotForm()

    def refused(exc):
        form.form_errors.extend(form.apply_row_errors(exc.errors).values())
        return _render_poll(meeting, exc.status, slot_form=form)

    on_invalid(refused)
    new, skipped = services.add_slots(current_user, meeting, form.rows(), repeat_weeks=form.repeat_weeks.data)
    flash(ngettext("%(num)s Terminvorschlag wurde hinzugefügt.", "%(num)s Terminvorschläge wurden hinzugefügt.",
                   len(new)), "success")
    if skipped:
        flash(ngettext("%(num)s Termin gab es in der Umfrage schon; er wurde übersprungen.",
                       "%(num)s Termine gab es in der Umfrage schon; sie wurden übersprungen.", skipped), "info")
    return redirect(url_for("meetings.poll", meeting_id=meeting.id))


def _poll_action(rule):
    """Register a POST of the poll at ``rule`` (the endpoint is the function's name): the meeting (404), the slot the
    address names (404), a refusal shows the poll again; ``act(meeting, slot)`` calls the service and returns the
    success message and the meeting's page to go back to."""
    def register(act):
        @functools.wraps(act)
        @login_required
        def view(meeting_id, slot_id=None):
            meeting = services.get_meeting_or_404(current_user, meeting_id)
            slot = None if slot_id is None else services.get_slot_or_404(meeting, slot_id)
            _poll_on_invalid(meeting)
            message, endpoint = act(meeting, slot)
            return succeeded(message, url_for(endpoint, meeting_id=meeting.id))
        bp.add_url_rule(rule, act.__name__, view, methods=["POST"])
        return view
    return register


@_poll_action("/treffen/<int:meeting_id>/umfrage/stimmen")
def vote(meeting, _slot):
    """A member answers the poll (one radio group per slot)."""
    services.cast_votes(current_user, meeting, {k[len("slot-"):]: v for k, v in request.form.items()
                                                if k.startswith("slot-")})
    return _("Ihre Antworten wurden gespeichert."), "meetings.poll"


@_poll_action("/treffen/<int:meeting_id>/umfrage/<int:slot_id>/festlegen")
def pick_slot(meeting, slot):
    """Organiser: the slot becomes the date and the invitations go out."""
    services.pick_slot(current_user, meeting, slot)
    return _("Der Termin steht fest; die Einladungen werden verschickt."), "meetings.detail"


@_poll_action("/treffen/<int:meeting_id>/umfrage/<int:slot_id>/entfernen")
def delete_slot(meeting, slot):
    """Organiser: remove a proposed date (its answers go with it)."""
    services.delete_slot(current_user, meeting, slot)
    return _("Der Terminvorschlag wurde entfernt."), "meetings.poll"
