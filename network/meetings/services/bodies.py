"""Bodies (Gremien): create and change them with their members; suggested number, title and host."""

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden

from network.accounts.models import User
from network.core import audit
from network.core.permissions import require
from network.core.validation import Checker
from network.extensions import db
from network.meetings.models import BODY_KINDS, Body, BodyCity, BodyPerson, Meeting
from network.meetings.services._common import (MAX_TEXT, _is_coordinator, _valid_id, check_stale, flush_or_conflict,
                                               this_network)
from network.meetings.services.membership import people_clause, topic_lead_city_id
from network.municipalities.models import Municipality
from network.networks.services import active_member_clause
from network.topics.models import Topic


def _int_ids(values) -> list[int]:
    """Whole-number ids from a list; anything out of range becomes -1 (which matches no row)."""
    out = []
    for v in values or []:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return sorted({v for v in out if _valid_id(v)} | {-1 for v in out if not _valid_id(v)})


def _check_body(c: Checker, network, data: dict, current: Body | None = None) -> dict:
    """Checked fields of a body of ``network`` (messages collect in ``c``; raises at the end): its topic, cities
    and persons must be the network's."""
    kind = c.choice("kind", data.get("kind"), BODY_KINDS, label=_("die Art des Gremiums"))
    name = c.text("name", data.get("name"), label=_("einen Namen"), max_len=160)
    description = c.text("description", data.get("description"), label=_("eine Beschreibung"), required=False,
                         max_len=MAX_TEXT)
    topic_id = None
    raw_topic = data.get("topic_id")
    if kind == "projektgruppe":
        try:
            topic_id = int(raw_topic)
        except (TypeError, ValueError):
            c.add("topic_id", _("Eine Projektgruppe gehört zu einem Thema. Bitte wählen Sie eines."))
        else:
            topic = db.session.get(Topic, topic_id) if _valid_id(topic_id) else None
            if topic is None or topic.network_id != network.id:
                c.add("topic_id", _("Dieses Thema gibt es nicht."))
    if name and "name" not in c.errors:
        clash = db.session.execute(sa.select(Body.id).where(Body.network_id == network.id,
                                                            sa.func.lower(Body.name) == name.lower())).scalar()
        if clash is not None and (current is None or clash != current.id):
            c.add("name", _("Ein Gremium mit diesem Namen gibt es schon."))
    city_ids = _int_ids(data.get("city_ids"))
    known = set(db.session.execute(sa.select(Municipality.id).where(
        Municipality.id.in_(city_ids), active_member_clause(network.id, Municipality.id))).scalars()) \
        if city_ids else set()
    if set(city_ids) - known:
        c.add("city_ids", _("Bitte wählen Sie nur Kommunen aus der Liste."))
    person_ids = _int_ids(data.get("person_ids"))
    known_p = set(db.session.execute(sa.select(User.id).where(User.id.in_(person_ids),
                                                              people_clause(network))).scalars()) \
        if person_ids else set()
    if set(person_ids) - known_p:
        c.add("person_ids", _("Bitte wählen Sie nur Personen aus der Liste."))
    c.done()
    return {"kind": kind, "name": name, "description": description, "topic_id": topic_id,
            "city_ids": city_ids, "person_ids": person_ids}


def _sync(model, column, body: Body, wanted) -> None:
    """Make the body's rows of ``model`` (member cities or persons) exactly ``wanted`` (ids in ``column``)."""
    have = {getattr(row, column): row for row in db.session.execute(
        sa.select(model).where(model.body_id == body.id)).scalars()}
    for key, row in have.items():
        if key not in wanted:
            db.session.delete(row)
    for key in wanted:
        if key not in have:
            db.session.add(model(body_id=body.id, **{column: key}))


def _set_members(body: Body, city_ids, person_ids) -> None:
    """The body's member cities and persons become exactly the given ids."""
    _sync(BodyCity, "municipality_id", body, city_ids)
    _sync(BodyPerson, "user_id", body, person_ids)


def create_body(actor, data: dict) -> Body:
    """Coordinator: a new body of this request's network with its member cities and persons."""
    require(actor, "body.manage")
    network = this_network()
    c = Checker()
    v = _check_body(c, network, data)
    lead_city = topic_lead_city_id(v["topic_id"]) if v["kind"] == "projektgruppe" else None
    if lead_city is not None and lead_city not in v["city_ids"] and db.session.scalar(
            sa.select(active_member_clause(network.id, sa.literal(lead_city)))):
        v["city_ids"].append(lead_city)  # the topic's lead city belongs to its project group by default
    body = Body(network_id=network.id, kind=v["kind"], name=v["name"], description=v["description"],
                topic_id=v["topic_id"])
    db.session.add(body)
    db.session.flush()
    _set_members(body, v["city_ids"], v["person_ids"])
    audit.record(actor, "body.created", obj=body, summary=f"Gremium {body.name} angelegt")
    db.session.flush()
    return body


