"""A topic's own pages: add and edit it (coordination), and the topic page with all its action forms."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.permissions import can, require
from network.topics import services
from network.topics.forms import ClaimForm, DecisionForm, HandoverForm, ParticipationForm, TopicForm, WithdrawForm
from network.topics.views import bp
from network.topics.views._common import topic_data, topic_form


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def new():
    """Coordinator: add a topic."""
    require(current_user, "topic.manage")
    form = topic_form(TopicForm)
    if form.validate_on_submit():
        on_invalid("topics/new.html", form, form=form)
        topic = services.create_topic(current_user, topic_data(form))
        flash(_("Das Thema %(name)s wurde angelegt.", name=topic.name), "success")
        return redirect(url_for("topics.detail", slug=topic.slug))
    return render_template("topics/new.html", form=form), 422 if form.errors else 200


@bp.route("/<slug>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(slug):
    """Coordinator: edit a topic (with a version check)."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.manage")
    form = topic_form(TopicForm, obj=topic)
    if request.method == "GET":
        form.field_id.data = str(topic.field_id)
        form.version.data = str(topic.version)
    if form.validate_on_submit():
        on_invalid("topics/edit.html", form, form=form, topic=topic)
        services.update_topic(current_user, topic, topic_data(form), version=form.version.data)
        flash(_("Das Thema wurde gespeichert."), "success")
        return redirect(url_for("topics.detail", slug=topic.slug))
    return render_template("topics/edit.html", form=form, topic=topic), 422 if form.errors else 200


def _arg_page(name: str) -> int:
    """A positive page number from ?<name>=, else 1."""
    value = request.args.get(name, "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1


def render_detail(topic, status=200, error=None, loaded=None, **forms):
    """The topic page; action forms that failed come back with their errors and input. Participants and history
    are paged (?beteiligte=, ?verlauf=); the handover's city choices are read only for the lead city's leads.
    `loaded`: what services.topic_page() read with the topic (claims, own participation, panel columns)."""
    overview = services.topic_overview(topic, _arg_page("beteiligte"), _arg_page("verlauf"),
                                       per_page=services.TOPIC_SECTION_SIZE,
                                       claims=loaded["claims"] if loaded else None)
    city_id = getattr(current_user, "municipality_id", None)
    own_claim = next((c for c in [overview["lead"], overview["pending_lead"]] + overview["coleads"]
                      + overview["pending_coleads"] if c is not None and c.municipality_id == city_id), None)
    participation = loaded["participation"] if loaded else services.own_participation(topic, city_id)
    part_form = forms.get("part_form")
    if part_form is None:
        part_form = ParticipationForm(prefix="part", formdata=None,
                                      status=participation.status if participation else "participating",
                                      contact_id=str(participation.contact_id or "") if participation else
                                      str(current_user.id))
    handover_form = forms.get("handover_form") or HandoverForm(prefix="handover", formdata=None)
    may_hand_over = (city_id is not None and can(current_user, "topic.claim") and topic.status == "active"
                     and own_claim is not None and own_claim is overview["lead"] and overview["handover"] is None)
    may_participate = bool(city_id) and can(current_user, "topic.participate")
    # the contact person's and the handover's choices in one statement
    choices = services.page_choices(city_id, users=may_participate, handover=may_hand_over,
                                    query=request.args.get("uebergabe_suche", "").strip()[:80] or None)
    if may_participate:
        part_form.contact_id.choices = [("", _("keine Angabe"))] + [(str(u.id), u.name) for u in choices["users"]]
    handover = choices.get("handover")
    if may_hand_over:
        handover_form.target.choices = [("", _("Bitte wählen"))] + [(str(c.id), c.name) for c in handover["cities"]]
    decision_forms = forms.get("decision_forms") or {}
    for claim in ([overview["pending_lead"]] if overview["pending_lead"] else []) + overview["pending_coleads"]:
        decision_forms.setdefault(claim.id, DecisionForm(prefix=f"d{claim.id}", formdata=None))
    offer = overview["handover"]
    answer_form = forms.get("answer_form") or DecisionForm(prefix="answer", formdata=None)
    may_decide_colead = can(current_user, "topic.decide_claim") or (
        overview["lead"] is not None and overview["lead"].municipality_id == city_id
        and can(current_user, "topic.decide_colead"))
    # what the panels of other domains need and the page has read: the leading cities, the panel columns' values
    known = dict(loaded["values"]) if loaded else {}
    known["lead_city_ids"] = [c.municipality_id for c in ([overview["lead"]] if overview["lead"] else [])
                              + overview["coleads"]]
    return render_template(
        "topics/detail.html", topic=topic, o=overview, own_claim=own_claim, participation=participation,
        claim_form=forms.get("claim_form") or ClaimForm(prefix="claim", formdata=None),
        withdraw_form=forms.get("withdraw_form") or WithdrawForm(prefix="withdraw", formdata=None),
        handover_form=handover_form, part_form=part_form, decision_forms=decision_forms,
        answer_form=answer_form, may_decide_colead=may_decide_colead, may_hand_over=may_hand_over,
        handover_choice=handover, known=known,
        handover_for_us=offer is not None and offer.municipality_id == city_id and city_id is not None,
        error=error), status


@bp.route("/<slug>")
@login_required
def detail(slug):
    """A topic: description, lead and contact, co-leads, participants, history. The topic, its claims, the own
    participation and the panels' columns come in one statement (issue #17)."""
    from network.core.hooks import panel_columns
    from network.topics.models import Topic
    topic, loaded = services.topic_page(current_user, slug, panel_columns("topic", current_user, Topic.id))
    return render_detail(topic, loaded=loaded)
