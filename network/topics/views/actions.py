"""The actions on a topic page: claim, decide, withdraw and hand over the lead; join or leave the project group.

Each action declares the topic page (with its failed form) as the answer to a service error, then calls the
service; core/boundary.py commits a success and rolls back a failure.
"""

import functools

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.forms import confirmation_page, confirmed, posted_action, succeeded
from network.core.permissions import require
from network.topics import services
from network.topics.forms import ClaimForm, DecisionForm, HandoverForm, ParticipationForm, WithdrawForm
from network.topics.views import bp
from network.topics.views.pages import render_detail


def _posted(topic, form, **page_forms):
    """A valid posted action form (else 400); a service error shows the topic page again with this form."""
    return posted_action(form, functools.partial(render_detail, topic), **page_forms)


def _to_topic(topic, message):
    return succeeded(message, url_for("topics.detail", slug=topic.slug))


def _topic_action(rule, permission, form_class=None, prefix=None, form_key=None, methods=("POST",)):
    """Register an action of the topic page at ``rule`` (the endpoint is the function's name): the topic (404), the
    permission (403), then ``act``. With ``form_class``: the posted form first (``_posted``; ``form_key`` names it
    on the page), then ``act(topic, form)`` calls the service and returns the success message; without:
    ``act(topic, **ids)`` answers the request itself."""
    def register(act):
        @functools.wraps(act)
        @login_required
        def view(slug, **ids):
            topic = services.get_topic_or_404(current_user, slug)
            require(current_user, permission)
            if form_class is None:
                return act(topic, **ids)
            form = form_class(prefix=prefix)
            _posted(topic, form, **({form_key: form} if form_key else {}))
            return _to_topic(topic, act(topic, form))
        bp.add_url_rule(rule, act.__name__, view, methods=list(methods))
        return view
    return register


@_topic_action("/<slug>/federfuehrung", "topic.claim", ClaimForm, "claim", "claim_form")
def claim(topic, form):
    """Claim the lead (or ask for co-lead) for one's own city."""
    result = services.claim_lead(current_user, topic, form.note.data)
    if result.kind == "colead":
        return _("Ihre Anfrage auf Co-Federführung ist gestellt; die federführende Kommune und "
                 "die Netzwerkkoordination entscheiden.")
    if result.status == "confirmed":
        return _("Ihre Kommune hat jetzt die Federführung für %(topic)s.", topic=topic.name)
    return _("Die Federführung ist beantragt; die Netzwerkkoordination bestätigt sie.")


@_topic_action("/<slug>/antraege/<int:claim_id>/entscheidung", "topic.decide_colead")
def decide_claim(topic, claim_id):
    """Confirm or decline a pending (co-)lead request."""
    claim = services.get_claim_or_404(topic, claim_id)
    form = DecisionForm(prefix=f"d{claim.id}")
    _posted(topic, form, decision_forms={claim_id: form})
    services.decide_claim(current_user, topic, claim, form.decision.data, form.reason.data)
    return _to_topic(topic, _("Der Antrag wurde bestätigt.") if form.decision.data == "confirm"
                     else _("Der Antrag wurde abgelehnt."))


@_topic_action("/<slug>/federfuehrung/abgeben", "topic.claim", methods=("GET", "POST"))
def withdraw(topic):
    """Give up the city's lead or co-lead, or take back its request (after a confirmation of what ends)."""
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


@_topic_action("/<slug>/federfuehrung/uebergeben", "topic.claim", HandoverForm, "handover", "handover_form")
def hand_over(topic, form):
    """Offer the lead to another member city."""
    services.hand_over_lead(current_user, topic, form.target.data, form.reason.data)
    return _("Die Übergabe ist angeboten; die andere Kommune muss sie annehmen.")


@_topic_action("/<slug>/uebergaben/<int:claim_id>/antwort", "topic.claim")
def answer_handover(topic, claim_id):
    """The offered city accepts or declines the handover."""
    offer = services.get_handover_or_404(current_user, topic, claim_id)
    form = DecisionForm(prefix="answer")
    _posted(topic, form, answer_form=form)
    services.accept_handover(current_user, topic, offer, form.decision.data, form.reason.data)
    return _to_topic(topic, _("Ihre Kommune hat jetzt die Federführung.") if form.decision.data == "confirm"
                     else _("Sie haben die Übergabe abgelehnt."))


@_topic_action("/<slug>/teilnahme", "topic.participate", ParticipationForm, "part", "part_form")
def participate(topic, form):
    """Join the project group or change the city's participation."""
    services.join_topic(current_user, topic, form.status.data, form.contact_id.data)
    return _("Die Beteiligung Ihrer Kommune ist gespeichert.")


@_topic_action("/<slug>/teilnahme/beenden", "topic.participate", WithdrawForm, "leave")
def leave(topic, form):
    """Leave the project group."""
    services.leave_topic(current_user, topic)
    return _("Ihre Kommune hat die Projektgruppe verlassen.")
