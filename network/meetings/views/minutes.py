"""Meetings pages: minutes, decisions and action items."""

import functools

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.forms import safe_next, succeeded
from network.core.markdown import render_markdown
from network.core.permissions import require
from network.meetings import services
from network.meetings.forms import ActionItemForm, DecisionForm, MinutesForm
from network.meetings.views import bp
from network.meetings.views.meetings import detail_on_invalid, render_detail


@bp.route("/treffen/<int:meeting_id>/protokoll", methods=["GET", "POST"])
@login_required
def minutes(meeting_id):
    """Organiser or host: write the Markdown minutes and publish them to the members."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    require(current_user, "meeting.organise")
    if not services.may_write_minutes(current_user, meeting):
        abort(403)
    if request.method == "GET":
        form = MinutesForm(obj=meeting)
        form.version.data = str(meeting.version)
        return render_template("meetings/minutes.html", meeting=meeting, form=form,
                               preview=render_markdown(meeting.minutes))
    form = MinutesForm()
    on_invalid("meetings/minutes.html", form, meeting=meeting, form=form, preview=render_markdown(form.minutes.data))
    publish = "publish" in request.form
    services.save_minutes(current_user, meeting, form.minutes.data, publish=publish, version=form.version.data)
    flash(_("Das Protokoll wurde veröffentlicht.") if publish else _("Der Entwurf wurde gespeichert."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id) if publish
                    else url_for("meetings.minutes", meeting_id=meeting.id))


@bp.route("/treffen/aufgaben/<int:item_id>/stand", methods=["POST"])
@login_required
def action_status(item_id):
    """The responsible city marks an action item done (or open again)."""
    item = services.get_action_or_404(current_user, item_id)
    on_invalid(lambda exc: render_detail(item.meeting, exc.status, conflicts=list(exc.errors.values())))
    services.set_action_status(current_user, item, request.form.get("status", ""))
    flash(_("Der Stand der Aufgabe wurde gespeichert."), "success")
    target = request.form.get("next", "")
    return redirect(safe_next(target, "main.index") if target else
                    url_for("meetings.detail", meeting_id=item.meeting_id))


def _record(rule, form_class, form_key):
    """Register the POST of a record form of the meeting page at ``rule`` (the endpoint is the function's name): the
    meeting (404), a refusal shows the meeting page again with the form as ``form_key``; ``act(meeting, form)``
    records and returns the success message (back to the page's records)."""
    def register(act):
        @functools.wraps(act)
        @login_required
        def view(meeting_id):
            meeting = services.get_meeting_or_404(current_user, meeting_id)
            form = form_class()
            detail_on_invalid(meeting, **{form_key: form})
            return succeeded(act(meeting, form), url_for("meetings.detail", meeting_id=meeting.id) + "#h-records")
        bp.add_url_rule(rule, act.__name__, view, methods=["POST"])
        return view
    return register


@_record("/treffen/<int:meeting_id>/aufgaben", ActionItemForm, "action_form")
def add_action(meeting, form):
    """Record an action item with responsible city and due date."""
    city = form.action_city.data
    if (form.action_city_name.data or "").strip():  # a large body's city is typed by name (issue #17)
        city = services.resolve_body_city(form.action_city_name.data, "action_city_name", meeting.body_id)
    services.add_action_item(current_user, meeting, {"text": form.action_text.data, "municipality_id": city,
                                                     "due_date": form.due_date.data})
    return _("Die Aufgabe wurde festgehalten.")


@_record("/treffen/<int:meeting_id>/beschluesse", DecisionForm, "decision_form")
def add_decision(meeting, form):
    """Record a decision (Beschluss)."""
    services.add_decision(current_user, meeting, form.decision_text.data)
    return _("Der Beschluss wurde festgehalten.")
