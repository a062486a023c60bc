"""Writing contact profiles: the owner saves or deletes their own; a lead city marks its contact persons for a topic
it leads. German messages for bad input; nothing half-written (the request boundary rolls back)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden

from network.contacts.models import (
    ContactNetwork,
    ContactProfile,
    ContactSubject,
    TopicContact,
)
from network.contacts.services.reading import own_profile, topic_lead_cities
from network.core import audit
from network.core.permissions import require
from network.core.validation import Checker
from network.extensions import db
from network.networks.models import ACTIVE_STATUSES, Network, NetworkMembership

#: at most this many subjects of each kind, and free tags
MAX_PER_KIND = 30
_PHONE = re.compile(r"^\+?[0-9 ()/\-.]{3,40}$")


def choices(user) -> dict:
    """What the profile form offers: the networks of the user's city, their topics and fields of action, the city's
    own fields, the OZG Themenfelder."""
    from network.inventory.models import CityField
    from network.ozg.services import themenfelder
    from network.topics.models import FieldOfAction, Topic
    city_id = user.municipality_id
    networks = db.session.execute(sa.select(Network).join(NetworkMembership, NetworkMembership.network_id == Network.id)
                                  .where(NetworkMembership.municipality_id == city_id,
                                         NetworkMembership.status.in_(ACTIVE_STATUSES))
                                  .order_by(Network.name)).scalars().all()
    ids = [n.id for n in networks]
    topics = db.session.execute(sa.select(Topic.id, Topic.name).where(Topic.network_id.in_(ids),
                                                                      Topic.status == "active")
                                .order_by(Topic.name)).all() if ids else []
    fields = db.session.execute(sa.select(FieldOfAction.id, FieldOfAction.name).where(
        FieldOfAction.network_id.in_(ids)).order_by(FieldOfAction.position, FieldOfAction.name)).all() if ids else []
    city_fields = db.session.execute(sa.select(CityField.id, CityField.name).where(CityField.municipality_id == city_id)
                                     .order_by(CityField.position, CityField.name)).all()
    return {"networks": [(n.id, n.name) for n in networks], "topic": list(topics), "field": list(fields),
            "city_field": list(city_fields), "ozg": [(name, name) for _slug, name in themenfelder()]}


def _ids(raw, allowed: dict, c: Checker, key: str, message: str) -> list:
    out = []
    for value in (raw or [])[:MAX_PER_KIND + 1]:
        value = str(value)
        match = next((k for k in allowed if str(k) == value), None)
        if match is None:
            c.add(key, message)
            return []
        if match not in out:
            out.append(match)
    if len(out) > MAX_PER_KIND:
        c.add(key, _("Bitte wählen Sie höchstens %(n)s Einträge.", n=MAX_PER_KIND))
    return out


def save_profile(actor, data: dict) -> ContactProfile:
    """Create or change the actor's own profile; `networks` names who may see it (none: nobody)."""
    require(actor, "contacts.own")
    if actor.municipality_id is None:
        raise Forbidden()
    c = Checker()
    function = c.text("function", data.get("function"), label=_("die Funktion"), max_len=120, multiline=False)
    languages = c.text("languages", data.get("languages"), label=_("Die Sprachen"), required=False, max_len=200,
                       multiline=False)
    phone = c.text("phone", data.get("phone"), label=_("Die Telefonnummer"), required=False, max_len=40,
                   multiline=False)
    if phone and not _PHONE.match(phone):
        c.add("phone", _("Bitte geben Sie eine Telefonnummer aus Ziffern an, z. B. +49 7243 101-0."))
    tags_text = c.text("tags", data.get("tags"), label=_("Die Stichworte"), required=False, max_len=600,
                       multiline=False)
    tags = []
    for tag in (t.strip() for t in tags_text.split(",")):
        if tag and tag.lower() not in {x.lower() for x in tags}:
            tags.append(tag)
    if any(len(t) > 80 for t in tags):
        c.add("tags", _("Ein Stichwort darf höchstens 80 Zeichen lang sein."))
    if len(tags) > MAX_PER_KIND:
        c.add("tags", _("Bitte geben Sie höchstens %(n)s Stichworte an.", n=MAX_PER_KIND))
    offered = choices(actor)
    picked = {}
    for kind in ("topic", "field", "city_field", "ozg"):
        allowed = dict(offered[kind])
        picked[kind] = [(k, allowed[k]) for k in _ids(data.get(kind), allowed, c, kind,
                                                      _("Bitte wählen Sie nur Einträge aus der Liste."))]
    networks = _ids(data.get("networks"), dict(offered["networks"]), c, "networks",
                    _("Bitte wählen Sie nur Netzwerke, an denen Ihre Kommune teilnimmt."))
    c.done()
    row = own_profile(actor)
    created = row is None
    if created:
        row = ContactProfile(user_id=actor.id, municipality_id=actor.municipality_id)
        db.session.add(row)
    row.municipality_id = actor.municipality_id
    row.function, row.languages, row.phone = function, languages, phone
    row.subjects = [ContactSubject(kind=kind, ref_id=k if kind != "ozg" else None, label=str(label)[:160])
                    for kind, items in picked.items() for k, label in items] + \
                   [ContactSubject(kind="tag", label=t) for t in tags]
    row.networks = [ContactNetwork(network_id=n) for n in networks]
    db.session.flush()
    audit.record(actor, "contact.saved", obj=row, municipality_id=actor.municipality_id,
                 summary="Kontaktprofil angelegt" if created else "Kontaktprofil geändert")
    return row


