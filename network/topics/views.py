"""Topics: list, matrix (HTML and CSV), topic page with claims and participation, proposals, fields of action."""

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.csvutil import csv_safe
from network.core.forms import apply_errors
from network.core.permissions import can, require
from network.core.validation import ValidationFailed
from network.extensions import db
from network.topics import services
from network.topics.forms import (ClaimForm, DecisionForm, FieldOfActionForm, HandoverForm, ParticipationForm,
                                  ProposalForm, TopicForm, WithdrawForm)
from network.topics.models import CLAIM_KINDS, PARTICIPATION_STATUSES

bp = Blueprint("topics", __name__, url_prefix="/themen")

#: what a matrix cell says, and its symbol (text and shape, never colour alone)
CELL_SYMBOLS = {"lead": "★", "colead": "☆", "participating": "●", "interested": "○"}


def cell_labels():
    return {"lead": CLAIM_KINDS["lead"], "colead": CLAIM_KINDS["colead"],
            "participating": _("Teilnahme"), "interested": PARTICIPATION_STATUSES["interested"]}


def _field_choices():
    return [("", _("Bitte wählen"))] + [(str(f.id), f.name) for f in services.fields_of_action()]


def _fail(exc: ValidationFailed, *forms):
    """Rollback and put the service's messages next to the fields of the given forms."""
    db.session.rollback()
    for form in forms:
        apply_errors(form, {k: v for k, v in exc.errors.items() if k in form._fields})
    return exc


# --- lists --------------------------------------------------------------------------------

@bp.route("/", endpoint="list")
@login_required
def list_topics():
    """All active topics by field of action, with their lead city."""
    require(current_user, "topic.view")
    field_slug = request.args.get("handlungsfeld", "").strip()[:80] or None
    rows = services.list_topics(current_user, field_slug)
    return render_template("topics/list.html", rows=rows, fields=services.fields_of_action(), field_slug=field_slug)


@bp.route("/matrix")
@login_required
def matrix():
    """The division of labour: topics as rows, member cities as columns."""
    field_slug = request.args.get("handlungsfeld", "").strip()[:80] or None
    data = services.matrix(current_user, field_slug)
    return render_template("topics/matrix.html", m=data, symbols=CELL_SYMBOLS, labels=cell_labels())


_csv_safe = csv_safe  # shared with the other domains' exports (network/core/csvutil.py)


@bp.route("/matrix.csv")
@login_required
def matrix_csv():
    """The matrix as CSV (semicolon-separated, UTF-8 with BOM for spreadsheet programs)."""
    field_slug = request.args.get("handlungsfeld", "").strip()[:80] or None
    m = services.matrix(current_user, field_slug)
    labels = cell_labels()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_safe(v) for v in [_("Handlungsfeld"), _("Thema")] + [c.name for c in m["cities"]]])
    for field, topics in m["groups"]:
        for topic in topics:
            row = [field.name, topic.name]
            for city in m["cities"]:
                role = m["cells"].get((topic.id, city.id))
                row.append(str(labels[role]) if role else "")
            writer.writerow([_csv_safe(v) for v in row])
    writer.writerow([_csv_safe(v) for v in ["", _("Anzahl Federführungen")]
                     + [m["lead_counts"][c.id] for c in m["cities"]]])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=themenmatrix.csv"})


# --- topics -------------------------------------------------------------------------------

def _topic_data(form):
    return {"name": form.name.data, "description": form.description.data, "field_id": form.field_id.data}


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def new():
    """Coordinator: add a topic."""
    require(current_user, "topic.manage")
    form = TopicForm()
    form.field_id.choices = _field_choices()
    if form.validate_on_submit():
        try:
            topic = services.create_topic(current_user, _topic_data(form))
        except ValidationFailed as exc:
            _fail(exc, form)
            return render_template("topics/new.html", form=form), exc.status
        db.session.commit()
        flash(_("Das Thema %(name)s wurde angelegt.", name=topic.name), "success")
        return redirect(url_for("topics.detail", slug=topic.slug))
    elif form.errors:
        return render_template("topics/new.html", form=form), 422
    return render_template("topics/new.html", form=form)