def add_lead_city(topic: Topic, city: Municipality) -> list[Body]:
    """The topic's new lead city becomes a member city of the topic's project groups (those it is not in yet);
    called when the lead changes (topics' topic_lead_changed). Returns the bodies it joined."""
    bodies = db.session.execute(
        sa.select(Body).where(Body.kind == "projektgruppe", Body.topic_id == topic.id,
                              Body.network_id == topic.network_id,
                              ~sa.exists().where(BodyCity.body_id == Body.id, BodyCity.municipality_id == city.id))
        .order_by(Body.id)).scalars().all()
    for body in bodies:
        db.session.add(BodyCity(body_id=body.id, municipality_id=city.id))
        audit.record(None, "body.lead_city_added", obj=body, municipality_id=city.id,
                     summary=f"{city.name} ist als federführende Kommune Mitglied von {body.name}")
    if bodies:
        db.session.flush()
    return bodies


def update_body(actor, body: Body, data: dict, *, version=None) -> Body:
    """Coordinator: change a body and its members (version check against concurrent edits)."""
    require(actor, "body.manage")
    if not _is_coordinator(actor, body.network):
        raise Forbidden()
    check_stale(body, version)
    c = Checker()
    v = _check_body(c, body.network, data, body)
    body.kind, body.name, body.description, body.topic_id = v["kind"], v["name"], v["description"], v["topic_id"]
    _set_members(body, v["city_ids"], v["person_ids"])
    audit.record(actor, "body.updated", obj=body, summary=f"Gremium {body.name} geändert")
    flush_or_conflict()
    return body


def last_hosts(body_id, limit: int = 5) -> list[Meeting]:
    """The body's most recent hosted meetings (not cancelled)."""
    return db.session.execute(
        sa.select(Meeting).where(Meeting.body_id == body_id, Meeting.host_municipality_id.is_not(None),
                                 Meeting.status != "cancelled", Meeting.starts_at.is_not(None))
        .order_by(Meeting.starts_at.desc()).limit(limit)).scalars().all()


def suggestions(body: Body, history: list[Meeting] | None = None) -> dict:
    """Next sequence number, suggested title and host (the member city that hosted least recently): one statement
    for number and host, whatever the number of cities, and one for the last hosts unless `history` (all the body's
    meetings, newest first, as the body page reads them) is given."""
    # never hosted first (by name), then the one whose last turn is longest ago
    latest = (sa.select(Meeting.host_municipality_id.label("city_id"), sa.func.max(Meeting.starts_at).label("at"))
              .where(Meeting.body_id == body.id, Meeting.status != "cancelled", Meeting.starts_at.is_not(None))
              .group_by(Meeting.host_municipality_id).subquery())
    host_id = (sa.select(BodyCity.municipality_id).outerjoin(latest, latest.c.city_id == BodyCity.municipality_id)
               .join(Municipality, Municipality.id == BodyCity.municipality_id).where(BodyCity.body_id == body.id)
               .order_by(latest.c.at.is_not(None), latest.c.at, Municipality.name, Municipality.id).limit(1)
               .scalar_subquery())
    highest = sa.select(sa.func.max(Meeting.number)).where(Meeting.body_id == body.id).scalar_subquery()
    one = sa.select(sa.literal(1).label("one")).subquery()  # one row, with or without a host
    row = db.session.execute(sa.select(highest.label("number"), Municipality).select_from(one)
                             .outerjoin(Municipality, Municipality.id == host_id)).one()
    number = (row.number or 0) + 1
    if history is None:
        hosts = last_hosts(body.id)
    else:
        hosts = [m for m in history if m.host_municipality_id is not None and m.status != "cancelled"
                 and m.starts_at is not None][:5]
    return {"number": number, "title": default_title(body, number), "host": row.Municipality, "last_hosts": hosts}


def default_title(body: Body, number: int | None) -> str:
    """The suggested title: "<number>. Plenum", "<number>. Fachgruppentreffen" or the group's name."""
    noun = {"plenum": _("Plenum"), "fachgruppe": _("Fachgruppentreffen")}.get(body.kind, body.name)
    if body.kind == "projektgruppe":
        noun = _("Treffen %(name)s", name=body.name)
    return f"{number}. {noun}" if number else noun
