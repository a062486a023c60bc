"""Topics: fields of action, topics and proposals, lead claims with history, participation, the matrix."""

from collections import defaultdict

import sqlalchemy as sa
from flask import abort, current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden

from network.accounts.models import User
from network.core import audit
from network.core.models import utcnow
from network.core.outbox import queue_mail
from network.core.permissions import can, require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.municipalities.models import Municipality, make_slug
from network.topics.signals import topic_lead_changed
from network.topics.models import (OPEN_STATUSES, PARTICIPATION_STATUSES, FieldOfAction, LeadClaim, LeadEvent,
                                   Participation, Topic)

DECISIONS = ("confirm", "decline")
#: slugs that would collide with the fixed pages under /themen/
RESERVED_SLUGS = {"matrix", "neu", "vorschlaege", "vorschlagen", "handlungsfelder"}
MAX_TEXT = 2000


# --- reading ----------------------------------------------------------------------------

def fields_of_action():
    """All fields of action in their configured order."""
    return db.session.execute(
        sa.select(FieldOfAction).order_by(FieldOfAction.position, FieldOfAction.name)
    ).scalars().all()


def get_field_or_404(field_id) -> FieldOfAction:
    """One field of action or 404."""
    field = db.session.get(FieldOfAction, field_id)
    if field is None:
        abort(404)
    return field


def _may_see(user, topic: Topic) -> bool:
    if topic.status == "active":
        return can(user, "topic.view")
    # proposals and declined proposals: the coordination and the proposing city only
    if can(user, "topic.manage"):
        return True
    return (can(user, "topic.view") and topic.proposed_by_municipality_id is not None
            and topic.proposed_by_municipality_id == getattr(user, "municipality_id", None))


def get_topic_or_404(user, slug: str) -> Topic:
    """A topic the user may see, by slug; proposals of other cities answer 404."""
    topic = db.session.execute(sa.select(Topic).where(Topic.slug == slug)).scalar_one_or_none()
    if topic is None or not _may_see(user, topic):
        abort(404)
    return topic


def list_topics(user, field_slug: str | None = None):
    """Active topics (ordered by field of action) with their lead city: [(topic, lead_city|None)]."""
    require(user, "topic.view")
    stmt = (sa.select(Topic).join(Topic.field).where(Topic.status == "active")
            .order_by(FieldOfAction.position, FieldOfAction.name, Topic.name))
    if field_slug:
        stmt = stmt.where(FieldOfAction.slug == field_slug)
    topics = db.session.execute(stmt).scalars().all()
    leads = _confirmed_claims([t.id for t in topics], kinds=("lead",))
    lead_by_topic = {c.topic_id: c.municipality for c in leads}
    return [(t, lead_by_topic.get(t.id)) for t in topics]


def topic_summaries(user, field_slug: str | None = None, *, topics=None) -> list[dict]:
    """Topics with lead, co-leads and participants for the API, in three queries."""
    require(user, "topic.view")
    if topics is None:
        topics = [t for t, _lead in list_topics(user, field_slug)]
    ids = [t.id for t in topics]
    claims = _confirmed_claims(ids)
    parts = db.session.execute(
        sa.select(Participation).join(Municipality, Municipality.id == Participation.municipality_id)
        .where(Participation.topic_id.in_(ids), Municipality.status == "member").order_by(Municipality.name)
    ).scalars().all() if ids else []
    out = []
    for t in topics:
        mine = [c for c in claims if c.topic_id == t.id]
        out.append({
            "slug": t.slug, "name": t.name, "description": t.description, "status": t.status,
            "is_example": t.is_example, "field": t.field,
            "lead": next((c.municipality for c in mine if c.kind == "lead"), None),
            "coleads": sorted((c.municipality for c in mine if c.kind == "colead"), key=lambda m: m.name),
            "participants": [p for p in parts if p.topic_id == t.id],
        })
    return out