@bp.route("/<slug>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(slug):
    """Coordinator: edit a topic (with a version check)."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.manage")
    form = TopicForm(obj=topic)
    form.field_id.choices = _field_choices()
    if request.method == "GET":
        form.field_id.data = str(topic.field_id)
        form.version.data = str(topic.version)
    if form.validate_on_submit():
        try:
            services.update_topic(current_user, topic, _topic_data(form), version=form.version.data)
        except ValidationFailed as exc:
            _fail(exc, form)
            return render_template("topics/edit.html", form=form, topic=topic), exc.status
        db.session.commit()
        flash(_("Das Thema wurde gespeichert."), "success")
        return redirect(url_for("topics.detail", slug=topic.slug))
    elif form.errors:
        return render_template("topics/edit.html", form=form, topic=topic), 422
    return render_template("topics/edit.html", form=form, topic=topic)


def _render_detail(topic, status=200, error=None, **forms):
    """The topic page; action forms that failed come back with their errors and input."""
    overview = services.topic_overview(topic)
    city_id = getattr(current_user, "municipality_id", None)
    own_claim = next((c for c in [overview["lead"], overview["pending_lead"]] + overview["coleads"]
                      + overview["pending_coleads"] if c is not None and c.municipality_id == city_id), None)
    participation = services.own_participation(topic, city_id)
    part_form = forms.get("part_form")
    if part_form is None:
        part_form = ParticipationForm(prefix="part", formdata=None,
                                      status=participation.status if participation else "participating",
                                      contact_id=str(participation.contact_id or "") if participation else
                                      str(current_user.id))
    handover_form = forms.get("handover_form") or HandoverForm(prefix="handover", formdata=None)
    if city_id:
        part_form.contact_id.choices = [("", _("keine Angabe"))] + [
            (str(u.id), u.name) for u in services.city_users(city_id)]
        handover_form.target.choices = [("", _("Bitte wählen"))] + [
            (str(c.id), c.name) for c in services.member_cities_except(city_id)]
    decision_forms = forms.get("decision_forms") or {}
    for claim in ([overview["pending_lead"]] if overview["pending_lead"] else []) + overview["pending_coleads"]:
        decision_forms.setdefault(claim.id, DecisionForm(prefix=f"d{claim.id}", formdata=None))
    handover = overview["handover"]
    answer_form = forms.get("answer_form") or DecisionForm(prefix="answer", formdata=None)
    may_decide_colead = can(current_user, "topic.decide_claim") or (
        overview["lead"] is not None and overview["lead"].municipality_id == city_id
        and can(current_user, "topic.decide_colead"))
    return render_template(
        "topics/detail.html", topic=topic, o=overview, own_claim=own_claim, participation=participation,
        claim_form=forms.get("claim_form") or ClaimForm(prefix="claim", formdata=None),
        withdraw_form=forms.get("withdraw_form") or WithdrawForm(prefix="withdraw", formdata=None),
        handover_form=handover_form, part_form=part_form, decision_forms=decision_forms,
        answer_form=answer_form, may_decide_colead=may_decide_colead,
        handover_for_us=handover is not None and handover.municipality_id == city_id and city_id is not None,
        error=error), status


@bp.route("/<slug>")
@login_required
def detail(slug):
    """A topic: description, lead and contact, co-leads, participants, history."""
    topic = services.get_topic_or_404(current_user, slug)
    return _render_detail(topic)


def _done(topic, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("topics.detail", slug=topic.slug))


def _act(topic, form, action, message, **render_forms):
    """Run one topic service: on success commit and say `message(result)`, else re-render the page with errors."""
    try:
        result = action()
    except ValidationFailed as exc:
        _fail(exc, *([form] if form is not None else []))
        return _render_detail(topic, exc.status, error=next(iter(exc.errors.values())), **render_forms)
    return _done(topic, message(result))


@bp.route("/<slug>/federfuehrung", methods=["POST"])
@login_required
def claim(slug):
    """Claim the lead (or ask for co-lead) for one's own city."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.claim")
    form = ClaimForm(prefix="claim")
    if not form.validate_on_submit():
        abort(400)

    def message(result):
        if result.kind == "colead":
            return _("Ihre Anfrage auf Co-Federführung ist gestellt; die federführende Kommune und die "
                     "Netzwerkkoordination entscheiden.")
        if result.status == "confirmed":
            return _("Ihre Kommune hat jetzt die Federführung für %(topic)s.", topic=topic.name)
        return _("Die Federführung ist beantragt; die Netzwerkkoordination bestätigt sie.")

    return _act(topic, form, lambda: services.claim_lead(current_user, topic, form.note.data), message,
                claim_form=form)


@bp.route("/<slug>/antraege/<int:claim_id>/entscheidung", methods=["POST"])
@login_required
def decide_claim(slug, claim_id):
    """Confirm or decline a pending (co-)lead request."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.decide_colead")
    claim = services.get_claim_or_404(topic, claim_id)
    form = DecisionForm(prefix=f"d{claim.id}")
    if not form.validate_on_submit():
        abort(400)
    return _act(topic, form,
                lambda: services.decide_claim(current_user, topic, claim, form.decision.data, form.reason.data),
                lambda _r: _("Der Antrag wurde bestätigt.") if form.decision.data == "confirm"
                else _("Der Antrag wurde abgelehnt."),
                decision_forms={claim_id: form})


@bp.route("/<slug>/federfuehrung/abgeben", methods=["POST"])
@login_required
def withdraw(slug):
    """Give up the city's lead or co-lead, or take back its request."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.claim")
    form = WithdrawForm(prefix="withdraw")
    if not form.validate_on_submit():
        abort(400)
    return _act(topic, form, lambda: services.withdraw_lead(current_user, topic, form.reason.data),
                lambda _r: _("Erledigt: Ihre Kommune ist für dieses Thema nicht mehr (co-)federführend."),
                withdraw_form=form)


@bp.route("/<slug>/federfuehrung/uebergeben", methods=["POST"])
@login_required
def hand_over(slug):
    """Offer the lead to another member city."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.claim")
    form = HandoverForm(prefix="handover")
    if not form.validate_on_submit():
        abort(400)
    return _act(topic, form, lambda: services.hand_over_lead(current_user, topic, form.target.data, form.reason.data),
                lambda _r: _("Die Übergabe ist angeboten; die andere Kommune muss sie annehmen."),
                handover_form=form)


@bp.route("/<slug>/uebergaben/<int:claim_id>/antwort", methods=["POST"])
@login_required
def answer_handover(slug, claim_id):
    """The offered city accepts or declines the handover."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.claim")
    offer = services.get_handover_or_404(current_user, topic, claim_id)
    form = DecisionForm(prefix="answer")
    if not form.validate_on_submit():
        abort(400)
    return _act(topic, form,
                lambda: services.accept_handover(current_user, topic, offer, form.decision.data, form.reason.data),
                lambda _r: _("Ihre Kommune hat jetzt die Federführung.") if form.decision.data == "confirm"
                else _("Sie haben die Übergabe abgelehnt."),
                answer_form=form)


