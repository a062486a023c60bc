"""API: fields of action, topics, lead claims and the own city's participation.

Every route lives under /api/v1/networks/<network>/… (the network's topics); the same route without the prefix
(/api/v1/topics…, the single-network era) answers for the installation's default network and is marked
deprecated in the OpenAPI document. An unknown network answers 404 in the error envelope.
"""

from marshmallow import Schema, fields

from network.core.apiauth import (CityRef, Id, InputSchema as _In, NamedRef, Str, addresses, api_user, deprecate,
                                  make_blueprint)
from network.topics.models import CLAIM_KINDS, CLAIM_STATUSES, PARTICIPATION_STATUSES, TOPIC_STATUSES
from network.topics.services._common import MAX_TEXT
from network.core.apiroutes import Load, operations
from network.core.current import set_request_network
from network.networks.services import request_network
from network.topics import services

blp = make_blueprint("topics_api", __name__, "", "Handlungsfelder, Themen und Federführung")

#: the prefix of the network-scoped routes; the view functions never see `network` (it is the request's network)
NETWORK_PREFIX = "/networks/<network>"


@blp.url_value_preprocessor
def _pull_network(endpoint, values):
    """The network named in the address is this request's; the old (deprecated) addresses stay in the default
    network, whatever the token owner's own network (core.apiauth)."""
    from network.core.current import default_network_slug
    set_request_network((values or {}).pop("network", None) or default_network_slug())


def _routes(rule, **options):
    """Register a view under /networks/<network>{rule} (endpoint network_<name>) and, deprecated, under {rule}
    for the default network (endpoint <name>, as before)."""
    def decorator(func):
        name = func.__name__
        blp.route(NETWORK_PREFIX + rule, endpoint=f"network_{name}", **options)(func)
        blp.route(rule, endpoint=name, **options)(blp.doc(deprecated=True)(func))
        deprecate(f"{blp.name}.{name}")
        return func
    return decorator


#: the topics API's routes: op(rule, method, …) (core/apiroutes.operation), each under both addresses
op = operations(blp, register=_routes)


def _network_or_404():
    """This request's network; an unknown slug in the URL answers 404 (error envelope)."""
    return request_network()


@blp.before_request
def _network_gate():
    """After the token check: a network the caller's city never took part in (and that they do not coordinate)
    answers 404, like an unknown one; a city that left it reads its history and writes nothing (403)."""
    from flask import g, request

    from network.networks.access import network_gate
    if g.get("api_user") is not None:
        network_gate(g.api_user, request.method)


class FieldOfActionSchema(Schema):
    slug = fields.String()
    name = fields.String()
    description = fields.String()
    position = fields.Integer()


class ParticipantSchema(Schema):
    municipality = fields.Nested(CityRef)
    status = fields.String(metadata={"description": "Beteiligung", "enum": list(PARTICIPATION_STATUSES)})
    contact = fields.Function(lambda p: p.contact.name if p.contact else None, allow_none=True,
                              metadata={"type": "string", "description": "Name der Ansprechperson"})


class ClaimSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "Art des Antrags", "enum": list(CLAIM_KINDS)})
    status = fields.String(metadata={"description": "Stand des Antrags", "enum": list(CLAIM_STATUSES)})
    municipality = fields.Nested(CityRef)
    note = fields.String()
    reason = fields.String()
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class EventSchema(Schema):
    action = fields.String()
    label = fields.String()
    municipality = fields.Nested(CityRef, allow_none=True)
    actor = fields.Function(lambda e: e.actor.name if e.actor else None, allow_none=True,
                            metadata={"type": "string", "description": "Name der handelnden Person"})
    reason = fields.String()
    created_at = fields.DateTime()


