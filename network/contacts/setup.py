"""Contact wiring: "Ansprechpersonen" panels on topic, practice, project and OZG-service pages (hook slots), a link
on the profile page, the personal-data export and erasure of the profile."""

import sqlalchemy as sa


def _groups(user, city_ids, **subject):
    from network.contacts import services
    found = services.contacts_for(user, city_ids, **subject)
    names = {p.municipality_id: p.municipality.name for items in found.values() for p in items}
    return [(names[c], found[c]) for c in city_ids if c in found]


def _topic_panel(user, topic=None, known=None, **_kw):
    """The contact persons of the cities leading the topic (those the city named first). The topic page passes the
    leading cities it has read (known["lead_city_ids"], the lead first)."""
    from flask import url_for

    from network.contacts import services
    from network.core.permissions import can
    if topic is None or not getattr(user, "is_authenticated", False):
        return None
    leads = (known or {}).get("lead_city_ids")
    if leads is None:
        leads = services.topic_lead_cities(topic.id)
    mark = url_for("contacts.topic", topic_id=topic.id) if (
        getattr(user, "municipality_id", None) in leads and can(user, "contacts.mark")) else None
    return "contacts/_panel.html", {"groups": _groups(user, leads, topic_id=topic.id, field_ids=[topic.field_id]),
                                    "mark_url": mark, "heading_id": "h-contacts-topic", "level": "h3"}


def _practice_panel(user, practice=None, **_kw):
    if practice is None or not getattr(user, "is_authenticated", False):
        return None
    topics = list(practice.topics)
    return "contacts/_panel.html", {"groups": _groups(user, [practice.municipality_id],
                                                      topic_id=topics[0].id if topics else None,
                                                      field_ids=[practice.field_id] if practice.field_id else []),
                                    "heading_id": "h-contacts-practice"}


def _project_panel(user, project=None, **_kw):
    if project is None or not getattr(user, "is_authenticated", False):
        return None
    return "contacts/_panel.html", {"groups": _groups(user, [project.municipality_id], topic_id=project.topic_id,
                                                      field_ids=[project.field_id],
                                                      city_field_id=project.city_field_id),
                                    "heading_id": "h-contacts-project"}


def _ozg_panel(user, service=None, rows=(), **_kw):
    """Whom to ask in each city with a status of the service (one statement for all of them)."""
    from network.contacts import services
    if service is None or not getattr(user, "is_authenticated", False):
        return None
    city_ids = list(dict.fromkeys(r.municipality_id for r in rows))[:100]
    return "contacts/_ozg_row.html", {"by_city": services.contacts_for(user, city_ids, themenfeld=service.themenfeld)}


def _profile_panel(user, **_kw):
    from network.core.permissions import can
    if not can(user, "contacts.own"):
        return None
    return "contacts/_panel_profile.html", {}


def export_personal_data(user) -> dict:
    """The contact profile with its subjects and networks, and the topic marks this person made."""
    from network.contacts.models import (
        ContactNetwork,
        ContactProfile,
        ContactSubject,
        TopicContact,
    )
    from network.extensions import db
    profile = db.session.execute(sa.select(ContactProfile).where(ContactProfile.user_id == user.id)).scalar_one_or_none()
    out = {"contact_profile": [], "contact_subject": [], "contact_network": [], "topic_contact": []}
    if profile is not None:
        out["contact_profile"].append({"id": profile.id, "function": profile.function, "phone": profile.phone,
                                       "languages": profile.languages, "municipality_id": profile.municipality_id,
                                       "updated_at": profile.updated_at.isoformat() if profile.updated_at else None})
        out["contact_subject"] = [{"kind": k, "ref_id": r, "label": lab} for k, r, lab in db.session.execute(
            sa.select(ContactSubject.kind, ContactSubject.ref_id, ContactSubject.label)
            .where(ContactSubject.profile_id == profile.id))]
        out["contact_network"] = [{"network_id": n} for n in db.session.execute(
            sa.select(ContactNetwork.network_id).where(ContactNetwork.profile_id == profile.id)).scalars()]
    marks = db.session.execute(sa.select(TopicContact.topic_id, TopicContact.profile_id).where(
        sa.or_(TopicContact.marked_by_id == user.id,
               TopicContact.profile_id == (profile.id if profile is not None else -1)))).all()
    out["topic_contact"] = [{"topic_id": t, "profile_id": p} for t, p in marks]
    return out


def erase_personal_data(user) -> None:
    """A deleted account's profile goes entirely (subjects, networks, topic marks); marks it made stay unnamed."""
    from network.contacts.models import (
        ContactNetwork,
        ContactProfile,
        ContactSubject,
        TopicContact,
    )
    from network.extensions import db
    ids = sa.select(ContactProfile.id).where(ContactProfile.user_id == user.id).scalar_subquery()
    for model in (TopicContact, ContactSubject, ContactNetwork):
        db.session.execute(sa.delete(model).where(model.profile_id.in_(ids)))
    db.session.execute(sa.delete(ContactProfile).where(ContactProfile.user_id == user.id))
    db.session.execute(sa.update(TopicContact).where(TopicContact.marked_by_id == user.id).values(marked_by_id=None))


def init_app(app):
    from network.core.hooks import register_panel, register_personal_data
    register_personal_data(app, ["contact_profile", "contact_subject", "contact_network", "topic_contact"],
                           export_personal_data, erase_personal_data)
    register_panel(app, "topic", _topic_panel, order=15)
    register_panel(app, "practice", _practice_panel)
    register_panel(app, "project", _project_panel)
    register_panel(app, "ozg_service", _ozg_panel)
    register_panel(app, "profile", _profile_panel, order=60)
