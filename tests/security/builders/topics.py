"""Topics world: a field of action, an active topic with a lead claim of city A, and a topic
proposal of each city. The claimant's name is visible to the network on the topic's page and API
(by design: the cities need to know whom to contact). Proposals are visible to the proposing city and the coordination only
(topics.services._may_see), so their name and reason are canaries with audience CITY.

For the state-changing requests (CSRF control, mass assignment) the builder also prepares:
city A's participation in the topic (to leave it), a topic without claims or participation (to
claim it and join it), a topic that city A leads (to hand the lead over, to a third member city C,
so that city B's id stays an injected value), and a topic that city B leads and has offered to
city A (to answer the handover). Lead A and lead B are then contacts on topic pages: their names
and emails are visible to the network.
"""

from dataclasses import replace

import sqlalchemy as sa

from network.extensions import db
from network.topics import services as topics
from network.topics.models import FieldOfAction, LeadClaim, Participation, Topic
from tests import factories
from tests.security.world import CITY, FORM_DATA, NETWORK, builder

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

    # city A takes part in the topic (leave / DELETE participation); lead A is already network-visible
    topics.join_topic(w.lead_a, topic, "interested", w.lead_a.id)
    # a topic nobody claimed or joined yet (claim / join)
    free = topics.create_topic(w.coordinator, {"name": "Online-Terminvergabe", "description": "",
                                               "field_id": field.id})
    # a topic city A leads (hand over), to a third member city
    city_c = factories.make_city("Rastatt", district="Landkreis Rastatt")
    led_a = topics.create_topic(w.coordinator, {"name": "Digitale Bauakte", "description": "",
                                                "field_id": field.id})
    topics.decide_claim(w.coordinator, led_a, topics.claim_lead(w.lead_a, led_a), "confirm")
    # a topic city B leads and offers to city A (answer the handover)
    led_b = topics.create_topic(w.coordinator, {"name": "Open-Data-Portal", "description": "",
                                                "field_id": field.id})
    topics.decide_claim(w.coordinator, led_b, topics.claim_lead(w.lead_b, led_b), "confirm")
    offer = topics.hand_over_lead(w.lead_b, led_b, w.city_a.id, "Wir haben keine Kapazität mehr")
    w.widen(w.lead_b.name, NETWORK)
    # a confirmed lead's contact and a participation's contact person are shown with name and email on
    # the topic page (templates/topics/detail.html, by design: whom to contact), for the whole network
    for lead in (w.lead_a, w.lead_b):
        w.widen(lead.email, NETWORK)
    w.objects.update(topic_free=free, topic_led_a=led_a, topic_led_b=led_b, offer_to_a=offer, city_c=city_c)
    db.session.commit()

    w.arg("slug", topic.slug, endpoints=ENDPOINTS)
    for t in (free, led_a, led_b):
        w.arg("slug", t.slug, endpoints=ENDPOINTS)
    w.arg("slug", "gibt-es-nicht", endpoints=ENDPOINTS)
    # topics live under /n/<network>/themen and /api/v1/networks/<network>/…; the old /themen/… redirect
    w.arg("network", "readi", endpoints=ENDPOINTS)
    w.arg("network", "gibt-es-nicht", endpoints=ENDPOINTS)
    w.target("network", "readi")
    w.arg("rest", topic.slug, endpoints=("topics_legacy",))
    w.arg("field_id", field.id)
    w.arg("field_id", 999999)
    w.arg("claim_id", claim.id)
    w.arg("claim_id", offer.id)
    w.arg("claim_id", 999999)
    for endpoint in ("topics.edit", "topics.withdraw", "topics.leave", "topics.decide_claim",
                     "topics_api.decide_claim", "topics_api.delete_participation",
                     "topics_api.network_decide_claim", "topics_api.network_delete_participation"):
        w.target("slug", topic.slug, endpoint=endpoint)
    for endpoint in ("topics.claim", "topics.participate", "topics_api.create_claim", "topics_api.put_participation",
                     "topics_api.network_create_claim", "topics_api.network_put_participation"):
        w.target("slug", free.slug, endpoint=endpoint)
    w.target("slug", led_a.slug, endpoint="topics.hand_over")
    w.target("slug", led_b.slug, endpoint="topics.answer_handover")
    w.target("slug", w.proposal_a.slug, endpoint="topics.decide_proposal")
    w.target("field_id", field.id)
    w.target("claim_id", claim.id)
    w.target("claim_id", offer.id, endpoint="topics.answer_handover")


# --- valid requests (CSRF control, mass assignment) ----------------------------------------

FORM_DATA.update({
    "topics.new": lambda w: {"name": "Digitale Schule", "description": "Tablets für alle",
                             "field_id": str(w.field.id)},
    "topics.edit": lambda w: {"name": "E-Akte landesweit", "description": "Gemeinsam einführen",
                              "field_id": str(w.field.id), "version": str(_topic(w.topic.id).version)},
    "topics.claim": lambda w: {"claim-note": "Wir haben ein Pilotprojekt"},
    "topics.decide_claim": lambda w: {f"d{w.claim_a.id}-decision": "confirm", f"d{w.claim_a.id}-reason": ""},
    "topics.withdraw": lambda w: {"withdraw-reason": "Keine Kapazität", "confirm": "1"},
    "topics.hand_over": lambda w: {"handover-target": str(w.city_c.id), "handover-reason": "Rastatt übernimmt"},
    "topics.answer_handover": lambda w: {"answer-decision": "confirm", "answer-reason": ""},
    "topics.participate": lambda w: {"part-status": "participating", "part-contact_id": str(w.lead_a.id)},
    "topics.leave": lambda w: {},
    "topics.propose": lambda w: {"name": "Smart City", "field_id": str(w.field.id), "description": "Sensoren",
                                 "reason": "Viele Städte planen das"},
    "topics.decide_proposal": lambda w: {f"p{w.proposal_a.id}-decision": "confirm", f"p{w.proposal_a.id}-reason": ""},
    "topics.fields": lambda w: {"name": "Mobilität", "description": "Verkehr", "position": "2"},
    "topics.edit_field": lambda w: {"name": "Digitale Verwaltung", "description": "Verwaltung digital",
                                    "position": "7"},
    "topics_api.create_claim": lambda w: {"note": "Wir haben ein Pilotprojekt"},
    "topics_api.decide_claim": lambda w: {"decision": "confirm", "reason": ""},
    "topics_api.put_participation": lambda w: {"status": "participating", "contact_id": w.lead_a.id},
    "topics_api.delete_participation": lambda w: {},
})
# the network-scoped API routes take the same bodies
for _name in ("create_claim", "decide_claim", "put_participation", "delete_participation"):
    FORM_DATA[f"topics_api.network_{_name}"] = FORM_DATA[f"topics_api.{_name}"]
