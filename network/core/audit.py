"""Writing audit events; part of the same transaction as the change."""

import re

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


# --- reading the log as sentences (issue #21, item 12) ----------------------------------------------------------
#
# Each domain registers, in its setup.init_app, the sentence for each of its event kinds and, per object type, a
# loader that names its objects and links them for the reader:
#
#     register_sentences(app, {"meeting.cancelled": _l("%(actor)s hat %(object)s abgesagt.")}, ("Meeting",))
#     register_object_links(app, "Meeting", meeting_links)   # (ids, reader) -> {id: (label, url or None)}
#
# A sentence is a lazy German msgid (English in messages.po) with the placeholders %(actor)s, %(object)s,
# %(city)s, %(network)s (the event's network) and %(user)s (the account in details["user_id"]), or a
# function(details) -> such a msgid (e.g. the RSVP's answer). A loader returns url None for an object the reader
# may not open, and leaves out objects that are gone; the log then names them without a link
# (or, when gone, uses the event's stored summary). An unknown kind falls back to the summary as written.

_PLACEHOLDER = re.compile(r"%\((actor|object|city|network|user)\)s")

#: placeholders beyond the event's object: %(network)s names the event's network (AuditEvent.network_id, loaded
#: with the "Network" object loader), %(user)s the account in details["user_id"] (the "User" loader)
_EXTRA = {"network": ("Network", lambda e: e.network_id),
          "user": ("User", lambda e: (e.details or {}).get("user_id"))}


def _audit_registry(app) -> dict:
    return app.extensions.setdefault("staedtenetz_audit", {"sentences": {}, "objects": {}})


def register_sentences(app, sentences: dict, object_types=()) -> None:
    """Register sentence templates by action ("meeting.rsvp"); a kind may be registered once. `object_types`: the
    model names %(object)s stands for; an event about another kind of object keeps its stored summary."""
    known = _audit_registry(app)["sentences"]
    for action, template in sentences.items():
        if action in known:
            raise ValueError(f"audit sentence for {action} registered twice")
        known[action] = (template, frozenset(object_types))


def register_object_links(app, object_type: str, loader) -> None:
    """Register how objects of `object_type` (the model's class name) are named and linked for a reader."""
    _audit_registry(app)["objects"][object_type] = loader


def describe(events, reader) -> dict:
    """{event id: Markup sentence} for the events, for `reader`: one loader call per object type."""
    from flask import current_app
    from flask_babel import gettext
    from markupsafe import Markup, escape

    registry = _audit_registry(current_app)
    templates = {}
    ids_by_type: dict[str, set] = {}
    for e in events:
        template, types = registry["sentences"].get(e.action, (None, frozenset()))
        if callable(template):
            template = template(e.details or {})
        templates[e.id] = (template, types)
        if e.object_type and e.object_id is not None:
            ids_by_type.setdefault(e.object_type, set()).add(e.object_id)
        for key, (object_type, get_id) in _EXTRA.items():
            if template is not None and f"%({key})s" in str(template) and isinstance(get_id(e), int):
                ids_by_type.setdefault(object_type, set()).add(get_id(e))
    names: dict[tuple, tuple] = {}
    for object_type, ids in ids_by_type.items():
        loader = registry["objects"].get(object_type)
        if loader is None:
            continue
        for object_id, named in loader(sorted(ids), reader).items():
            names[(object_type, object_id)] = named

    def linked(named):
        label, url = named
        return Markup('<a class="kern-link" href="{}">{}</a>').format(url, label) if url else escape(label)

    out = {}
    for e in events:
        template, types = templates[e.id]
        named = names.get((e.object_type, e.object_id))
        needs_object = template is not None and "%(object)s" in str(template)
        extras = {key: names.get((object_type, get_id(e))) for key, (object_type, get_id) in _EXTRA.items()
                  if template is not None and f"%({key})s" in str(template)}
        if template is None or (needs_object and (named is None or e.object_type not in types)) \
                or any(v is None for v in extras.values()):
            out[e.id] = escape(e.summary or e.action)  # unknown kind, or an object is gone: the stored summary
            continue
        actor = escape(e.actor.name) if e.actor else escape(gettext("Das System"))
        city = escape(e.municipality.name) if e.municipality else ""
        # str() of the lazy msgid translates it (placeholders intact); the text is escaped, then the escaped or
        # linked parts go in (no %-formatting of user data)
        values = {"actor": str(actor), "object": str(linked(named)) if named is not None else "", "city": str(city)}
        values.update({key: str(linked(v)) for key, v in extras.items()})
        out[e.id] = Markup(_PLACEHOLDER.sub(lambda m: values[m.group(1)], str(escape(str(template)))))
    return out