@bp.route("/<slug>/teilnahme", methods=["POST"])
@login_required
def participate(slug):
    """Join the project group or change the city's participation."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.participate")
    form = ParticipationForm(prefix="part")
    if not form.validate_on_submit():
        abort(400)
    return _act(topic, form, lambda: services.join_topic(current_user, topic, form.status.data, form.contact_id.data),
                lambda _r: _("Die Beteiligung Ihrer Kommune ist gespeichert."), part_form=form)


@bp.route("/<slug>/teilnahme/beenden", methods=["POST"])
@login_required
def leave(slug):
    """Leave the project group."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.participate")
    form = WithdrawForm(prefix="leave")
    if not form.validate_on_submit():
        abort(400)
    return _act(topic, None, lambda: services.leave_topic(current_user, topic),
                lambda _r: _("Ihre Kommune hat die Projektgruppe verlassen."))


# --- proposals ----------------------------------------------------------------------------

@bp.route("/vorschlagen", methods=["GET", "POST"])
@login_required
def propose():
    """A city lead proposes a topic."""
    require(current_user, "topic.propose")
    form = ProposalForm()
    form.field_id.choices = _field_choices()
    if form.validate_on_submit():
        try:
            topic = services.propose_topic(current_user, {**_topic_data(form), "reason": form.reason.data})
        except ValidationFailed as exc:
            _fail(exc, form)
            if "city" in exc.errors:
                form.form_errors.append(exc.errors["city"])
            return render_template("topics/propose.html", form=form), exc.status
        db.session.commit()
        flash(_("Ihr Vorschlag %(name)s ist eingereicht; die Netzwerkkoordination entscheidet.", name=topic.name),
              "success")
        return redirect(url_for("topics.proposals"))
    elif form.errors:
        return render_template("topics/propose.html", form=form), 422
    return render_template("topics/propose.html", form=form)


