"""The funding domain's sentences in the audit log and the links to its calls and applications
(core/audit.describe)."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from network.core.permissions import can
from network.extensions import db

#: events about a funding call (the object is the call)
CALL_SENTENCES = {
    "funding.call_created": _l("%(actor)s hat den Förderaufruf %(object)s erfasst."),
    "funding.call_updated": _l("%(actor)s hat den Förderaufruf %(object)s geändert."),
    "funding.call_checked": _l("%(actor)s hat den Förderaufruf %(object)s als geprüft markiert."),
    "funding.interest_marked": _l("%(actor)s hat das Interesse von %(city)s an %(object)s vermerkt."),
    "funding.interest_removed": _l("%(actor)s hat das Interesse von %(city)s an %(object)s zurückgenommen."),
}
#: events about an application (the object is the application; %(city)s the city concerned)
APPLICATION_SENTENCES = {
    "funding.application_created": _l("%(actor)s hat den Antrag %(object)s angelegt."),
    "funding.application_updated": _l("%(actor)s hat den Antrag %(object)s geändert."),
    "funding.partner_invited": _l("%(actor)s hat eine Partnerkommune zum Verbundantrag %(object)s eingeladen."),
    "funding.invitation_accepted": _l("%(actor)s hat für %(city)s die Einladung zum Verbundantrag %(object)s "
                                      "angenommen."),
    "funding.invitation_declined": _l("%(actor)s hat für %(city)s die Einladung zum Verbundantrag %(object)s "
                                      "abgelehnt."),
    "funding.share_set": _l("%(actor)s hat den Anteil von %(city)s am Antrag %(object)s festgelegt."),
    "funding.item_added": _l("%(actor)s hat eine Aufgabe zum Antrag %(object)s hinzugefügt."),
    "funding.item_done": _l("%(actor)s hat eine Aufgabe zum Antrag %(object)s erledigt."),
    "funding.item_reopened": _l("%(actor)s hat eine Aufgabe zum Antrag %(object)s wieder geöffnet."),
    "funding.document_uploaded": _l("%(actor)s hat ein Dokument zum Antrag %(object)s hochgeladen."),
    "funding.document_deleted": _l("%(actor)s hat ein Dokument zum Antrag %(object)s gelöscht."),
}


def call_links(ids, reader) -> dict:
    """Calls by id: the title, linked for readers of the funding radar."""
    from network.funding.models import FundingCall
    rows = db.session.execute(sa.select(FundingCall.id, FundingCall.title).where(FundingCall.id.in_(ids))).all()
    may = can(reader, "funding.view")
    return {r.id: (r.title, url_for("funding.detail", call_id=r.id) if may else None) for r in rows}


def application_links(ids, reader) -> dict:
    """Applications by id: the title, linked for the cities taking part and the coordination."""
    from network.funding.models import Application
    from network.funding.services.applications import may_see_application
    rows = db.session.execute(sa.select(Application).where(Application.id.in_(ids))
                              .options(selectinload(Application.members))).scalars().all()
    may = can(reader, "funding.view")
    return {a.id: (a.title, url_for("funding.application", application_id=a.id)
                   if may and may_see_application(reader, a) else None) for a in rows}