def proposals(user):
    """Topics proposed by cities and not yet decided (coordination), or the city's own proposals."""
    require(user, "topic.propose")
    stmt = sa.select(Topic).where(Topic.status.in_(("proposed", "declined"))).order_by(Topic.created_at.desc())
    if not can(user, "topic.manage"):
        stmt = stmt.where(Topic.proposed_by_municipality_id == user.municipality_id)
    return db.session.execute(stmt).scalars().all()


def _member_city_clause():
    return LeadClaim.municipality.has(Municipality.status == "member")


def _confirmed_claims(topic_ids, kinds=("lead", "colead")):
    if not topic_ids:
        return []
    return db.session.execute(
        sa.select(LeadClaim).join(Municipality, Municipality.id == LeadClaim.municipality_id)
        .where(LeadClaim.topic_id.in_(topic_ids), LeadClaim.kind.in_(kinds), LeadClaim.status == "confirmed",
               Municipality.status == "member")
    ).scalars().all()


def current_lead(topic: Topic) -> LeadClaim | None:
    """The open (pending or confirmed) lead claim of a member city, if any."""
    return db.session.execute(
        sa.select(LeadClaim).join(Municipality, Municipality.id == LeadClaim.municipality_id)
        .where(LeadClaim.topic_id == topic.id, LeadClaim.kind == "lead", LeadClaim.status.in_(OPEN_STATUSES),
               Municipality.status == "member")
    ).scalar_one_or_none()


def _own_open_claim(topic: Topic, city_id: int) -> LeadClaim | None:
    return db.session.execute(
        sa.select(LeadClaim).where(LeadClaim.topic_id == topic.id, LeadClaim.municipality_id == city_id,
                                   LeadClaim.kind.in_(("lead", "colead")), LeadClaim.status.in_(OPEN_STATUSES))
    ).scalar_one_or_none()


def topic_overview(topic: Topic) -> dict:
    """Everything the topic page shows: lead, co-leads, open requests, participants, history."""
    claims = db.session.execute(
        sa.select(LeadClaim).join(Municipality, Municipality.id == LeadClaim.municipality_id)
        .where(LeadClaim.topic_id == topic.id, LeadClaim.status.in_(OPEN_STATUSES), Municipality.status == "member")
        .options(sa.orm.selectinload(LeadClaim.requested_by), sa.orm.selectinload(LeadClaim.from_municipality))
        .order_by(LeadClaim.created_at, LeadClaim.id)
    ).scalars().all()
    participations = db.session.execute(
        sa.select(Participation).join(Municipality, Municipality.id == Participation.municipality_id)
        .where(Participation.topic_id == topic.id, Municipality.status == "member").order_by(Municipality.name)
    ).scalars().all()
    history = db.session.execute(
        sa.select(LeadEvent).where(LeadEvent.topic_id == topic.id).order_by(LeadEvent.created_at.desc(),
                                                                            LeadEvent.id.desc())
    ).scalars().all()
    lead = next((c for c in claims if c.kind == "lead" and c.status == "confirmed"), None)
    return {
        "lead": lead,
        "pending_lead": next((c for c in claims if c.kind == "lead" and c.status == "pending"), None),
        "coleads": [c for c in claims if c.kind == "colead" and c.status == "confirmed"],
        "pending_coleads": [c for c in claims if c.kind == "colead" and c.status == "pending"],
        "handover": next((c for c in claims if c.kind == "handover"), None),
        "participations": participations,
        "history": history,
    }


