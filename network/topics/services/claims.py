"""Lead claims: a city claims the lead (or asks for co-lead), the coordination or lead city decides, a city withdraws."""

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden

from network.core import audit
from network.core.models import utcnow
from network.core.permissions import can, require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.topics.models import OPEN_STATUSES, LeadClaim, Topic
from network.topics.services._common import (MAX_TEXT, _acting_city, _city_leads, _coordinators,
                                             _decision, _event, _flush_or_conflict, _lead_changed,
                                             _member_clause, _notify, _participant_contacts)


def current_lead(topic: Topic) -> LeadClaim | None:
    """The open (pending or confirmed) lead claim of a city taking part in the topic's network, if any."""
    return db.session.execute(
        sa.select(LeadClaim)
        .where(LeadClaim.topic_id == topic.id, LeadClaim.kind == "lead", LeadClaim.status.in_(OPEN_STATUSES),
               _member_clause(topic.network_id, LeadClaim.municipality_id))
    ).scalar_one_or_none()


def _own_open_claim(topic: Topic, city_id: int) -> LeadClaim | None:
    return db.session.execute(
        sa.select(LeadClaim).where(LeadClaim.topic_id == topic.id, LeadClaim.municipality_id == city_id,
                                   LeadClaim.kind.in_(("lead", "colead")), LeadClaim.status.in_(OPEN_STATUSES))
    ).scalar_one_or_none()


def own_open_claim(actor, topic: Topic) -> LeadClaim | None:
    """The actor's city's lead, co-lead or open request for the topic (what giving it up would end), or None."""
    city_id = getattr(actor, "municipality_id", None)
    return _own_open_claim(topic, city_id) if city_id else None


def claim_lead(actor, topic: Topic, note: str = "") -> LeadClaim:
    """Claim the lead for the actor's city; on a topic with a lead this becomes a co-lead request."""
    require(actor, "topic.claim")
    city = _acting_city(actor, topic.network)
    c = Checker()
    note = c.text("note", note, label=_("Die Anmerkung"), required=False, max_len=MAX_TEXT)
    c.done()
    if topic.status != "active":
        raise ValidationFailed({"claim": _("Für einen Themenvorschlag kann noch niemand die Federführung "
                                           "übernehmen.")}, status=409)
    own = _own_open_claim(topic, city.id)
    if own is not None:
        message = (_("Ihre Kommune hat für dieses Thema bereits die Federführung oder Co-Federführung.")
                   if own.status == "confirmed" else
                   _("Für Ihre Kommune liegt zu diesem Thema bereits eine offene Anfrage vor."))
        raise ValidationFailed({"claim": message}, status=409)
    lead = current_lead(topic)
    if lead is not None and lead.status == "pending":
        raise ValidationFailed({"claim": _("%(city)s hat die Federführung für dieses Thema bereits beantragt; die "
                                           "Netzwerkkoordination entscheidet darüber. Eine Co-Federführung können "
                                           "Sie beantragen, sobald die Federführung bestätigt ist.",
                                           city=lead.municipality.name)}, status=409)
    kind = "lead" if lead is None else "colead"
    # the network's setting; config TOPICS_AUTO_CONFIRM_CLAIMS stays an installation-wide override
    auto = kind == "lead" and bool(topic.network.auto_confirm_claims
                                   or current_app.config.get("TOPICS_AUTO_CONFIRM_CLAIMS"))
    claim = LeadClaim(topic_id=topic.id, municipality_id=city.id, kind=kind, status="confirmed" if auto else "pending",
                      requested_by_id=actor.id, note=note, decided_at=utcnow() if auto else None)
    db.session.add(claim)
    _flush_or_conflict(
        _("Eine andere Kommune hat im selben Moment die Federführung für dieses Thema beantragt; ihre Anfrage "
          "lag zuerst vor. Bitte laden Sie die Seite neu.") if kind == "lead" else
        _("Für Ihre Kommune liegt zu diesem Thema bereits eine offene Anfrage vor."))
    _event(topic, "claimed" if kind == "lead" else "colead_requested", actor=actor, claim=claim, reason=note)
    if auto:
        _event(topic, "confirmed", claim=claim, reason=_("automatisch bestätigt (Netzwerkeinstellung)"))
    audit.record(actor, f"topic.{'lead_claimed' if kind == 'lead' else 'colead_requested'}", obj=claim,
                 summary=f"{city.name} beantragt {'die Federführung' if kind == 'lead' else 'die Co-Federführung'} "
                         f"für {topic.name}", topic=topic.slug)
    if auto:
        _lead_changed(topic, actor, city)
        _notify(_participant_contacts(topic), "lead_changed",
                _("Neue Federführung: %(topic)s", topic=topic.name), topic, actor=actor, city=city, exclude=actor)
    elif kind == "lead":
        _notify(_coordinators(topic.network), "claim", _("Federführung beantragt: %(topic)s", topic=topic.name),
                topic, actor=actor, city=city, reason=note)
    else:
        _notify(_city_leads(lead.municipality_id) + _coordinators(topic.network), "colead",
                _("Co-Federführung beantragt: %(topic)s", topic=topic.name), topic, actor=actor, city=city,
                reason=note)
    db.session.flush()
    return claim


