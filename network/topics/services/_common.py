"""Helpers the topic services share: the acting city, history events, mails, the lead-changed signal."""

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User
from network.core.boundary import Conflict
from network.core.outbox import queue_mail
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.municipalities.models import Municipality, make_slug
from network.topics.models import LeadEvent, Participation
from network.topics.signals import topic_lead_changed

DECISIONS = ("confirm", "decline")
#: slugs that would collide with the fixed pages under /n/<network>/themen/
RESERVED_SLUGS = {"matrix", "neu", "vorschlaege", "vorschlagen", "handlungsfelder"}
MAX_TEXT = 2000


def _network(network=None):
    """The network a read or change is in: the given one (a topic's own), else this request's (404 if unknown)."""
    if network is not None:
        return network
    from network.networks.services import request_network
    return request_network()


def _member_clause(network_id, city_column=Municipality.id):
    """SQL: the city takes part in the network as member or guest (cities that left show only as history)."""
    from network.networks.services import active_member_clause
    return active_member_clause(network_id, city_column)


def _full_member_clause(network_id, city_column=Municipality.id):
    """SQL: the city is a full member of the network (guests read along but do not lead or join topics)."""
    from network.networks.models import NetworkMembership
    return sa.exists().where(NetworkMembership.network_id == network_id,
                             NetworkMembership.municipality_id == city_column, NetworkMembership.status == "member")


def _is_member(network_id, city_id) -> bool:
    """One query: the city is a full member (not guest, not left) of the network."""
    if city_id is None:
        return False
    return bool(db.session.scalar(sa.select(_full_member_clause(network_id, sa.literal(city_id)))))


def _acting_city(actor, network=None, *, guests: bool = False) -> Municipality:
    """The city a lead acts for; it must be a member (not a guest, not left) of the network (default: this
    request's). A coordinator without a city cannot claim or join. guests=True (giving something up) also lets a
    guest act."""
    city = getattr(actor, "municipality", None)
    if city is None or city.status != "member":
        raise ValidationFailed({"city": _("Sie handeln für keine Mitgliedskommune; Federführung und Teilnahme "
                                          "sind nur für die eigene Kommune möglich.")}, status=403)
    network = _network(network)
    if guests:
        from network.networks.services import membership
        row = membership(network.id, city.id)
        allowed = row is not None and row.status in ("member", "guest")
    else:
        allowed = _is_member(network.id, city.id)
    if not allowed:
        raise ValidationFailed({"city": _("%(city)s ist nicht Mitglied im Netzwerk %(network)s; Federführung, "
                                          "Teilnahme und Themenvorschläge sind nur für Mitgliedskommunen des "
                                          "Netzwerks möglich.", city=city.name, network=network.name)}, status=403)
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
    return url_for("topics.detail", slug=topic.slug, network=topic.network.slug, _external=True)


def _coordinators(network):
    """The coordination of the topic's network."""
    from network.networks.services import coordinators_of
    return coordinators_of(network)


def _city_leads(city_id):
    return db.session.execute(
        sa.select(User).where(User.municipality_id == city_id, User.role == "lead", User.active.is_(True))
    ).scalars().all()


def _participant_contacts(topic):
    """One address per participating city of the topic's network: its contact person, else its leads."""
    parts = db.session.execute(
        sa.select(Participation)
        .where(Participation.topic_id == topic.id, _member_clause(topic.network_id, Participation.municipality_id))
    ).scalars().all()
    people = []
    for p in parts:
        if p.contact is not None and p.contact.active:
            people.append(p.contact)
        else:
            people.extend(_city_leads(p.municipality_id))
    return people


def _notify(users, notice, subject, topic, *, actor=None, city=None, reason="", exclude=None):
    """Queue one email per distinct address through the outbox; the subject names the topic's network."""
    subject = f"[{topic.network.name}] {subject}"
    seen = set()
    for user in users:
        if user.email in seen or (exclude is not None and user.id == exclude.id):
            continue
        seen.add(user.email)
        queue_mail(user.email, "topic_notice", subject=subject, locale=user.language,
                   municipality_id=getattr(city, "id", None), person=user, notice=notice, topic=topic,
                   actor=actor, city=city, reason=reason, link=_link(topic), network=topic.network)


def _lead_changed(topic, actor, city):
    """Tell followers of the topic (interest domain) that its lead changed; inside the change's transaction."""
    title = (_("%(topic)s: Federführung bei %(city)s", topic=topic.name, city=city.name) if city is not None else
             _("%(topic)s: ohne Federführung", topic=topic.name))
    try:
        path = url_for("topics.detail", slug=topic.slug, network=topic.network.slug)
    except RuntimeError:  # no request and no SERVER_NAME (CLI)
        path = f"/n/{topic.network.slug}/themen/{topic.slug}"
    topic_lead_changed.send(topic=topic, municipality=city, targets=[("topic", topic.id)], title=title, url=path,
                            audience="network", actor_id=getattr(actor, "id", None))


def _decision(decision, reason, *, still_open: bool, decided: str) -> tuple[str, str]:
    """A checked decision (confirm/decline; declining needs a reason) on something still open, else 409 `decided`."""
    c = Checker()
    decision = c.choice("decision", decision, DECISIONS, label=_("die Entscheidung"))
    reason = c.text("reason", reason, label=_("eine Begründung"), required=False, max_len=MAX_TEXT)
    if decision == "decline" and not reason and "reason" not in c.errors:
        c.add("reason", _("Bitte begründen Sie die Ablehnung."))
    c.done()
    if not still_open:
        raise Conflict({"decision": decided})
    return decision, reason


def _unique_slug(c: Checker, model, name: str, current, taken: str, network_id: int,
                 reserved=frozenset()) -> str | None:
    """The slug of a new name; a name without letters, a reserved slug or one another row of the same network has
    is refused (another network may use the same name)."""
    slug = make_slug(name)
    if not slug:
        c.add("name", _("Der Name muss Buchstaben enthalten."))
    elif slug in reserved:
        c.add("name", _("Dieser Name ist für eine Seite des Städtenetzes reserviert; bitte wählen Sie einen "
                        "anderen."))
    clash = db.session.scalar(sa.select(model.id).where(
        model.network_id == network_id, sa.or_(model.slug == slug, sa.func.lower(model.name) == name.lower())))
    if clash and (current is None or clash != current.id):
        c.add("name", taken)
    return slug


def _apply_keeping_slug(obj, values: dict) -> None:
    """Set the checked values on a topic or field of action; its slug stays (the addresses stay valid)."""
    for key, value in values.items():
        if key != "slug":
            setattr(obj, key, value)


def _flush_or_conflict(message: str) -> None:
    """Flush; a unique index that refuses the row becomes a 409 with a German message."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ValidationFailed({"claim": message}, status=409)
