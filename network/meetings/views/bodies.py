"""Meetings pages: the overview of upcoming meetings and polls; bodies, their members and history."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.permissions import require
from network.meetings import services
from network.meetings.forms import BodyForm
from network.meetings.views import bp


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
    # persons are typed (a network has thousands of accounts); suggest.js offers at most 20 matches while typing
    form.persons.render_kw = {"data-suggest": url_for("meetings.person_search"),
                              "data-suggest-label": _("Person suchen (Name oder E-Mail-Adresse)"),
                              "data-suggest-added": _("Hinzugefügt:")}


def _body_data(form):
    # the cities and persons typed one per line, and ids sent along by older clients
    cities, persons = services.resolve_members(form.cities.data or "", form.persons.data or "")
    return {"kind": form.kind.data, "name": form.name.data, "description": form.description.data,
            "topic_id": form.topic_id.data, "city_ids": list(dict.fromkeys([*(form.city_ids.data or []), *cities])),
            "person_ids": [*(form.person_ids.data or []), *persons]}


@bp.route("/treffen/gremien/neu", methods=["GET", "POST"])
@login_required
def new_body():
    """Coordinator: add a body."""
    require(current_user, "body.manage")
    form = BodyForm()
    _body_form_choices(form)
    if request.method == "POST":
        on_invalid("meetings/body_form.html", form, form=form, body=None)
        body = services.create_body(current_user, _body_data(form))
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
    if request.method == "POST":
        on_invalid("meetings/body_form.html", form, form=form, body=body)
        services.update_body(current_user, body, _body_data(form), version=form.version.data)
        flash(_("Das Gremium wurde gespeichert."), "success")
        return redirect(url_for("meetings.body", body_id=body.id))
    form.topic_id.data = str(body.topic_id or "")
    form.cities.data = "\n".join(c.name for c in services.body_cities(body.id))
    form.persons.data = services.persons_text(body.id)
    form.version.data = str(body.version)
    return render_template("meetings/body_form.html", form=form, body=body)


def _arg_page(name: str) -> int:
    """A positive page number from ?<name>=, else 1."""
    value = request.args.get(name, "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1


@bp.route("/treffen/gremien/<int:body_id>")
@login_required
def body(body_id):
    """A body: members (paged: ?kommunen=, ?personen=), host rotation and the searchable history of its meetings."""
    b = services.get_body_or_404(current_user, body_id)
    may_organise = services.may_organise(current_user, b)
    if may_organise:  # the subnavigation's "Treffen planen" needs no look-up of its own
        g.may_organise_meetings = True
    q = request.args.get("q", "").strip()[:100]
    meetings = services.body_history(current_user, b, q or None)
    return render_template("meetings/body.html", body=b, q=q, meetings=meetings,
                           decisions=services.decisions_by_meeting([m.id for m in meetings
                                                                    if m.minutes_status == "published"]),
                           members=services.body_members(b.id, _arg_page("kommunen"), _arg_page("personen")),
                           # all meetings read without a search: the last hosts are among them
                           s=services.suggestions(b, None if q else meetings), may_organise=may_organise)
