"""Handing the lead over: the lead city offers it to another member city of the topic's network, which accepts or
declines."""

from flask import abort
from flask_babel import gettext as _

from network.core import audit
from network.core.models import utcnow
from network.core.permissions import require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.municipalities.models import Municipality
from network.topics.models import LeadClaim, Topic
from network.topics.services._common import (MAX_TEXT, _acting_city, _city_leads, _decision, _event,
                                             _flush_or_conflict, _is_member, _lead_changed, _notify,
                                             _participant_contacts)
from network.topics.services.claims import _own_open_claim, current_lead


def hand_over_lead(actor, topic: Topic, target_city_id, reason: str = "") -> LeadClaim:
    """The lead city offers the lead to another member city, which must accept."""
    require(actor, "topic.claim")
    city = _acting_city(actor, topic.network)
    lead = current_lead(topic)
    if lead is None or lead.status != "confirmed" or lead.municipality_id != city.id:
        raise ValidationFailed({"target": _("Nur die federführende Kommune kann die Federführung übergeben.")},
                               status=403)
    c = Checker()
    reason = c.text("reason", reason, label=_("Die Begründung"), required=False, max_len=MAX_TEXT)
    target = None
    try:
        target = db.session.get(Municipality, int(target_city_id))
    except (TypeError, ValueError):
        pass
    if target is None or not _is_member(topic.network_id, target.id):
        c.add("target", _("Bitte wählen Sie eine Mitgliedskommune des Netzwerks %(network)s, die die Federführung "
                          "übernehmen soll.", network=topic.network.name))
    elif target.id == city.id:
        c.add("target", _("Ihre Kommune hat die Federführung bereits; bitte wählen Sie eine andere Kommune."))
    c.done()
    offer = LeadClaim(topic_id=topic.id, municipality_id=target.id, kind="handover", status="pending",
                      from_municipality_id=city.id, requested_by_id=actor.id, note=reason)
    db.session.add(offer)
    _flush_or_conflict(_("Für dieses Thema ist bereits eine Übergabe angeboten; sie muss erst angenommen oder "
                         "abgelehnt werden."))
    _event(topic, "handover_offered", actor=actor, claim=offer, city_id=target.id, reason=reason)
    audit.record(actor, "topic.handover_offered", obj=offer, municipality_id=city.id,
                 summary=f"{city.name} bietet {target.name} die Federführung für {topic.name} an", topic=topic.slug)
    _notify(_city_leads(target.id), "handover", _("Übergabe der Federführung angeboten: %(topic)s",
                                                  topic=topic.name),
            topic, actor=actor, city=city, reason=reason)
    db.session.flush()
    return offer


def get_handover_or_404(actor, topic: Topic, claim_id) -> LeadClaim:
    """A handover offered to the actor's own city; an offer to another city answers 404."""
    claim = db.session.get(LeadClaim, claim_id) if str(claim_id).isdigit() else None
    if (claim is None or claim.topic_id != topic.id or claim.kind != "handover"
            or claim.municipality_id != getattr(actor, "municipality_id", None)):
        abort(404)
    return claim


def accept_handover(actor, topic: Topic, offer: LeadClaim, decision, reason: str = "") -> LeadClaim:
    """The offered city accepts (it becomes the lead) or declines a handover."""
    require(actor, "topic.claim", offer)
    city = _acting_city(actor, topic.network)
    if offer.topic_id != topic.id or offer.kind != "handover" or offer.municipality_id != city.id:
        abort(404)
    decision, reason = _decision(decision, reason, still_open=offer.status == "pending",
                                 decided=_("Über dieses Übergabeangebot wurde bereits entschieden."))
    offer.decided_by_id = actor.id
    offer.decided_at = utcnow()
    offer.reason = reason
    if decision == "decline":
        offer.status = "declined"
        _event(topic, "handover_declined", actor=actor, claim=offer, reason=reason)
        audit.record(actor, "topic.handover_declined", obj=offer,
                     summary=f"{city.name} lehnt die Federführung für {topic.name} ab", topic=topic.slug)
        _notify(_city_leads(offer.from_municipality_id), "handover_declined",
                _("Übergabe abgelehnt: %(topic)s", topic=topic.name), topic, actor=actor, city=city, reason=reason)
        db.session.flush()
        return offer
    lead = current_lead(topic)
    if lead is None or lead.status != "confirmed" or lead.municipality_id != offer.from_municipality_id:
        offer.status = "ended"
        db.session.flush()
        raise ValidationFailed({"decision": _("Die anbietende Kommune hat die Federführung nicht mehr; das Angebot "
                                              "ist erledigt.")}, status=409)
    lead.status = "ended"
    lead.decided_by_id = actor.id
    lead.decided_at = utcnow()
    lead.reason = _("An %(city)s übergeben.", city=city.name)
    own = _own_open_claim(topic, city.id)
    if own is not None:  # a co-lead or open request of the new lead city is absorbed
        own.status = "ended"
        own.decided_at = utcnow()
    offer.status = "confirmed"
    db.session.flush()  # free the lead slot before the new lead row takes it
    new_lead = LeadClaim(topic_id=topic.id, municipality_id=city.id, kind="lead", status="confirmed",
                         requested_by_id=actor.id, note=offer.note, decided_by_id=actor.id, decided_at=utcnow())
    db.session.add(new_lead)
    _flush_or_conflict(_("Die Federführung für dieses Thema hat sich inzwischen geändert. Bitte laden Sie die "
                         "Seite neu."))
    _event(topic, "handover_accepted", actor=actor, claim=new_lead, reason=reason or offer.note)
    audit.record(actor, "topic.handover_accepted", obj=new_lead,
                 summary=f"{city.name} übernimmt die Federführung für {topic.name} von "
                         f"{lead.municipality.name}", topic=topic.slug)
    _lead_changed(topic, actor, city)
    _notify(_participant_contacts(topic) + _city_leads(offer.from_municipality_id), "lead_changed",
            _("Neue Federführung: %(topic)s", topic=topic.name), topic, actor=actor, city=city, exclude=actor)
    db.session.flush()
    return new_lead
