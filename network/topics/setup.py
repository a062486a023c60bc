"""Topics on the dashboard: the decisions waiting for the user (lead claims, co-lead requests, handovers), and
the city's own topics on the dashboard and the city page."""

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from network.core.hooks import register_panel, register_waiting
from network.core.permissions import can
from network.extensions import db
from network.topics.models import LeadClaim, Topic

LIMIT = 10


def waiting_decisions(user) -> dict:
    """Open requests in this request's network the user may decide, newest first (at most LIMIT), and open
    proposals: two queries (the network row is cached for the request)."""
    from network.networks.services import request_network
    network_id = request_network().id
    conditions = []
    if can(user, "topic.decide_claim"):
        conditions.append(LeadClaim.kind.in_(("lead", "colead")))
    city_id = getattr(user, "municipality_id", None)
    if city_id and can(user, "topic.decide_colead"):
        lead = aliased(LeadClaim)
        own_lead = sa.select(lead.id).where(lead.topic_id == LeadClaim.topic_id, lead.kind == "lead",
                                           lead.status == "confirmed", lead.municipality_id == city_id)
        conditions.append(sa.and_(LeadClaim.kind == "colead", own_lead.exists()))
    if city_id and can(user, "topic.claim"):
        conditions.append(sa.and_(LeadClaim.kind == "handover", LeadClaim.municipality_id == city_id))
    claims = []
    if conditions:
        claims = db.session.execute(
            sa.select(LeadClaim).join(Topic, Topic.id == LeadClaim.topic_id)
            .where(Topic.network_id == network_id, LeadClaim.status == "pending", sa.or_(*conditions))
            .options(joinedload(LeadClaim.topic), joinedload(LeadClaim.municipality),
                     joinedload(LeadClaim.from_municipality))
            .order_by(LeadClaim.created_at.desc(), LeadClaim.id.desc()).limit(LIMIT)
        ).scalars().all()
    proposals = 0
    if can(user, "topic.decide_claim"):
        proposals = db.session.scalar(sa.select(sa.func.count(Topic.id)).where(Topic.network_id == network_id,
                                                                            Topic.status == "proposed"))
    return {"claims": claims, "proposals": proposals}


def waiting(user, known=None):
    """The dashboard's "Was auf Sie wartet": lead and co-lead claims to decide, handovers offered to the city,
    topic proposals (two queries)."""
    from flask import url_for
    from flask_babel import gettext as _, ngettext

    from network.core.hooks import WaitingItem
    if not can(user, "topic.view"):
        return []
    ctx = waiting_decisions(user)
    out = []
    for claim in ctx["claims"]:
        topic, url = claim.topic.name, url_for("topics.detail", slug=claim.topic.slug)
        if claim.kind == "lead":
            text = _("%(city)s möchte die Federführung für „%(topic)s“ übernehmen.", city=claim.municipality.name,
                     topic=topic)
        elif claim.kind == "colead":
            text = _("%(city)s möchte bei „%(topic)s“ mitführen (Co-Federführung).", city=claim.municipality.name,
                     topic=topic)
        else:
            text = _("%(city)s bietet Ihrer Kommune die Federführung für „%(topic)s“ an.",
                     city=claim.from_municipality.name if claim.from_municipality else "–", topic=topic)
        out.append(WaitingItem(text, url, kind=f"topic.{claim.kind}"))
    if ctx["proposals"]:
        out.append(WaitingItem(ngettext("%(num)s Themenvorschlag wartet auf Ihre Entscheidung.",
                                        "%(num)s Themenvorschläge warten auf Ihre Entscheidung.", ctx["proposals"]),
                               url_for("topics.proposals"), kind="topic.proposal"))
    return out


def city_panel(user, city=None, **_kw):
    """The city page: the topics the city leads, co-leads and takes part in, and its open claims (members only)."""
    from network.topics.services import city_topics
    ctx = city_topics(user, city)
    if ctx is None or not ctx["networks"]:
        return None
    ctx["own"] = getattr(user, "municipality_id", None) == city.id
    ctx["level"] = 2
    return "topics/_city_topics.html", ctx


def own_city_panel(user, **_kw):
    """The dashboard of a city's lead or staff: the own city's topics, or the next step when there are none."""
    from network.topics.services import city_topics
    city = getattr(user, "municipality", None)
    if city is None:
        return None
    ctx = city_topics(user, city)
    if ctx is None:
        return None
    ctx["own"] = True
    ctx["level"] = 2
    ctx["dashboard"] = True
    return "topics/_city_topics.html", ctx


def init_app(app):
    from network.core.audit import register_object_links, register_sentences
    from network.core.current import legacy_redirects
    from network.topics import audit_log
    register_sentences(app, audit_log.SENTENCES, ("Topic", "LeadClaim", "Participation", "FieldOfAction"))
    register_object_links(app, "Topic", audit_log.topic_links)
    register_object_links(app, "LeadClaim", audit_log.claim_links)
    register_object_links(app, "Participation", audit_log.participation_links)
    register_object_links(app, "FieldOfAction", audit_log.field_links)
    from network.municipalities.signals import city_left
    # the addresses of the single-network era (/themen/…) answer 301/308 to the default network's
    legacy_redirects(app, "/themen", "topics_legacy")
    from network.topics.services import on_city_left
    register_waiting(app, waiting, order=10)
    register_panel(app, "dashboard", own_city_panel, order=12)
    register_panel(app, "municipality", city_panel, order=15)
    city_left.connect(on_city_left)  # blinker keeps one connection per receiver