# the old addresses (/themen/…) only redirect (308 keeps the method and body)
FORM_DATA.update({"topics_legacy": lambda w: {}, "topics_legacy_root": lambda w: {}})


# --- the real effect of each request --------------------------------------------------------

def _topic(topic_id):
    return db.session.get(Topic, topic_id)


def _topic_named(name):
    return db.session.execute(sa.select(Topic).where(Topic.name == name)).scalar_one_or_none()


def _claims(topic_id, city_id, kind=None):
    stmt = sa.select(LeadClaim).where(LeadClaim.topic_id == topic_id, LeadClaim.municipality_id == city_id)
    if kind:
        stmt = stmt.where(LeadClaim.kind == kind)
    return db.session.execute(stmt).scalars().all()


def _claim_status(claim_id):
    return db.session.get(LeadClaim, claim_id).status


def _participation(topic_id, city_id):
    return db.session.execute(sa.select(Participation).where(
        Participation.topic_id == topic_id, Participation.municipality_id == city_id)).scalar_one_or_none()


def _field(field_id):
    return db.session.get(FieldOfAction, field_id)


def mass_assignment_cases(Case) -> list:
    """The topics rows of test_mass_assignment.MASS_ASSIGNMENT (Case is passed in: no import cycle)."""

    def claimed(w):
        return [(c.kind, c.status) for c in _claims(w.topic_free.id, w.city_a.id)] == [("lead", "pending")]

    def participating(w):
        p = _participation(w.topic_free.id, w.city_a.id)
        return p is not None and p.status == "participating" and p.contact_id == w.lead_a.id

    def handed_over(w):
        return [c.status for c in _claims(w.topic_led_b.id, w.city_a.id, "lead")] == ["confirmed"] \
            and _claim_status(w.offer_to_a.id) == "confirmed"

    cases = [
        Case("topics.new", "coordinator",
             lambda w: getattr(_topic_named("Digitale Schule"), "status", None) == "active"),
        Case("topics.edit", "coordinator", lambda w: _topic(w.topic.id).name == "E-Akte landesweit"),
        Case("topics.claim", "lead_a", claimed),
        # confirming the pending lead request sets its status
        Case("topics.decide_claim", "coordinator", lambda w: _claim_status(w.claim_a.id) == "confirmed",
             changes={("lead_claim", "status")}),
        # taking back the request sets its status
        Case("topics.withdraw", "lead_a", lambda w: _claim_status(w.claim_a.id) == "withdrawn",
             changes={("lead_claim", "status")}),
        Case("topics.hand_over", "lead_a",
             lambda w: [c.status for c in _claims(w.topic_led_a.id, w.city_c.id, "handover")] == ["pending"]),
        # accepting ends city B's lead and confirms the offer
        Case("topics.answer_handover", "lead_a", handed_over, changes={("lead_claim", "status")}),
        Case("topics.participate", "lead_a", participating),
        Case("topics.leave", "lead_a", lambda w: _participation(w.topic.id, w.city_a.id) is None),
        Case("topics.propose", "lead_a",
             lambda w: getattr(_topic_named("Smart City"), "proposed_by_municipality_id", None) == w.city_a.id),
        # accepting the proposal makes the topic active
        Case("topics.decide_proposal", "coordinator", lambda w: _topic(w.proposal_a.id).status == "active",
             changes={("topic", "status")}),
        Case("topics.fields", "coordinator", lambda w: db.session.execute(
            sa.select(FieldOfAction).where(FieldOfAction.name == "Mobilität")).scalar_one_or_none() is not None),
        Case("topics.edit_field", "coordinator", lambda w: _field(w.field.id).position == 7),
        Case("topics_api.create_claim", "lead_a", claimed, expect_status=201, api=True),
        Case("topics_api.decide_claim", "coordinator", lambda w: _claim_status(w.claim_a.id) == "confirmed",
             expect_status=200, changes={("lead_claim", "status")}, api=True),
        Case("topics_api.put_participation", "lead_a", participating, method="PUT", expect_status=200, api=True),
        Case("topics_api.delete_participation", "lead_a", lambda w: _participation(w.topic.id, w.city_a.id) is None,
             method="DELETE", expect_status=204, api=True),
    ]
    # the same effects through /api/v1/networks/<network>/…
    cases += [replace(c, endpoint=c.endpoint.replace("topics_api.", "topics_api.network_")) for c in cases
              if c.endpoint.startswith("topics_api.")]
    # the old addresses change nothing themselves: they answer 308 to /n/<default>/themen/…
    cases += [Case(endpoint, "lead_a", lambda w: True, expect_status=308)
              for endpoint in ("topics_legacy", "topics_legacy_root")]
    return cases
