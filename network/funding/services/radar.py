"""Calls, reading: the radar with its filters, interest marks and the own city's applications per call."""

from collections import defaultdict
from datetime import date, datetime

import sqlalchemy as sa
from flask import abort

from network.core.permissions import require
from network.extensions import db
from network.funding.models import (FUNDERS, Application, ApplicationMember, FundingCall, FundingDeadline,
                                    FundingInterest, berlin_today, call_field, call_topic)
from network.funding.services._common import PAGE_SIZE, SEEING
from network.municipalities.models import Municipality
from network.topics.models import FieldOfAction, Topic

def _network_id():
    """Funding calls are the installation's (a call of the Land is open to every network); the fields of action
    and topics they are tagged with, offered and filtered by, are those of the network the user works in."""
    from network.networks.services import request_network
    return request_network().id


def fields_of_action():
    return db.session.execute(sa.select(FieldOfAction).where(FieldOfAction.network_id == _network_id())
                              .order_by(FieldOfAction.position, FieldOfAction.name)).scalars().all()


def active_topics():
    return db.session.execute(sa.select(Topic).where(Topic.status == "active", Topic.network_id == _network_id())
                              .order_by(Topic.name)).scalars().all()


def filter_choices() -> tuple[list, list]:
    """fields_of_action() and active_topics() in one statement (the radar's filters): every field of action of the
    network with its active topics (a topic's field is of the same network)."""
    network_id = _network_id()
    rows = db.session.execute(
        sa.select(FieldOfAction, Topic).outerjoin(Topic, sa.and_(Topic.field_id == FieldOfAction.id,
                                                                Topic.status == "active", Topic.network_id == network_id))
        .where(FieldOfAction.network_id == network_id)).all()
    fields = sorted({f.id: f for f, _t in rows}.values(), key=lambda f: (f.position, f.name))
    topics = sorted({t.id: t for _f, t in rows if t is not None}.values(), key=lambda t: t.name)
    return fields, topics


def get_call_or_404(user, call_id) -> FundingCall:
    """A funding call (network data: every member may see it)."""
    require(user, "funding.view")
    call = db.session.get(FundingCall, call_id)
    if call is None:
        abort(404)
    return call


def _deadlines(today: date):
    """Per call with deadlines: the next one from today (None when all are past) and the last one. One GROUP BY over
    the deadlines, joined to the calls: a correlated look-up per call cost 10 of 12 ms at 5,000 calls."""
    return (sa.select(FundingDeadline.call_id.label("call_id"),
                      sa.func.min(sa.case((FundingDeadline.due_on >= today, FundingDeadline.due_on))).label("next_due"),
                      sa.func.max(FundingDeadline.due_on).label("last_due"))
            .group_by(FundingDeadline.call_id).subquery("deadlines"))


def _resolve(model, value):
    """A field of action or topic by slug or id (query arguments of the radar and the API)."""
    if value in (None, ""):
        return None
    value = str(value).strip()[:80]
    cond = model.slug == value
    if value.isdigit():
        cond = sa.or_(cond, model.id == int(value))
    return db.session.execute(sa.select(model).where(cond, model.network_id == _network_id())).scalars().first()


def _not_closed(today: date, only=()):
    """The calls that are not closed, with their next deadline (NULL: a call without any deadline, which runs until
    it is taken down). Driven by the deadlines from today on (an index range) and the calls without deadlines, not
    by a GROUP BY over every deadline of every call: 2 instead of 12 ms on SQLite at 5,000 calls (issue #17).
    `only`: selects of call ids (the field's, the topic's calls) that both parts are narrowed to."""
    ahead = (sa.select(FundingDeadline.call_id.label("call_id"), sa.func.min(FundingDeadline.due_on).label("next_due"))
             .where(FundingDeadline.due_on >= today).group_by(FundingDeadline.call_id))
    undated = sa.select(FundingCall.id, sa.cast(sa.null(), sa.Date)).where(
        ~sa.exists().where(FundingDeadline.call_id == FundingCall.id))
    for ids in only:
        ahead = ahead.where(FundingDeadline.call_id.in_(ids))
        undated = undated.where(FundingCall.id.in_(ids))
    return sa.union_all(ahead, undated).subquery("not_closed")


