"""A city leaves the network: its open and confirmed claims end (receiver of municipalities' city_left)."""

import sqlalchemy as sa

from network.core.models import utcnow
from network.extensions import db
from network.municipalities.models import Municipality
from network.topics.models import OPEN_STATUSES, LeadClaim, LeadEvent, Topic


def release_city(session, city: Municipality, network=None) -> int:
    """End every open claim of a city that left a network (None: every network); its topics there show as
    without lead. Its claims in the networks it stays in are kept."""
    reason = "Die Kommune ist aus dem Netzwerk ausgetreten."
    with session.no_autoflush:
        claims = session.execute(
            sa.select(LeadClaim).where(
                sa.or_(LeadClaim.municipality_id == city.id,
                       sa.and_(LeadClaim.from_municipality_id == city.id, LeadClaim.kind == "handover")),
                LeadClaim.status.in_(OPEN_STATUSES),
                # an accepted handover is history, not an open claim
                sa.or_(LeadClaim.kind != "handover", LeadClaim.status == "pending"),
                *([LeadClaim.topic_id.in_(sa.select(Topic.id).where(Topic.network_id == network.id))]
                  if network is not None else []))
        ).scalars().all()
        for claim in claims:
            if claim.kind == "lead" and claim.status == "confirmed":
                session.add(LeadEvent(topic_id=claim.topic_id, claim_id=claim.id, municipality_id=city.id,
                                      action="lost_on_leave", reason=reason))
            claim.status = "ended"
            claim.decided_at = utcnow()
            claim.reason = reason
    return len(claims)


def on_city_left(sender, *, municipality, network, actor, reason) -> None:
    """Receiver of municipalities.signals.city_left (connected in topics/setup.py): the city's claims in the
    network it left end."""
    release_city(db.session, municipality, network)
