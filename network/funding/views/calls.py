"""Funding pages: the radar, a call's page, recording and editing calls, the own city's interest."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.forms import apply_errors, form_page, submitted
from network.core.permissions import require
from network.funding import services
from network.funding.forms import CallForm, InterestForm, ToggleForm
from network.funding.models import CALL_STATUSES, FUNDERS, berlin_today
from network.funding.views import bp, german_amount, german_date


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
                          field=args.get("handlungsfeld"), topic=args.get("thema"), page=page,
                          per_page=services.RADAR_PAGE_SIZE)
    filter_args = {k: v for k, v in {"status": data["status"] if data["status"] != "current" else None,
                                     "foerdergeber": data["funder"],
                                     "handlungsfeld": data["field"].slug if data["field"] else None,
                                     "thema": data["topic"].slug if data["topic"] else None}.items() if v}
    fields, topics = services.filter_choices()
    return render_template("funding/radar.html", r=data, funders=FUNDERS, statuses=CALL_STATUSES,
                           fields=fields, topics=topics,
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


def _call_page(template, form, **context):
    """The call form again after a service refused it: messages beside the fields, a deadline's beside its row."""
    def page(exc):
        apply_errors(form, {k: v for k, v in exc.errors.items() if k in form._fields})
        for key, message in exc.errors.items():
            for prefix, sub in (("deadline_date_", "due_on"), ("deadline_label_", "label")):
                if key.startswith(prefix):
                    i = int(key[len(prefix):])
                    if i < len(form.deadlines.entries):
                        getattr(form.deadlines.entries[i].form, sub).errors = [message]
                        form.form_errors.append(_("Frist %(n)s: %(message)s", n=i + 1, message=message))
            if key == "deadlines":
                form.form_errors.append(message)
        return render_template(template, form=form, **context)
    return page


def _fill_call_form(form, call) -> None:
    """The call's current values, German formatted, into the edit form."""
    v = services.call_values(call)
    for key in ("title", "funder", "funder_name", "url", "summary", "eligibility", "joint_allowed", "source"):
        getattr(form, key).data = v[key]
    for key in ("rate", "min_amount", "max_amount"):
        getattr(form, key).data = german_amount(v[key])
    form.opens_on.data = german_date(v["opens_on"])
    form.checked_on.data = german_date(v["checked_on"])
    form.field_ids.data = [str(i) for i in v["field_ids"]]
    form.topic_ids.data = [str(i) for i in v["topic_ids"]]
    for entry, d in zip(form.deadlines.entries, v["deadlines"]):
        entry.form.label.data, entry.form.due_on.data = d["label"], german_date(d["due_on"])
    form.version.data = str(call.version)


@bp.route("/neu", methods=["GET", "POST"], endpoint="new")
@bp.route("/<int:call_id>/bearbeiten", methods=["GET", "POST"], endpoint="edit")
@login_required
def call_form(call_id=None):
    """Record a funding call (coordination and city leads), or edit one, e.g. to update "zuletzt geprüft am" (with
    a version check)."""
    call = None if call_id is None else services.get_call_or_404(current_user, call_id)
    require(current_user, "funding.record")
    form = CallForm()
    _choices(form)
    template, context = ("funding/new.html", {}) if call is None else ("funding/edit.html", {"call": call})
    if request.method == "GET" and call is None:
        form.checked_on.data = german_date(berlin_today())
    elif request.method == "GET":
        _fill_call_form(form, call)

    def save(form):
        on_invalid(_call_page(template, form, **context))
        if call is None:
            saved = services.create_call(current_user, _call_data(form))
            flash(_("Der Förderaufruf %(title)s ist erfasst.", title=saved.title), "success")
        else:
            saved = services.update_call(current_user, call, _call_data(form), version=form.version.data)
            flash(_("Der Förderaufruf wurde gespeichert."), "success")
        return redirect(url_for("funding.detail", call_id=saved.id))
    return form_page(form, template, save, **context)


@bp.route("/<int:call_id>/geprueft", methods=["POST"])
@login_required
def mark_checked(call_id):
    """Set "zuletzt geprüft am" to today."""
    call = services.get_call_or_404(current_user, call_id)
    require(current_user, "funding.record")
    submitted(ToggleForm())
    services.mark_checked(current_user, call)
    flash(_("Vermerkt: Die Angaben wurden heute geprüft."), "success")
    return redirect(url_for("funding.detail", call_id=call.id))


def _render_detail(call, status=200, error=None, interest_form=None):
    """The call's page (also after a refused interest mark, with the message)."""
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
    form = submitted(InterestForm())
    interested = form.interested.data != "0"
    on_invalid(lambda exc: _render_detail(call, exc.status, error=next(iter(exc.errors.values())),
                                          interest_form=form), form)
    services.set_interest(current_user, call, interested, form.note.data)
    flash(_("Vermerkt: Ihre Kommune prüft eine Bewerbung.") if interested
          else _("Der Vermerk Ihrer Kommune ist entfernt."), "success")
    return redirect(url_for("funding.detail", call_id=call.id))