class TopicSchema(Schema):
    url, html_url = addresses("topics_api.network_get_topic", "topics.detail", "des Themas",
                              network=lambda t: request_network().slug, slug="slug")
    slug = fields.String(metadata={"description": "Kurzname in Adressen"})
    name = fields.String(metadata={"description": "Name des Themas"})
    description = fields.String(metadata={"description": "Beschreibung (Markdown)"})
    status = fields.String(metadata={"description": "Stand des Themas", "enum": list(TOPIC_STATUSES)})
    is_example = fields.Boolean(metadata={"description": "Beispieldaten der Demo"})
    field = fields.Nested(NamedRef)
    lead = fields.Nested(CityRef, allow_none=True, metadata={"description": "federführende Kommune"})
    coleads = fields.List(fields.Nested(CityRef))
    participants = fields.List(fields.Nested(ParticipantSchema))


class TopicDetailSchema(TopicSchema):
    open_claims = fields.List(fields.Nested(ClaimSchema), metadata={"description": "offene Anträge und Übergaben"})
    history = fields.List(fields.Nested(EventSchema))


class TopicQuery(_In):
    field = Str(80, "Slug eines Handlungsfelds", single_line=True)


class ClaimIn(_In):
    note = Str(MAX_TEXT, "Anmerkung (optional)")


class DecisionIn(_In):
    decision = Str(None, "confirm (bestätigen) oder decline (ablehnen)", enum=["confirm", "decline"], required=True)
    reason = Str(MAX_TEXT, "Begründung; bei decline erforderlich")


class ParticipationIn(_In):
    status = Str(None, "interested (interessiert) oder participating (arbeitet mit)",
                 enum=list(PARTICIPATION_STATUSES), required=True)
    contact_id = Id("Konto-ID der Ansprechperson (eigene Kommune; null: keine)", nullable=True)


#: the network's topic of the address, if the token's user may see it (else 404)
TOPIC = Load("slug", "topic", services.get_topic_or_404)


@op("/fields-of-action", answer=FieldOfActionSchema(many=True), errors=(401, 404), paged=True)
def list_fields():
    """The network's fields of action in their order."""
    api_user()
    return services.fields_of_action(_network_or_404())


@op("/topics", query=TopicQuery, answer=TopicSchema(many=True), errors=(401, 404), paged=True)
def list_topics(query):
    """The network's active topics with lead city, co-leads and participants (optionally one field of action)."""
    user = api_user()
    _network_or_404()
    return services.topic_summaries(user, query.get("field"))


@op("/topics/<slug>", answer=TopicDetailSchema, errors=(401, 404), load=TOPIC)
def get_topic(topic):
    """One topic of the network with open requests and its history."""
    summary = services.topic_summaries(api_user(), topics=[topic])[0]
    overview = services.topic_overview(topic)
    summary["open_claims"] = [c for c in [overview["pending_lead"], overview["handover"]] if c] \
        + overview["pending_coleads"]
    summary["history"] = overview["history"]
    return summary


@op("/topics/<slug>/claims", "POST", body=ClaimIn, status=201, answer=ClaimSchema,
    errors=(401, 403, 404, 409, 422), load=TOPIC)
def create_claim(data, topic):
    """Claim the lead for the token owner's city (a co-lead request if the topic has a lead); only members (not
    guests) of the network."""
    return services.claim_lead(api_user(), topic, data.get("note", ""))


@op("/topics/<slug>/claims/<int:claim_id>/decision", "POST", body=DecisionIn, answer=ClaimSchema,
    errors=(401, 403, 404, 409, 422), load=TOPIC)
def decide_claim(data, topic, claim_id):
    """Confirm or decline a pending request (the network's coordination; for co-leads also the lead city)."""
    claim = services.get_claim_or_404(topic, claim_id)
    return services.decide_claim(api_user(), topic, claim, data.get("decision"), data.get("reason", ""))


@op("/topics/<slug>/participation", "PUT", body=ParticipationIn, answer=ParticipantSchema,
    errors=(401, 403, 404, 409, 422), load=TOPIC)
def put_participation(data, topic):
    """Join the topic's project group for the token owner's city, or change status and contact."""
    return services.join_topic(api_user(), topic, data.get("status"), data.get("contact_id"))


@op("/topics/<slug>/participation", "DELETE", status=204, errors=(401, 403, 404), load=TOPIC)
def delete_participation(topic):
    """The token owner's city leaves the topic's project group."""
    services.leave_topic(api_user(), topic)
    return None
