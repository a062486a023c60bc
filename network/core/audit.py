"""Writing audit events; part of the same transaction as the change."""

import sqlalchemy as sa
from flask import g, has_request_context

from network.core.models import AuditEvent
from network.extensions import db

# core imports no domain: the networks table as a lightweight clause (network/networks/models.py defines it)
_network = sa.table("network", sa.column("id"), sa.column("slug"))


def _network_of_event(obj):
    """The network an event belongs to: a network-owned object's (topic, body, field of action, meeting via its
    body is not resolved here), a network itself, else the network the URL names (/n/<slug>/…). None for a city's
    own content and the installation. Costs no query when the object knows its network."""
    if obj is not None:
        if obj.__class__.__name__ == "Network":
            return obj.id
        if getattr(obj, "network_id", None) is not None:
            return obj.network_id
    if has_request_context() and g.get("network_slug"):
        row = g.get("network_row")
        if row is not None and row.slug == g.network_slug:
            return row.id
        return sa.select(_network.c.id).where(_network.c.slug == g.network_slug).scalar_subquery()
    return None


def record(actor, action: str, *, obj=None, municipality_id=None, network_id=None, summary: str = "",
           **details) -> AuditEvent:
    """Add an audit event for `action` on `obj` by `actor` (None = system); flushes nothing. `network_id`: the
    network it happened in, when neither the object nor the URL tells (see _network_of_event)."""
    if municipality_id is None and obj is not None:
        municipality_id = obj.id if obj.__class__.__name__ == "Municipality" else getattr(obj, "municipality_id", None)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        municipality_id=municipality_id,
        network_id=network_id if network_id is not None else _network_of_event(obj),
        action=action,
        object_type=obj.__class__.__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        summary=summary[:500],
        details=details,
        request_id=g.get("request_id") if has_request_context() else None,
    )
    db.session.add(event)
    return event
