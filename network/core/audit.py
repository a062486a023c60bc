"""Writing audit events; part of the same transaction as the change."""

from flask import g, has_request_context

from network.core.models import AuditEvent
from network.extensions import db


def record(actor, action: str, *, obj=None, municipality_id=None, summary: str = "", **details) -> AuditEvent:
    """Add an audit event for `action` on `obj` by `actor` (None = system); flushes nothing."""
    if municipality_id is None and obj is not None:
        municipality_id = obj.id if obj.__class__.__name__ == "Municipality" else getattr(obj, "municipality_id", None)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        municipality_id=municipality_id,
        action=action,
        object_type=obj.__class__.__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        summary=summary[:500],
        details=details,
        request_id=g.get("request_id") if has_request_context() else None,
    )
    db.session.add(event)
    return event
