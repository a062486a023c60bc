"""Topics world: a field of action, an active topic with a lead claim of city A, and a topic
proposal of each city. The claimant's name is visible to the network on the topic's page and API
(by design: the cities need to know whom to contact). Proposals are visible to the proposing city and the coordination only
(topics.services._may_see), so their name and reason are canaries with audience CITY.
"""

from network.extensions import db
from network.topics import services as topics
from tests.security.world import CITY, NETWORK, builder

ENDPOINTS = ("topics.", "topics_api.")


@builder
def topics_world(w):
    field = topics.create_field(w.coordinator, {"name": "Digitale Verwaltung", "description": "", "position": 1})
    topic = topics.create_topic(w.coordinator, {"name": "E-Akte", "description": "Gemeinsam einführen",
                                                "field_id": field.id})
    claim = topics.claim_lead(w.lead_a, topic, note="Wir haben Erfahrung")
    # the topic's history names who claimed the lead, for the whole network (not for the public)
    w.widen(w.lead_a.name, NETWORK)
    w.objects.update(field=field, topic=topic, claim_a=claim)
    for tag in ("a", "b"):
        lead = getattr(w, f"lead_{tag}")
        name, reason = w.new_canary(), w.new_canary()
        proposal = topics.propose_topic(lead, {"name": name, "field_id": field.id, "reason": f"Weil {reason}"})
        w.canary(name, "topic.proposal_name", city=lead.municipality.slug, audience=CITY)
        w.canary(reason, "topic.proposal_reason", city=lead.municipality.slug, audience=CITY)
        w.arg("slug", proposal.slug, city=lead.municipality.slug, endpoints=ENDPOINTS)
        w.objects[f"proposal_{tag}"] = proposal
    db.session.commit()
    w.arg("slug", topic.slug, endpoints=ENDPOINTS)
    w.arg("slug", "gibt-es-nicht", endpoints=ENDPOINTS)
    w.arg("field_id", field.id)
    w.arg("field_id", 999999)
    w.arg("claim_id", claim.id)
    w.arg("claim_id", 999999)
    for endpoint in ("topics.edit", "topics.claim", "topics.withdraw", "topics.hand_over", "topics.participate",
                     "topics.leave", "topics.decide_claim", "topics.answer_handover", "topics_api.create_claim",
                     "topics_api.decide_claim", "topics_api.put_participation", "topics_api.delete_participation"):
        w.target("slug", topic.slug, endpoint=endpoint)
    w.target("slug", w.proposal_a.slug, endpoint="topics.decide_proposal")
    w.target("field_id", field.id)
    w.target("claim_id", claim.id)
