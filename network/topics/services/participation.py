"""Participation: a city joins a topic's project group, changes its status or contact, or leaves."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User
from network.core import audit
from network.core.permissions import require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.topics.models import PARTICIPATION_STATUSES, Participation, Topic
from network.topics.services._common import _acting_city


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
    city = _acting_city(actor, topic.network)
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
    city = _acting_city(actor, topic.network, guests=True)
    part = own_participation(topic, city.id)
    if part is None:
        raise ValidationFailed({"status": _("Ihre Kommune nimmt an diesem Thema nicht teil.")}, status=404)
    audit.record(actor, "topic.left", obj=part, summary=f"{city.name} verlässt {topic.name}", topic=topic.slug)
    db.session.delete(part)
    db.session.flush()
