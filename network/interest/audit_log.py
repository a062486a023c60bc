"""The interest domain's sentences in the audit log (registrations of interest, following) and the links to the
list of registrations (core/audit.describe). A registration is named by its number only: the log shows no
personal data of the person who registered."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _, lazy_gettext as _l

from network.core.permissions import can
from network.extensions import db

REGISTRATION_SENTENCES = {
    "interest.registered": _l("%(object)s ist eingegangen (noch nicht bestätigt)."),
    "interest.updated": _l("%(object)s wurde geändert (noch nicht bestätigt)."),
    "interest.confirmed": _l("%(object)s wurde bestätigt."),
    "interest.withdrawn": _l("%(object)s wurde zurückgenommen."),
    "interest.contacted": _l("%(actor)s hat %(object)s als kontaktiert markiert."),
    "interest.uncontacted": _l("%(actor)s hat %(object)s wieder als offen markiert."),
}
OTHER_SENTENCES = {
    "interest.purged": _l("%(actor)s hat unbestätigte Interessensbekundungen nach Ablauf der Frist gelöscht."),
    "follow.unsubscribed": _l("%(actor)s hat die E-Mail-Benachrichtigungen abbestellt."),
    "follow.preferences_changed": _l("%(actor)s hat die Einstellungen der Benachrichtigungen geändert."),
}


def registration_links(ids, reader) -> dict:
    """Registrations by id: "Interessensbekundung Nr. 5", linked to the list for those who may read it (its city's
    lead, the coordination)."""
    from network.interest.models import InterestRegistration
    rows = db.session.execute(sa.select(InterestRegistration.id, InterestRegistration.municipality_id)
                              .where(InterestRegistration.id.in_(ids))).all()
    own = getattr(reader, "municipality_id", None)
    everything = can(reader, "interest.view_all")
    out = {}
    for r in rows:
        may = can(reader, "interest.view") and (everything or (own is not None and r.municipality_id == own))
        out[r.id] = (_("Interessensbekundung Nr. %(num)s", num=r.id),
                     url_for("interest.registrations") if may else None)
    return out