def matrix(user, field_slug: str | None = None) -> dict:
    """The division of labour: topics x member cities, a fixed number of queries however large."""
    require(user, "topic.view")
    fields = fields_of_action()
    stmt = (sa.select(Topic).join(Topic.field).where(Topic.status == "active")
            .order_by(FieldOfAction.position, FieldOfAction.name, Topic.name))
    selected = next((f for f in fields if f.slug == field_slug), None) if field_slug else None
    if selected is not None:
        stmt = stmt.where(Topic.field_id == selected.id)
    topics = db.session.execute(stmt).scalars().all()
    cities = db.session.execute(
        sa.select(Municipality).where(Municipality.status == "member").order_by(Municipality.name)
    ).scalars().all()
    member_ids = {c.id for c in cities}
    topic_ids = [t.id for t in topics]
    cells: dict[tuple[int, int], str] = {}
    if topic_ids:
        rows = db.session.execute(
            sa.select(Participation.topic_id, Participation.municipality_id, Participation.status)
            .where(Participation.topic_id.in_(topic_ids))
        ).all()
        for topic_id, city_id, status in rows:
            cells[(topic_id, city_id)] = status
        rows = db.session.execute(
            sa.select(LeadClaim.topic_id, LeadClaim.municipality_id, LeadClaim.kind)
            .where(LeadClaim.topic_id.in_(topic_ids), LeadClaim.kind.in_(("lead", "colead")),
                   LeadClaim.status == "confirmed")
        ).all()
        for topic_id, city_id, kind in rows:
            cells[(topic_id, city_id)] = kind  # a lead or co-lead outranks participation
    lead_counts = {c.id: 0 for c in cities}
    colead_counts = {c.id: 0 for c in cities}
    for (topic_id, city_id), role in cells.items():
        if city_id in member_ids and role == "lead":
            lead_counts[city_id] += 1
        elif city_id in member_ids and role == "colead":
            colead_counts[city_id] += 1
    groups = []
    for topic in topics:
        if not groups or groups[-1][0].id != topic.field_id:
            groups.append((topic.field, []))
        groups[-1][1].append(topic)
    without_lead = sum(1 for t in topics if not any(cells.get((t.id, c)) == "lead" for c in member_ids))
    return {"fields": fields, "selected": selected, "groups": groups, "topics": topics, "cities": cities,
            "cells": cells, "lead_counts": lead_counts, "colead_counts": colead_counts,
            "without_lead": without_lead}


def city_users(city_id: int):
    """Active accounts of a city (choices for a contact person)."""
    return db.session.execute(
        sa.select(User).where(User.municipality_id == city_id, User.active.is_(True)).order_by(User.name)
    ).scalars().all()


def member_cities_except(city_id):
    """Member cities other than `city_id` (choices for a handover)."""
    return db.session.execute(
        sa.select(Municipality).where(Municipality.status == "member", Municipality.id != city_id)
        .order_by(Municipality.name)
    ).scalars().all()


def pending_decisions(user) -> dict:
    """Counts for the dashboard: claims and proposals awaiting the user's decision."""
    out = {"claims": 0, "proposals": 0, "handovers": 0}
    if can(user, "topic.decide_claim"):
        out["claims"] = db.session.scalar(
            sa.select(sa.func.count(LeadClaim.id)).where(LeadClaim.kind.in_(("lead", "colead")),
                                                         LeadClaim.status == "pending"))
        out["proposals"] = db.session.scalar(sa.select(sa.func.count(Topic.id)).where(Topic.status == "proposed"))
    if getattr(user, "municipality_id", None) and can(user, "topic.claim"):
        out["handovers"] = db.session.scalar(
            sa.select(sa.func.count(LeadClaim.id)).where(LeadClaim.kind == "handover", LeadClaim.status == "pending",
                                                         LeadClaim.municipality_id == user.municipality_id))
    return out


# --- helpers ----------------------------------------------------------------------------

def _acting_city(actor) -> Municipality:
    """The city a lead acts for; a coordinator without a city cannot claim or join."""
    city = getattr(actor, "municipality", None)
    if city is None or city.status != "member":
        raise ValidationFailed({"city": _("Sie handeln für keine Mitgliedskommune; Federführung und Teilnahme "
                                          "sind nur für die eigene Kommune möglich.")}, status=403)
    return city


