"""The topics domain's sentences in the audit log and the links to its topics (core/audit.describe)."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from network.core.permissions import roles_of
from network.extensions import db
from network.networks.models import Network
from network.networks.services import network_ids_of_city
from network.topics.models import FieldOfAction, LeadClaim, Participation, Topic

SENTENCES = {
    "topic.created": _l("%(actor)s hat das Thema %(object)s angelegt."),
    "topic.updated": _l("%(actor)s hat das Thema %(object)s geändert."),
    "topic.proposed": _l("%(actor)s hat für %(city)s das Thema %(object)s vorgeschlagen."),
    "topic.proposal_accepted": _l("%(actor)s hat den Themenvorschlag %(object)s angenommen."),
    "topic.proposal_declined": _l("%(actor)s hat den Themenvorschlag %(object)s abgelehnt."),
    "topic.joined": _l("%(actor)s hat %(city)s beim Thema %(object)s eingetragen."),
    "topic.participation_changed": _l("%(actor)s hat die Beteiligung von %(city)s am Thema %(object)s geändert."),
    "topic.left": _l("%(actor)s hat %(city)s vom Thema %(object)s ausgetragen."),
    "topic.lead_claimed": _l("%(actor)s hat für %(city)s die Federführung für %(object)s beantragt."),
    "topic.colead_requested": _l("%(actor)s hat für %(city)s die Co-Federführung für %(object)s beantragt."),
    "topic.claim_confirmed": _l("%(actor)s hat den Antrag von %(city)s zum Thema %(object)s bestätigt."),
    "topic.claim_declined": _l("%(actor)s hat den Antrag von %(city)s zum Thema %(object)s abgelehnt."),
    "topic.handover_offered": _l("%(actor)s hat %(city)s die Federführung für %(object)s angeboten."),
    "topic.handover_declined": _l("%(actor)s hat die angebotene Federführung für %(object)s abgelehnt."),
    "topic.handover_accepted": _l("%(actor)s hat für %(city)s die Federführung für %(object)s übernommen."),
    "field_of_action.created": _l("%(actor)s hat das Handlungsfeld %(object)s angelegt."),
    "field_of_action.updated": _l("%(actor)s hat das Handlungsfeld %(object)s geändert."),
}


def _reader_network_ids(reader) -> set[int]:
    """The networks whose topics the reader opens: their city's (member or guest) and those they coordinate."""
    ids = set(network_ids_of_city(getattr(reader, "municipality_id", None)))
    slugs = getattr(reader, "coordinated_networks", None) or ()
    if slugs:
        ids |= set(db.session.execute(sa.select(Network.id).where(Network.slug.in_(sorted(slugs)))).scalars())
    return ids


def _topic_named(topic: Topic, reader, networks: set[int]):
    visible = topic.network_id in networks and "anonymous" not in roles_of(reader) and (
        topic.status == "active" or topic.network.slug in (getattr(reader, "coordinated_networks", None) or ())
        or topic.proposed_by_municipality_id == getattr(reader, "municipality_id", None))
    return topic.name, (url_for("topics.detail", slug=topic.slug, network=topic.network.slug) if visible else None)


def topic_links(ids, reader) -> dict:
    topics = db.session.execute(sa.select(Topic).where(Topic.id.in_(ids)).options(selectinload(Topic.network))
                                ).scalars().all()
    networks = _reader_network_ids(reader)
    return {t.id: _topic_named(t, reader, networks) for t in topics}


def _via_topic(model):
    def links(ids, reader) -> dict:
        rows = db.session.execute(sa.select(model).where(model.id.in_(ids))
                                  .options(selectinload(model.topic).selectinload(Topic.network))).scalars().all()
        networks = _reader_network_ids(reader)
        return {r.id: _topic_named(r.topic, reader, networks) for r in rows}
    return links


claim_links = _via_topic(LeadClaim)
participation_links = _via_topic(Participation)


def field_links(ids, reader) -> dict:
    """Fields of action are named, not linked (they have no page of their own)."""
    return {f.id: (f.name, None) for f in db.session.execute(
        sa.select(FieldOfAction).where(FieldOfAction.id.in_(ids))).scalars()}