def delete_profile(actor) -> None:
    """Remove the actor's own profile (and the topics' marks of it)."""
    require(actor, "contacts.own")
    row = own_profile(actor)
    if row is None:
        abort(404)
    db.session.execute(sa.delete(TopicContact).where(TopicContact.profile_id == row.id))
    audit.record(actor, "contact.deleted", municipality_id=row.municipality_id, summary="Kontaktprofil gelöscht")
    db.session.delete(row)
    db.session.flush()


def require_topic_lead(actor, topic) -> None:
    """The actor is a lead of a city that leads (or co-leads) the topic, else 403."""
    require(actor, "contacts.mark")
    if actor.municipality_id is None or actor.municipality_id not in topic_lead_cities(topic.id):
        raise Forbidden()


def city_profiles(actor, topic) -> list[tuple[ContactProfile, bool]]:
    """The actor's city's profiles published to the topic's network, each with whether it is marked."""
    rows = db.session.execute(
        sa.select(ContactProfile).where(ContactProfile.municipality_id == actor.municipality_id,
                                        sa.exists().where(ContactNetwork.profile_id == ContactProfile.id,
                                                          ContactNetwork.network_id == topic.network_id))
        .limit(200)).unique().scalars().all()
    marked = set(db.session.execute(sa.select(TopicContact.profile_id).where(
        TopicContact.topic_id == topic.id, TopicContact.municipality_id == actor.municipality_id)).scalars())
    return sorted([(r, r.id in marked) for r in rows], key=lambda x: x[0].user.name)


def mark_topic_contacts(actor, topic, profile_ids) -> int:
    """Name the city's contact persons for the topic (replaces the city's earlier choice); returns how many."""
    require_topic_lead(actor, topic)
    allowed = {p.id for p, _m in city_profiles(actor, topic)}
    chosen = []
    for raw in profile_ids or []:
        if not str(raw).isdigit() or int(raw) not in allowed:
            c = Checker()
            c.add("profiles", _("Bitte wählen Sie nur veröffentlichte Profile Ihrer Kommune."))
            c.done()
        if int(raw) not in chosen:
            chosen.append(int(raw))
    db.session.execute(sa.delete(TopicContact).where(TopicContact.topic_id == topic.id,
                                                     TopicContact.municipality_id == actor.municipality_id))
    for pid in chosen:
        db.session.add(TopicContact(topic_id=topic.id, profile_id=pid, municipality_id=actor.municipality_id,
                                    marked_by_id=actor.id))
    audit.record(actor, "contact.topic_marked", obj=topic, municipality_id=actor.municipality_id,
                 summary=f"Ansprechpersonen für {topic.name} benannt ({len(chosen)})")
    db.session.flush()
    return len(chosen)