def _event(topic, action, *, actor=None, claim=None, city_id=None, reason=""):
    ev = LeadEvent(topic_id=topic.id, claim_id=getattr(claim, "id", None),
                   municipality_id=city_id if city_id is not None else getattr(claim, "municipality_id", None),
                   action=action, actor_id=getattr(actor, "id", None), reason=reason or "")
    db.session.add(ev)
    return ev


def _link(topic):
    if not has_request_context():
        return ""
    return url_for("topics.detail", slug=topic.slug, _external=True)


def _coordinators():
    return db.session.execute(
        sa.select(User).where(User.is_coordinator.is_(True), User.active.is_(True))
    ).scalars().all()


def _city_leads(city_id):
    return db.session.execute(
        sa.select(User).where(User.municipality_id == city_id, User.role == "lead", User.active.is_(True))
    ).scalars().all()


def _participant_contacts(topic):
    """One address per participating member city: its contact person, else its leads."""
    parts = db.session.execute(
        sa.select(Participation).join(Municipality, Municipality.id == Participation.municipality_id)
        .where(Participation.topic_id == topic.id, Municipality.status == "member")
    ).scalars().all()
    people = []
    for p in parts:
        if p.contact is not None and p.contact.active:
            people.append(p.contact)
        else:
            people.extend(_city_leads(p.municipality_id))
    return people


def _notify(users, notice, subject, topic, *, actor=None, city=None, reason="", exclude=None):
    """Queue one email per distinct address through the outbox."""
    seen = set()
    for user in users:
        if user.email in seen or (exclude is not None and user.id == exclude.id):
            continue
        seen.add(user.email)
        queue_mail(user.email, "topic_notice", subject=subject, locale=user.language,
                   municipality_id=getattr(city, "id", None), person=user, notice=notice, topic=topic,
                   actor=actor, city=city, reason=reason, link=_link(topic))


def _lead_changed(topic, actor, city):
    """Tell followers of the topic (interest domain) that its lead changed; inside the change's transaction."""
    title = (_("%(topic)s: Federführung bei %(city)s", topic=topic.name, city=city.name) if city is not None else
             _("%(topic)s: ohne Federführung", topic=topic.name))
    try:
        path = url_for("topics.detail", slug=topic.slug)
    except RuntimeError:  # no request and no SERVER_NAME (CLI)
        path = f"/themen/{topic.slug}"
    topic_lead_changed.send(topic=topic, municipality=city, targets=[("topic", topic.id)], title=title, url=path,
                            audience="network", actor_id=getattr(actor, "id", None))


def _decision_and_reason(c: Checker, decision, reason, *, reason_required_for="decline"):
    decision = c.choice("decision", decision, DECISIONS, label=_("die Entscheidung"))
    reason = c.text("reason", reason, label=_("eine Begründung"), required=False, max_len=MAX_TEXT)
    if decision == reason_required_for and not reason and "reason" not in c.errors:
        c.add("reason", _("Bitte begründen Sie die Ablehnung."))
    return decision, reason