def calls_query(*, status: str | None = None, funder: str | None = None, field=None, topic=None,
                now: datetime | None = None):
    """select() of calls filtered by status (open, announced, closed, current = open or announced, all),
    funder, field of action and topic, ordered by the nearest deadline (calls without one last)."""
    today = berlin_today(now)
    announced = sa.and_(FundingCall.opens_on.is_not(None), FundingCall.opens_on > today)
    only = []
    if field is not None:
        only.append(sa.select(call_field.c.call_id).where(call_field.c.field_id == field.id))
    if topic is not None:
        only.append(sa.select(call_topic.c.call_id).where(call_topic.c.topic_id == topic.id))
    if status in (None, "", "current", "open", "announced"):
        # a field's or topic's few calls are where the deadlines are looked up (the topic page's panel)
        current = _not_closed(today, only)
        next_due = current.c.next_due
        stmt = sa.select(FundingCall).join(current, current.c.call_id == FundingCall.id)
        if status == "open":
            stmt = stmt.where(~announced)
        elif status == "announced":
            stmt = stmt.where(announced)
    else:
        deadlines = _deadlines(today)
        next_due = deadlines.c.next_due
        stmt = sa.select(FundingCall).outerjoin(deadlines, deadlines.c.call_id == FundingCall.id)
        if status == "closed":  # every deadline past (a call without deadlines is never closed)
            stmt = stmt.where(next_due.is_(None), deadlines.c.call_id.is_not(None))
        for ids in only:
            stmt = stmt.where(FundingCall.id.in_(ids))
    if funder:
        stmt = stmt.where(FundingCall.funder == funder)
    if status == "closed":
        return stmt.order_by(deadlines.c.last_due.desc(), FundingCall.title, FundingCall.id)
    return stmt.order_by(sa.case((next_due.is_(None), 1), else_=0), next_due, FundingCall.title, FundingCall.id)


STATUS_FILTERS = ("current", "open", "announced", "closed", "all")


def radar(user, *, status="current", funder=None, field=None, topic=None, page: int = 1,
          now: datetime | None = None, per_page: int = PAGE_SIZE) -> dict:
    """One page of the radar with who is interested and the own city's applications, in fixed queries."""
    require(user, "funding.view")
    status = status if status in STATUS_FILTERS else "current"
    funder = funder if funder in FUNDERS else None
    field_obj = _resolve(FieldOfAction, field)
    topic_obj = _resolve(Topic, topic)
    stmt = calls_query(status=status, funder=funder, field=field_obj, topic=topic_obj, now=now)
    page = max(1, min(int(page or 1), 10_000))
    # the deadlines joined (a handful per call): one statement less than their selectin
    calls = db.session.execute(stmt.options(sa.orm.joinedload(FundingCall.deadlines))
                               .offset((page - 1) * per_page).limit(per_page + 1)).unique().scalars().all()
    has_next = len(calls) > per_page
    calls = calls[:per_page]
    interests = interests_by_call([c.id for c in calls])
    own = own_applications_by_call(user, [c.id for c in calls])
    return {"calls": calls, "interests": interests, "own_applications": own, "has_next": has_next, "page": page,
            "status": status, "funder": funder, "field": field_obj, "topic": topic_obj}


def interests_by_call(call_ids) -> dict[int, list[FundingInterest]]:
    """Interest marks of member cities per call (one query)."""
    out = defaultdict(list)
    if not call_ids:
        return out
    rows = db.session.execute(
        sa.select(FundingInterest).join(Municipality, Municipality.id == FundingInterest.municipality_id)
        .where(FundingInterest.call_id.in_(call_ids), Municipality.status == "member").order_by(Municipality.name)
    ).scalars().all()
    for row in rows:
        out[row.call_id].append(row)
    return out


def own_applications_by_call(user, call_ids) -> dict[int, list[Application]]:
    """Applications on these calls that the user's city takes part in (one query)."""
    out = defaultdict(list)
    city_id = getattr(user, "municipality_id", None)
    if not call_ids or city_id is None:
        return out
    # the calls are on the page already: not joined again (that re-ran their selectin loads)
    rows = db.session.execute(
        sa.select(Application).join(ApplicationMember, ApplicationMember.application_id == Application.id)
        .where(Application.call_id.in_(call_ids), ApplicationMember.municipality_id == city_id,
               ApplicationMember.status.in_(SEEING)).order_by(Application.id)
        .options(sa.orm.lazyload(Application.call))
    ).scalars().unique().all()
    for row in rows:
        out[row.call_id].append(row)
    return out


def matching_projects(user, call: FundingCall) -> list[dict]:
    """"Passt zu Ihren Vorhaben": the inventory's matching projects of the viewer's own city (when there)."""
    from network.inventory.services import matching_projects as inventory_matches
    city_id = getattr(user, "municipality_id", None)
    if city_id is None or not (call.fields or call.topics):
        return []
    return list(inventory_matches(user, city_id, [f.id for f in call.fields], [t.id for t in call.topics]) or [])


def own_interest(user, call) -> FundingInterest | None:
    city_id = getattr(user, "municipality_id", None)
    if city_id is None:
        return None
    return db.session.execute(sa.select(FundingInterest).where(
        FundingInterest.call_id == call.id, FundingInterest.municipality_id == city_id)).scalar_one_or_none()
