"""Meetings pages: the agenda (proposals, the organiser's decisions and order)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.meetings import services
from network.meetings.forms import AgendaItemForm
from network.meetings.views import bp


def _item_choices(form):
    form.topic_id.choices = [("", _("kein Thema"))] + [(str(t.id), t.name) for t in services.active_topics()]
    from network.practices.services import practice_choices
    found = practice_choices(current_user, request.args.get("praxis_suche", ""))
    form.practice_id.choices = [("", _("kein Praxisbericht"))] + [(str(i), f"{title} ({city})")
                                                                  for i, title, city in found]
    chosen = form.practice_id.data
    if chosen and chosen not in {v for v, _label in form.practice_id.choices}:
        form.practice_id.choices.append((chosen, _("der gewählte Praxisbericht")))  # kept across a failed POST


def _render_agenda(meeting, form, status=200, action_error=None):
    return render_template("meetings/agenda.html", meeting=meeting, ag=services.agenda(meeting), form=form,
                           city_names=services.city_suggestions(meeting.body_id),
                           practice_query=request.args.get("praxis_suche", "")[:80],
                           may_organise=services.may_organise(current_user, meeting.body),
                           proposals_open=services.proposals_open(meeting), action_error=action_error), status


@bp.route("/treffen/<int:meeting_id>/tagesordnung", methods=["GET", "POST"])
@login_required
def agenda(meeting_id):
    """The agenda; members propose items until the cutoff, the organiser adds them directly (POST)."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    form = AgendaItemForm() if request.method == "POST" else AgendaItemForm(formdata=None)
    _item_choices(form)
    if request.method == "GET":
        return _render_agenda(meeting, form)
    on_invalid(lambda exc: _render_agenda(meeting, form, exc.status), form)
    data = {k: getattr(form, k).data for k in ("title", "presenter_municipality_id", "presenter_name",
                                                "duration_minutes", "topic_id", "practice_id", "link_path",
                                                "link_label")}
    if (form.presenter_city.data or "").strip():  # the name typed wins over an id sent along
        data["presenter_municipality_id"] = services.resolve_city(form.presenter_city.data, "presenter_city")
    item = services.add_agenda_item(current_user, meeting, data)
    flash(_("Der Punkt steht auf der Tagesordnung.") if item.status == "accepted"
          else _("Ihr Vorschlag wurde eingereicht; die Organisation entscheidet."), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id))


@bp.route("/treffen/<int:meeting_id>/tagesordnung/<int:item_id>", methods=["POST"])
@login_required
def agenda_item(meeting_id, item_id):
    """Organiser: accept, reject, move or time an agenda item."""
    meeting = services.get_meeting_or_404(current_user, meeting_id)
    item = services.get_item_or_404(meeting, item_id)

    def refused(exc):
        form = AgendaItemForm(formdata=None)
        _item_choices(form)
        return _render_agenda(meeting, form, exc.status, action_error=next(iter(exc.errors.values())))

    on_invalid(refused)
    services.agenda_action(current_user, meeting, item, request.form.get("action", ""),
                           request.form.get("duration_minutes"))
    flash(_("Die Tagesordnung wurde geändert."), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id))
