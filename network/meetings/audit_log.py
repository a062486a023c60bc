"""The meetings domain's sentences in the audit log and the links to its meetings and bodies (core/audit.describe)."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from network.extensions import db
from network.meetings.models import Body, Meeting
from network.meetings.services.membership import member_body_clause


def _rsvp(details):
    return {"yes": _l("%(actor)s hat für %(object)s zugesagt."),
            "no": _l("%(actor)s hat die Teilnahme an %(object)s abgesagt."),
            "maybe": _l("%(actor)s hat für %(object)s mit „vielleicht“ geantwortet.")}.get(
        details.get("response"), _l("%(actor)s hat auf die Einladung zu %(object)s geantwortet."))


SENTENCES = {
    "meeting.created": _l("%(actor)s hat das Treffen %(object)s angelegt."),
    "meeting.updated": _l("%(actor)s hat das Treffen %(object)s geändert."),
    "meeting.cancelled": _l("%(actor)s hat das Treffen %(object)s abgesagt."),
    "meeting.rsvp": _rsvp,
    "meeting.slot_added": _l("%(actor)s hat Terminvorschläge für %(object)s hinzugefügt."),
    "meeting.slot_deleted": _l("%(actor)s hat einen Terminvorschlag für %(object)s entfernt."),
    "meeting.slot_picked": _l("%(actor)s hat den Termin für %(object)s festgelegt."),
    "meeting.decision": _l("%(actor)s hat einen Beschluss in %(object)s festgehalten."),
    "meeting.action_item": _l("%(actor)s hat eine Aufgabe aus %(object)s festgehalten."),
    "meeting.action_status": _l("%(actor)s hat den Stand einer Aufgabe aus %(object)s geändert."),
    "minutes.saved": _l("%(actor)s hat das Protokoll von %(object)s gespeichert."),
    "minutes.published": _l("%(actor)s hat das Protokoll von %(object)s veröffentlicht."),
    "agenda.proposed": _l("%(actor)s hat einen Tagesordnungspunkt für %(object)s vorgeschlagen."),
    "agenda.added": _l("%(actor)s hat einen Tagesordnungspunkt zu %(object)s hinzugefügt."),
    "agenda.accept": _l("%(actor)s hat einen Tagesordnungspunkt für %(object)s angenommen."),
    "agenda.reject": _l("%(actor)s hat einen Tagesordnungspunkt für %(object)s abgelehnt."),
    "agenda.up": _l("%(actor)s hat die Tagesordnung von %(object)s umgestellt."),
    "agenda.down": _l("%(actor)s hat die Tagesordnung von %(object)s umgestellt."),
    "body.created": _l("%(actor)s hat das Gremium %(object)s angelegt."),
    "body.updated": _l("%(actor)s hat das Gremium %(object)s geändert."),
    "body.lead_city_added": _l("%(city)s ist als federführende Kommune Mitglied von %(object)s geworden."),
    "calendar.renewed": _l("%(actor)s hat die Adresse des Kalender-Abos erneuert."),
    "calendar.ended": _l("%(actor)s hat die Adresse des Kalender-Abos beendet."),
}


def meeting_links(ids, reader) -> dict:
    """Meetings by id: the title, linked when the reader is a member of the meeting's body."""
    rows = db.session.execute(sa.select(Meeting).where(Meeting.id.in_(ids))
                              .options(selectinload(Meeting.body).selectinload(Body.network))).scalars().all()
    mine = set(db.session.execute(sa.select(Meeting.id).where(Meeting.id.in_(ids),
                                                              member_body_clause(reader, Meeting.body_id))).scalars())
    return {m.id: (m.title, url_for("meetings.detail", meeting_id=m.id, network=m.body.network.slug)
                   if m.id in mine else None) for m in rows}


def body_links(ids, reader) -> dict:
    """Bodies by id: the name, linked for the body's members."""
    rows = db.session.execute(sa.select(Body).where(Body.id.in_(ids)).options(selectinload(Body.network))).scalars().all()
    mine = set(db.session.execute(sa.select(Body.id).where(Body.id.in_(ids), member_body_clause(reader))).scalars())
    return {b.id: (b.name, url_for("meetings.body", body_id=b.id, network=b.network.slug) if b.id in mine else None)
            for b in rows}