def _flush_or_conflict(message: str) -> None:
    """Flush; a unique index that refuses the row becomes a 409 with a German message."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ValidationFailed({"claim": message}, status=409)


# --- fields of action -------------------------------------------------------------------

def _check_field(c: Checker, data: dict, current: FieldOfAction | None = None) -> dict:
    out = {
        "name": c.text("name", data.get("name"), label=_("den Namen"), max_len=120),
        "description": c.text("description", data.get("description"), label=_("Die Beschreibung"),
                              required=False, max_len=MAX_TEXT),
    }
    try:
        out["position"] = int(data.get("position") or 0)
        if not 0 <= out["position"] <= 999:
            raise ValueError
    except (TypeError, ValueError):
        c.add("position", _("Bitte geben Sie die Reihenfolge als ganze Zahl von 0 bis 999 an."))
    if "name" not in c.errors:
        slug = make_slug(out["name"])
        if not slug:
            c.add("name", _("Der Name muss Buchstaben enthalten."))
        clash = db.session.scalar(sa.select(FieldOfAction.id).where(
            sa.or_(FieldOfAction.slug == slug, sa.func.lower(FieldOfAction.name) == out["name"].lower())))
        if clash and (current is None or clash != current.id):
            c.add("name", _("Ein Handlungsfeld mit diesem Namen gibt es bereits."))
        out["slug"] = slug
    return out


def create_field(actor, data: dict) -> FieldOfAction:
    """Coordinator: add a field of action."""
    require(actor, "topic.manage")
    c = Checker()
    values = _check_field(c, data)
    c.done()
    field = FieldOfAction(**values)
    db.session.add(field)
    db.session.flush()
    audit.record(actor, "field_of_action.created", obj=field, summary=f"Handlungsfeld {field.name} angelegt")
    db.session.flush()
    return field


def update_field(actor, field: FieldOfAction, data: dict) -> FieldOfAction:
    """Coordinator: rename or reorder a field of action (the slug stays stable)."""
    require(actor, "topic.manage")
    c = Checker()
    values = _check_field(c, data, current=field)
    c.done()
    values.pop("slug", None)
    for key, value in values.items():
        setattr(field, key, value)
    audit.record(actor, "field_of_action.updated", obj=field, summary=f"Handlungsfeld {field.name} geändert")
    db.session.flush()
    return field


# --- topics and proposals ---------------------------------------------------------------

def _check_topic(c: Checker, data: dict, current: Topic | None = None) -> dict:
    out = {
        "name": c.text("name", data.get("name"), label=_("den Namen"), max_len=160),
        "description": c.text("description", data.get("description"), label=_("Die Beschreibung"),
                              required=False, max_len=5000),
    }
    field = None
    try:
        field = db.session.get(FieldOfAction, int(data.get("field_id")))
    except (TypeError, ValueError):
        pass
    if field is None:
        c.add("field_id", _("Bitte wählen Sie ein Handlungsfeld."))
    else:
        out["field_id"] = field.id
    if "name" not in c.errors:
        slug = make_slug(out["name"])
        if not slug:
            c.add("name", _("Der Name muss Buchstaben enthalten."))
        elif slug in RESERVED_SLUGS:
            c.add("name", _("Dieser Name ist für eine Seite des Städtenetzes reserviert; bitte wählen Sie einen "
                            "anderen."))
        clash = db.session.scalar(sa.select(Topic.id).where(
            sa.or_(Topic.slug == slug, sa.func.lower(Topic.name) == out["name"].lower())))
        if clash and (current is None or clash != current.id):
            c.add("name", _("Ein Thema mit diesem Namen gibt es bereits (auch abgelehnte Vorschläge zählen)."))
        out["slug"] = slug
    return out


def create_topic(actor, data: dict) -> Topic:
    """Coordinator: add an active topic."""
    require(actor, "topic.manage")
    c = Checker()
    values = _check_topic(c, data)
    c.done()
    topic = Topic(status="active", **values)
    db.session.add(topic)
    db.session.flush()
    audit.record(actor, "topic.created", obj=topic, summary=f"Thema {topic.name} angelegt")
    db.session.flush()
    return topic


def update_topic(actor, topic: Topic, data: dict, *, version) -> Topic:
    """Coordinator: edit name, description, field; a stale version answers 409."""
    require(actor, "topic.manage")
    if str(version) != str(topic.version):
        raise ValidationFailed({"version": _("Das Thema wurde inzwischen von jemand anderem geändert. Bitte "
                                             "prüfen Sie die aktuelle Fassung; Ihre Eingaben stehen noch im "
                                             "Formular.")}, status=409)
    c = Checker()
    values = _check_topic(c, data, current=topic)
    c.done()
    values.pop("slug", None)
    for key, value in values.items():
        setattr(topic, key, value)
    audit.record(actor, "topic.updated", obj=topic, summary=f"Thema {topic.name} geändert")
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ValidationFailed({"version": _("Das Thema wurde inzwischen von jemand anderem geändert.")}, status=409)
    return topic


def propose_topic(actor, data: dict) -> Topic:
    """A city lead proposes a topic; the coordination accepts or declines it."""
    require(actor, "topic.propose")
    city = _acting_city(actor)
    c = Checker()
    values = _check_topic(c, data)
    reason = c.text("reason", data.get("reason"), label=_("eine Begründung"), required=False, max_len=MAX_TEXT)
    c.done()
    topic = Topic(status="proposed", proposed_by_municipality_id=city.id, proposed_by_id=actor.id,
                  proposal_reason=reason, **values)
    db.session.add(topic)
    db.session.flush()
    audit.record(actor, "topic.proposed", obj=topic, municipality_id=city.id,
                 summary=f"{city.name} schlägt das Thema {topic.name} vor")
    _notify(_coordinators(), "proposal", _("Neuer Themenvorschlag: %(topic)s", topic=topic.name), topic,
            actor=actor, city=city, reason=reason)
    db.session.flush()
    return topic


def decide_proposal(actor, topic: Topic, decision, reason) -> Topic:
    """Coordinator: accept (the topic becomes active) or decline (with a reason) a proposal."""
    require(actor, "topic.manage")
    c = Checker()
    decision, reason = _decision_and_reason(c, decision, reason)
    c.done()
    if topic.status != "proposed":
        raise ValidationFailed({"decision": _("Über diesen Vorschlag wurde bereits entschieden.")}, status=409)
    topic.status = "active" if decision == "confirm" else "declined"
    topic.decision_reason = reason
    audit.record(actor, f"topic.proposal_{'accepted' if decision == 'confirm' else 'declined'}", obj=topic,
                 municipality_id=topic.proposed_by_municipality_id,
                 summary=f"Themenvorschlag {topic.name} {'angenommen' if decision == 'confirm' else 'abgelehnt'}")
    if topic.proposed_by is not None and topic.proposed_by.active:
        _notify([topic.proposed_by], "proposal_" + decision, _("Ihr Themenvorschlag: %(topic)s", topic=topic.name),
                topic, actor=actor, city=topic.proposed_by_municipality, reason=reason)
    db.session.flush()
    return topic


# --- lead claims ------------------------------------------------------------------------

def claim_lead(actor, topic: Topic, note: str = "") -> LeadClaim:
    """Claim the lead for the actor's city; on a topic with a lead this becomes a co-lead request."""
    require(actor, "topic.claim")
    city = _acting_city(actor)
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
    auto = kind == "lead" and current_app.config.get("TOPICS_AUTO_CONFIRM_CLAIMS")
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
        _notify(_coordinators(), "claim", _("Federführung beantragt: %(topic)s", topic=topic.name), topic,
                actor=actor, city=city, reason=note)
    else:
        _notify(_city_leads(lead.municipality_id) + _coordinators(), "colead",
                _("Co-Federführung beantragt: %(topic)s", topic=topic.name), topic, actor=actor, city=city,
                reason=note)
    db.session.flush()
    return claim