def get_claim_or_404(topic: Topic, claim_id, *, kinds=("lead", "colead")) -> LeadClaim:
    """A claim of this topic (of a city still taking part in the topic's network) or 404."""
    claim = db.session.execute(
        sa.select(LeadClaim).where(LeadClaim.id == int(claim_id), LeadClaim.topic_id == topic.id,
                                   LeadClaim.kind.in_(kinds), _member_clause(topic.network_id,
                                                                             LeadClaim.municipality_id))
    ).scalar_one_or_none() if str(claim_id).isdigit() and int(claim_id) < 2**31 else None
    if claim is None:
        abort(404)
    return claim


def decide_claim(actor, topic: Topic, claim: LeadClaim, decision, reason="") -> LeadClaim:
    """Confirm or decline a pending request: the coordination decides leads; co-leads also the lead city."""
    require(actor, "topic.decide_colead")
    if claim.topic_id != topic.id or claim.kind not in ("lead", "colead"):
        abort(404)
    if not can(actor, "topic.decide_claim"):
        lead = current_lead(topic)
        allowed = (claim.kind == "colead" and lead is not None and lead.status == "confirmed"
                   and lead.municipality_id == actor.municipality_id)
        if not allowed:
            raise Forbidden()
    decision, reason = _decision(decision, reason, still_open=claim.status == "pending",
                                 decided=_("Über diesen Antrag wurde bereits entschieden."))
    claim.status = "confirmed" if decision == "confirm" else "declined"
    claim.decided_by_id = actor.id
    claim.decided_at = utcnow()
    claim.reason = reason
    action = {("lead", "confirm"): "confirmed", ("colead", "confirm"): "colead_confirmed"}.get(
        (claim.kind, decision), "declined")
    _event(topic, action, actor=actor, claim=claim, reason=reason)
    audit.record(actor, f"topic.claim_{'confirmed' if decision == 'confirm' else 'declined'}", obj=claim,
                 summary=f"Antrag von {claim.municipality.name} auf {claim.kind_label} für {topic.name} "
                         f"{'bestätigt' if decision == 'confirm' else 'abgelehnt'}", topic=topic.slug)
    db.session.flush()
    if claim.requested_by is not None and claim.requested_by.active:
        _notify([claim.requested_by], "decided_" + decision, _("Ihr Antrag: %(topic)s", topic=topic.name), topic,
                actor=actor, city=claim.municipality, reason=reason)
    if claim.kind == "lead" and decision == "confirm":
        _lead_changed(topic, actor, claim.municipality)
        _notify(_participant_contacts(topic), "lead_changed", _("Neue Federführung: %(topic)s", topic=topic.name),
                topic, actor=actor, city=claim.municipality, exclude=claim.requested_by)
    db.session.flush()
    return claim


def _end_pending_handover(topic, actor, reason):
    offer = db.session.execute(
        sa.select(LeadClaim).where(LeadClaim.topic_id == topic.id, LeadClaim.kind == "handover",
                                   LeadClaim.status == "pending")
    ).scalar_one_or_none()
    if offer is not None:
        offer.status = "ended"
        offer.decided_at = utcnow()
        offer.reason = reason
        _event(topic, "handover_cancelled", actor=actor, claim=offer, reason=reason)
    return offer


def withdraw_lead(actor, topic: Topic, reason: str = "") -> LeadClaim:
    """The city gives up its lead or co-lead, or takes back its open request."""
    require(actor, "topic.claim")
    city = _acting_city(actor, topic.network, guests=True)
    c = Checker()
    reason = c.text("reason", reason, label=_("Die Begründung"), required=False, max_len=MAX_TEXT)
    c.done()
    claim = _own_open_claim(topic, city.id)
    if claim is None:
        raise ValidationFailed({"claim": _("Ihre Kommune hat für dieses Thema weder eine Federführung noch eine "
                                           "offene Anfrage.")}, status=409)
    was_confirmed_lead = claim.kind == "lead" and claim.status == "confirmed"
    action = ("request_withdrawn" if claim.status == "pending" else
              "withdrawn" if claim.kind == "lead" else "colead_withdrawn")
    claim.status = "withdrawn"
    claim.decided_by_id = actor.id
    claim.decided_at = utcnow()
    claim.reason = reason
    _event(topic, action, actor=actor, claim=claim, reason=reason)
    if was_confirmed_lead:
        _end_pending_handover(topic, actor, _("Die Federführung wurde abgegeben."))
    audit.record(actor, f"topic.{action}", obj=claim, summary=f"{city.name}: {claim.kind_label} für {topic.name} "
                                                              f"beendet", topic=topic.slug)
    if was_confirmed_lead:
        _lead_changed(topic, actor, None)
        _notify(_participant_contacts(topic), "lead_withdrawn", _("Federführung abgegeben: %(topic)s",
                                                                  topic=topic.name),
                topic, actor=actor, city=city, reason=reason, exclude=actor)
    db.session.flush()
    return claim
