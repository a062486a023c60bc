"""The actions on a topic page: claim, decide, withdraw and hand over the lead; join or leave the project group.

Each action declares the topic page (with its failed form) as the answer to a service error, then calls the
service; core/boundary.py commits a success and rolls back a failure.
"""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.forms import confirmation_page, confirmed
from network.core.permissions import require
from network.topics import services
from network.topics.forms import ClaimForm, DecisionForm, HandoverForm, ParticipationForm, WithdrawForm
from network.topics.views import bp
from network.topics.views._common import first_message
from network.topics.views.pages import render_detail


def _posted(topic, form, **page_forms):
    """A valid posted action form (else 400); a service error shows the topic page again with this form."""
    if not form.validate_on_submit():
        abort(400)
    on_invalid(lambda exc: render_detail(topic, exc.status, error=first_message(exc), **page_forms), form)
    return form


def _to_topic(topic, message):
    flash(message, "success")
    return redirect(url_for("topics.detail", slug=topic.slug))


@bp.route("/<slug>/federfuehrung", methods=["POST"])
@login_required
def claim(slug):
    """Claim the lead (or ask for co-lead) for one's own city."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.claim")
    form = ClaimForm(prefix="claim")
    _posted(topic, form, claim_form=form)
    result = services.claim_lead(current_user, topic, form.note.data)
    if result.kind == "colead":
        return _to_topic(topic, _("Ihre Anfrage auf Co-Federführung ist gestellt; die federführende Kommune und "
                                  "die Netzwerkkoordination entscheiden."))
    if result.status == "confirmed":
        return _to_topic(topic, _("Ihre Kommune hat jetzt die Federführung für %(topic)s.", topic=topic.name))
    return _to_topic(topic, _("Die Federführung ist beantragt; die Netzwerkkoordination bestätigt sie."))


@bp.route("/<slug>/antraege/<int:claim_id>/entscheidung", methods=["POST"])
@login_required
def decide_claim(slug, claim_id):
    """Confirm or decline a pending (co-)lead request."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.decide_colead")
    claim = services.get_claim_or_404(topic, claim_id)
    form = DecisionForm(prefix=f"d{claim.id}")
    _posted(topic, form, decision_forms={claim_id: form})
    services.decide_claim(current_user, topic, claim, form.decision.data, form.reason.data)
    return _to_topic(topic, _("Der Antrag wurde bestätigt.") if form.decision.data == "confirm"
                     else _("Der Antrag wurde abgelehnt."))


@bp.route("/<slug>/federfuehrung/abgeben", methods=["GET", "POST"])
@login_required
def withdraw(slug):
    """Give up the city's lead or co-lead, or take back its request (after a confirmation of what ends)."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.claim")
    form = WithdrawForm(prefix="withdraw")
    if not confirmed():
        if current_user.municipality is None:
            abort(403)  # as the service answers: only a city gives something up
        if request.method == "POST" and not form.validate_on_submit():
            abort(400)
        return _withdraw_confirmation(topic)
    _posted(topic, form, withdraw_form=form)
    services.withdraw_lead(current_user, topic, form.reason.data)
    return _to_topic(topic, _("Erledigt: Ihre Kommune ist für dieses Thema nicht mehr (co-)federführend."))


def _withdraw_confirmation(topic):
    """What giving up ends: the lead (the topic is then without one), the co-lead, or the open request."""
    claim = services.own_open_claim(current_user, topic)
    city = current_user.municipality.name if current_user.municipality else "–"
    if claim is None:
        lines = [_("Ihre Kommune hat für dieses Thema weder eine Federführung noch eine offene Anfrage.")]
    elif claim.status == "pending":
        lines = [_("%(city)s zieht die Anfrage auf %(kind)s für „%(topic)s“ zurück.", city=city,
                   kind=claim.kind_label, topic=topic.name)]
    elif claim.kind == "lead":
        lines = [_("%(city)s gibt die Federführung für „%(topic)s“ ab. Das Thema ist danach ohne federführende "
                   "Kommune, bis eine andere Kommune sie beantragt; ein offenes Übergabeangebot endet.",
                   city=city, topic=topic.name)]
    else:
        lines = [_("%(city)s gibt die Co-Federführung für „%(topic)s“ ab.", city=city, topic=topic.name)]
    return confirmation_page(heading=_("Federführung abgeben?"), lines=lines,
                             action=url_for("topics.withdraw", slug=topic.slug), button=_("Ja, abgeben"),
                             back=url_for("topics.detail", slug=topic.slug))


@bp.route("/<slug>/federfuehrung/uebergeben", methods=["POST"])
@login_required
def hand_over(slug):
    """Offer the lead to another member city."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.claim")
    form = HandoverForm(prefix="handover")
    _posted(topic, form, handover_form=form)
    services.hand_over_lead(current_user, topic, form.target.data, form.reason.data)
    return _to_topic(topic, _("Die Übergabe ist angeboten; die andere Kommune muss sie annehmen."))


@bp.route("/<slug>/uebergaben/<int:claim_id>/antwort", methods=["POST"])
@login_required
def answer_handover(slug, claim_id):
    """The offered city accepts or declines the handover."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.claim")
    offer = services.get_handover_or_404(current_user, topic, claim_id)
    form = DecisionForm(prefix="answer")
    _posted(topic, form, answer_form=form)
    services.accept_handover(current_user, topic, offer, form.decision.data, form.reason.data)
    return _to_topic(topic, _("Ihre Kommune hat jetzt die Federführung.") if form.decision.data == "confirm"
                     else _("Sie haben die Übergabe abgelehnt."))


@bp.route("/<slug>/teilnahme", methods=["POST"])
@login_required
def participate(slug):
    """Join the project group or change the city's participation."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.participate")
    form = ParticipationForm(prefix="part")
    _posted(topic, form, part_form=form)
    services.join_topic(current_user, topic, form.status.data, form.contact_id.data)
    return _to_topic(topic, _("Die Beteiligung Ihrer Kommune ist gespeichert."))


@bp.route("/<slug>/teilnahme/beenden", methods=["POST"])
@login_required
def leave(slug):
    """Leave the project group."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.participate")
    _posted(topic, WithdrawForm(prefix="leave"))
    services.leave_topic(current_user, topic)
    return _to_topic(topic, _("Ihre Kommune hat die Projektgruppe verlassen."))