def get_claim_or_404(topic: Topic, claim_id, *, kinds=("lead", "colead")) -> LeadClaim:
    """A claim of this topic (of a member city) or 404."""
    claim = db.session.get(LeadClaim, claim_id) if str(claim_id).isdigit() else None
    if claim is None or claim.topic_id != topic.id or claim.kind not in kinds or claim.municipality.status != "member":
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
    c = Checker()
    decision, reason = _decision_and_reason(c, decision, reason)
    c.done()
    if claim.status != "pending":
        raise ValidationFailed({"decision": _("Über diesen Antrag wurde bereits entschieden.")}, status=409)
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
    city = _acting_city(actor)
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


def hand_over_lead(actor, topic: Topic, target_city_id, reason: str = "") -> LeadClaim:
    """The lead city offers the lead to another member city, which must accept."""
    require(actor, "topic.claim")
    city = _acting_city(actor)
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
    if target is None or target.status != "member":
        c.add("target", _("Bitte wählen Sie eine Mitgliedskommune, die die Federführung übernehmen soll."))
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
    city = _acting_city(actor)
    if offer.topic_id != topic.id or offer.kind != "handover" or offer.municipality_id != city.id:
        abort(404)
    c = Checker()
    decision, reason = _decision_and_reason(c, decision, reason)
    c.done()
    if offer.status != "pending":
        raise ValidationFailed({"decision": _("Über dieses Übergabeangebot wurde bereits entschieden.")}, status=409)
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


