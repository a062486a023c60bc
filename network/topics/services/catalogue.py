"""Topics and proposals: the coordination adds and edits topics, a city proposes one, the coordination decides."""

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from network.core import audit
from network.core.boundary import Conflict, check_version
from network.core.permissions import require
from network.core.validation import Checker
from network.extensions import db
from network.topics.models import FieldOfAction, Topic
from network.topics.services._common import (MAX_TEXT, RESERVED_SLUGS, _acting_city, _apply_keeping_slug,
                                             _coordinators, _decision, _network, _notify, _unique_slug)


def _check_topic(c: Checker, data: dict, network, current: Topic | None = None) -> dict:
    """Checked name, description and field of action (one of the network's) of a topic in `network`."""
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
    if field is None or field.network_id != network.id:
        c.add("field_id", _("Bitte wählen Sie ein Handlungsfeld."))
    else:
        out["field_id"] = field.id
    if "name" not in c.errors:
        out["slug"] = _unique_slug(c, Topic, out["name"], current, _("Ein Thema mit diesem Namen gibt es bereits "
                                                                     "(auch abgelehnte Vorschläge zählen)."),
                                   network.id, reserved=RESERVED_SLUGS)
    return out


def create_topic(actor, data: dict) -> Topic:
    """Coordinator: add an active topic to this request's network."""
    require(actor, "topic.manage")
    network = _network()
    c = Checker()
    values = _check_topic(c, data, network)
    c.done()
    topic = Topic(network_id=network.id, status="active", **values)
    db.session.add(topic)
    db.session.flush()
    audit.record(actor, "topic.created", obj=topic, summary=f"Thema {topic.name} angelegt")
    db.session.flush()
    return topic


def update_topic(actor, topic: Topic, data: dict, *, version) -> Topic:
    """Coordinator: edit name, description, field; a stale version answers 409."""
    require(actor, "topic.manage")
    check_version(topic, version, _("Das Thema wurde inzwischen von jemand anderem geändert. Bitte prüfen Sie "
                                    "die aktuelle Fassung; Ihre Eingaben stehen noch im Formular."))
    c = Checker()
    values = _check_topic(c, data, topic.network, current=topic)
    c.done()
    _apply_keeping_slug(topic, values)
    audit.record(actor, "topic.updated", obj=topic, summary=f"Thema {topic.name} geändert")
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict({"version": _("Das Thema wurde inzwischen von jemand anderem geändert.")})
    return topic


def propose_topic(actor, data: dict) -> Topic:
    """A city lead proposes a topic to this request's network; its coordination accepts or declines it."""
    require(actor, "topic.propose")
    network = _network()
    city = _acting_city(actor, network)
    c = Checker()
    values = _check_topic(c, data, network)
    reason = c.text("reason", data.get("reason"), label=_("eine Begründung"), required=False, max_len=MAX_TEXT)
    c.done()
    topic = Topic(network_id=network.id, status="proposed", proposed_by_municipality_id=city.id,
                  proposed_by_id=actor.id,
                  proposal_reason=reason, **values)
    db.session.add(topic)
    db.session.flush()
    audit.record(actor, "topic.proposed", obj=topic, municipality_id=city.id,
                 summary=f"{city.name} schlägt das Thema {topic.name} vor")
    _notify(_coordinators(network), "proposal", _("Neuer Themenvorschlag: %(topic)s", topic=topic.name), topic,
            actor=actor, city=city, reason=reason)
    db.session.flush()
    return topic


def decide_proposal(actor, topic: Topic, decision, reason) -> Topic:
    """Coordinator: accept (the topic becomes active) or decline (with a reason) a proposal."""
    require(actor, "topic.manage")
    decision, reason = _decision(decision, reason, still_open=topic.status == "proposed",
                                 decided=_("Über diesen Vorschlag wurde bereits entschieden."))
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
