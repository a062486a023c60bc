"""The networks domain's sentences in the audit log (admission, leaving, coordination) and the links to network
pages (core/audit.describe)."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from network.extensions import db


def _joined(details):
    """A city joined (or came back to) a network as a member or a guest."""
    if details.get("status") == "guest":
        return _l("%(actor)s hat %(object)s als Gast in %(network)s aufgenommen.")
    if details.get("previous") == "left":
        return _l("%(actor)s hat %(object)s wieder als Mitglied in %(network)s aufgenommen.")
    return _l("%(actor)s hat %(object)s als Mitglied in %(network)s aufgenommen.")


#: events about a network itself (the object is the network)
NETWORK_SENTENCES = {
    "network.created": _l("%(actor)s hat das Netzwerk %(object)s angelegt."),
    "network.updated": _l("%(actor)s hat die Einstellungen von %(object)s geändert."),
    "network.coordinator_named": _l("%(actor)s hat %(user)s zur Koordination von %(object)s ernannt."),
    "network.coordinator_removed": _l("%(actor)s hat %(user)s aus der Koordination von %(object)s entfernt."),
}
#: a city's membership (the object is the city, the network is the event's)
MEMBERSHIP_SENTENCES = {
    "network.city_joined": _joined,
    "network.city_left": _l("%(actor)s hat den Austritt von %(object)s aus %(network)s eingetragen."),
}


def network_links(ids, reader) -> dict:
    """Network pages are public: every network is named and linked."""
    from network.networks.models import Network
    rows = db.session.execute(sa.select(Network.id, Network.name, Network.slug).where(Network.id.in_(ids))).all()
    return {r.id: (r.name, url_for("networks.net.page", network=r.slug)) for r in rows}