# --- participation ----------------------------------------------------------------------

def own_participation(topic: Topic, city_id) -> Participation | None:
    """The city's participation in the topic, if any."""
    if not city_id:
        return None
    return db.session.execute(
        sa.select(Participation).where(Participation.topic_id == topic.id, Participation.municipality_id == city_id)
    ).scalar_one_or_none()


def join_topic(actor, topic: Topic, status, contact_id=None) -> Participation:
    """The city joins the project group (or changes its status or contact person)."""
    require(actor, "topic.participate")
    city = _acting_city(actor)
    c = Checker()
    status = c.choice("status", status, PARTICIPATION_STATUSES, label=_("die Art der Beteiligung"))
    contact = None
    if contact_id not in (None, ""):
        try:
            contact = db.session.get(User, int(contact_id))
        except (TypeError, ValueError):
            contact = None
        if contact is None or contact.municipality_id != city.id or not contact.active:
            c.add("contact_id", _("Bitte wählen Sie als Ansprechperson ein aktives Konto Ihrer Kommune."))
    c.done()
    if topic.status != "active":
        raise ValidationFailed({"status": _("Einem Themenvorschlag kann man noch nicht beitreten.")}, status=409)
    part = own_participation(topic, city.id)
    created = part is None
    if created:
        part = Participation(topic_id=topic.id, municipality_id=city.id)
        db.session.add(part)
    part.status = status
    part.contact_id = contact.id if contact else None
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ValidationFailed({"status": _("Ihre Kommune ist diesem Thema gerade schon beigetreten. Bitte laden "
                                            "Sie die Seite neu.")}, status=409)
    audit.record(actor, "topic.joined" if created else "topic.participation_changed", obj=part,
                 summary=f"{city.name} bei {topic.name}: {part.status_label}", topic=topic.slug)
    db.session.flush()
    return part


def leave_topic(actor, topic: Topic) -> None:
    """The city leaves the project group."""
    require(actor, "topic.participate")
    city = _acting_city(actor)
    part = own_participation(topic, city.id)
    if part is None:
        raise ValidationFailed({"status": _("Ihre Kommune nimmt an diesem Thema nicht teil.")}, status=404)
    audit.record(actor, "topic.left", obj=part, summary=f"{city.name} verlässt {topic.name}", topic=topic.slug)
    db.session.delete(part)
    db.session.flush()


# --- a city leaves the network ----------------------------------------------------------

def release_city(session, city: Municipality) -> int:
    """End every open claim of a city that left the network; its topics show as without lead."""
    reason = "Die Kommune ist aus dem Netzwerk ausgetreten."
    with session.no_autoflush:
        claims = session.execute(
            sa.select(LeadClaim).where(
                sa.or_(LeadClaim.municipality_id == city.id,
                       sa.and_(LeadClaim.from_municipality_id == city.id, LeadClaim.kind == "handover")),
                LeadClaim.status.in_(OPEN_STATUSES))
        ).scalars().all()
        for claim in claims:
            if claim.kind == "lead" and claim.status == "confirmed":
                session.add(LeadEvent(topic_id=claim.topic_id, claim_id=claim.id, municipality_id=city.id,
                                      action="lost_on_leave", reason=reason))
            claim.status = "ended"
            claim.decided_at = utcnow()
            claim.reason = reason
    return len(claims)


def on_city_left(sender, *, municipality, actor, reason) -> None:
    """Receiver of municipalities.signals.city_left (connected in topics/setup.py): the city's claims end."""
    release_city(db.session, municipality)

