"""What other pages show: deadlines for the dashboard, calendar and digest; open calls on a topic."""

from datetime import date, datetime

import sqlalchemy as sa

from network.extensions import db
from network.funding.models import (Application, ApplicationMember, FundingCall, FundingDeadline, FundingInterest,
                                    berlin_today)
from network.funding.services._common import ACTIVE_APPLICATION
from network.funding.services.radar import calls_query

def relevant_call_ids_stmt(city_id):
    """Calls the city is interested in or applies to (lead or accepted partner of an active application)."""
    interest = sa.select(FundingInterest.call_id).where(FundingInterest.municipality_id == city_id)
    applying = (sa.select(Application.call_id)
                .join(ApplicationMember, ApplicationMember.application_id == Application.id)
                .where(ApplicationMember.municipality_id == city_id, ApplicationMember.status == "accepted",
                       Application.status.in_(ACTIVE_APPLICATION + ("submitted",))))
    return sa.union(interest, applying)


def upcoming_deadlines(city_id, *, until: date | None = None, limit: int | None = None,
                       now: datetime | None = None) -> list[FundingDeadline]:
    """Deadlines from today on of the calls relevant to the city."""
    today = berlin_today(now)
    stmt = (sa.select(FundingDeadline).where(FundingDeadline.call_id.in_(relevant_call_ids_stmt(city_id)),
                                             FundingDeadline.due_on >= today)
            # the call joined for its title; its fields and topics are shown by none of the lists
            .options(sa.orm.joinedload(FundingDeadline.call).lazyload(FundingCall.fields),
                     sa.orm.joinedload(FundingDeadline.call).lazyload(FundingCall.topics))
            .order_by(FundingDeadline.due_on, FundingDeadline.id))
    if until is not None:
        stmt = stmt.where(FundingDeadline.due_on <= until)
    if limit:
        stmt = stmt.limit(limit)
    return db.session.execute(stmt).scalars().all()


def open_calls_on_topic(topic, limit=5, now: datetime | None = None) -> list[FundingCall]:
    """The topic page's panel: current calls on the topic with their deadlines joined (one statement; the panel
    shows neither their fields nor their topics)."""
    return db.session.execute(calls_query(status="current", topic=topic, now=now).limit(limit).options(
        sa.orm.joinedload(FundingCall.deadlines), sa.orm.lazyload(FundingCall.fields),
        sa.orm.lazyload(FundingCall.topics))).unique().scalars().all()