def _render_proposals(status=200, forms=None, error=None):
    items = services.proposals(current_user)
    forms = forms or {}
    for t in items:
        forms.setdefault(t.id, DecisionForm(prefix=f"p{t.id}", formdata=None))
    return render_template("topics/proposals.html", items=items, forms=forms, error=error), status


@bp.route("/vorschlaege")
@login_required
def proposals():
    """Open and declined proposals: the coordination decides, a city sees its own."""
    return _render_proposals()


@bp.route("/<slug>/vorschlag/entscheidung", methods=["POST"])
@login_required
def decide_proposal(slug):
    """Coordinator: accept or decline a proposal."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.manage")
    form = DecisionForm(prefix=f"p{topic.id}")
    if not form.validate_on_submit():
        abort(400)
    try:
        services.decide_proposal(current_user, topic, form.decision.data, form.reason.data)
    except ValidationFailed as exc:
        _fail(exc, form)
        return _render_proposals(exc.status, {topic.id: form}, error=next(iter(exc.errors.values())))
    db.session.commit()
    flash(_("Der Vorschlag wurde angenommen.") if form.decision.data == "confirm"
          else _("Der Vorschlag wurde abgelehnt."), "success")
    return redirect(url_for("topics.proposals"))


# --- fields of action ---------------------------------------------------------------------

def _field_data(form):
    return {"name": form.name.data, "description": form.description.data, "position": form.position.data}


@bp.route("/handlungsfelder/", methods=["GET", "POST"])
@login_required
def fields():
    """Coordinator: the fields of action and a form to add one."""
    require(current_user, "topic.manage")
    form = FieldOfActionForm()
    status = 200
    if form.validate_on_submit():
        try:
            field = services.create_field(current_user, _field_data(form))
        except ValidationFailed as exc:
            _fail(exc, form)
            status = exc.status
        else:
            db.session.commit()
            flash(_("Das Handlungsfeld %(name)s wurde angelegt.", name=field.name), "success")
            return redirect(url_for("topics.fields"))
    elif form.errors:
        if "position" in form.errors:
            form.position.errors = [_("Bitte geben Sie die Reihenfolge als ganze Zahl von 0 bis 999 an.")]
        status = 422
    return render_template("topics/fields.html", form=form, fields=services.fields_of_action()), status


@bp.route("/handlungsfelder/<int:field_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_field(field_id):
    """Coordinator: rename or reorder a field of action."""
    require(current_user, "topic.manage")
    field = services.get_field_or_404(field_id)
    form = FieldOfActionForm(obj=field)
    if form.validate_on_submit():
        try:
            services.update_field(current_user, field, _field_data(form))
        except ValidationFailed as exc:
            _fail(exc, form)
            return render_template("topics/edit_field.html", form=form, item=field), exc.status
        db.session.commit()
        flash(_("Das Handlungsfeld wurde gespeichert."), "success")
        return redirect(url_for("topics.fields"))
    elif form.errors:
        if "position" in form.errors:
            form.position.errors = [_("Bitte geben Sie die Reihenfolge als ganze Zahl von 0 bis 999 an.")]
        return render_template("topics/edit_field.html", form=form, item=field), 422
    return render_template("topics/edit_field.html", form=form, item=field)
