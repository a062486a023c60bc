"""Following topics, cities, practices and bodies, and how the member hears about each kind of event."""

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from flask import abort, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from network.core import audit
from network.core.permissions import can, require
from network.core.validation import Checker, ValidationFailed
from network.extensions import db
from network.interest.models import DEFAULT_MODE, DIGEST_KIND, EVENT_KINDS, MODES, TARGET_TYPES, Follow, \
    NotificationPreference
from network.interest.services._common import truthy
from network.municipalities.models import Municipality
from network.topics.models import Topic


def _parse_target(c: Checker, target_type, target_id) -> tuple[str, int]:
    target_type = (str(target_type or "")).strip()
    c.choice("type", target_type, TARGET_TYPES, label=_("die Art"))
    try:
        ident = int(target_id)
        if ident <= 0 or ident > 2**31:
            raise ValueError
    except (TypeError, ValueError):
        c.add("id", _("Bitte geben Sie an, was Sie folgen möchten."))
        ident = 0
    return target_type, ident


def resolve_targets(user, pairs) -> dict:
    """(type, id) -> (title, url) for the targets the user may see; one query per type (topics, cities)."""
    by_type = defaultdict(set)
    for t, i in pairs:
        by_type[t].add(i)
    out = {}
    if by_type.get("topic") and can(user, "topic.view"):
        for t in db.session.execute(sa.select(Topic).options(joinedload(Topic.network))
                                    .where(Topic.id.in_(by_type["topic"]), Topic.status == "active")).scalars():
            out[("topic", t.id)] = (t.name, url_for("topics.detail", slug=t.slug, network=t.network.slug))
    if by_type.get("municipality"):
        for m in db.session.execute(sa.select(Municipality).where(Municipality.id.in_(by_type["municipality"]),
                                                                  Municipality.status == "member")).scalars():
            out[("municipality", m.id)] = (m.name, url_for("municipalities.detail", slug=m.slug))
    from network.meetings.services import follow_body
    from network.practices.services import follow_practice
    for kind, fn in (("practice", follow_practice), ("body", follow_body)):
        for ident in by_type.get(kind, ()):
            resolved = fn(user, ident)
            if resolved:
                out[(kind, ident)] = resolved
    return out


def is_following(user, target_type: str, target_id) -> bool:
    """One query: does the user follow this?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.execute(sa.select(Follow.id).where(
        Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == target_id)).first() is not None


def toggle_follow(actor, target_type, target_id) -> tuple[bool, str]:
    """Follow something the actor may see, or stop following it: (now following, title)."""
    require(actor, "follow.use")
    c = Checker()
    target_type, ident = _parse_target(c, target_type, target_id)
    c.done()
    resolved = resolve_targets(actor, [(target_type, ident)]).get((target_type, ident))
    existing = db.session.execute(sa.select(Follow).where(
        Follow.user_id == actor.id, Follow.target_type == target_type, Follow.target_id == ident)).scalar_one_or_none()
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False, resolved[0] if resolved else ""
    if resolved is None:
        abort(404)
    db.session.add(Follow(user_id=actor.id, target_type=target_type, target_id=ident))
    try:
        with db.session.begin_nested():  # only this row is undone, not the rest of the request
            db.session.flush()
    except IntegrityError:  # a double click: the first request already followed
        pass
    return True, resolved[0]


def list_follows(user) -> list[dict]:
    """The user's follows with title and URL (those no longer visible are listed as unavailable)."""
    rows = db.session.execute(sa.select(Follow).where(Follow.user_id == user.id)
                              .order_by(Follow.target_type, Follow.created_at)).scalars().all()
    resolved = resolve_targets(user, [(f.target_type, f.target_id) for f in rows])
    out = []
    for f in rows:
        title, url = resolved.get((f.target_type, f.target_id), (None, None))
        out.append({"type": f.target_type, "id": f.target_id, "type_label": str(TARGET_TYPES[f.target_type]),
                    "title": title, "url": url, "available": title is not None})
    return out


def preferences(user) -> dict:
    """kind -> mode for every event kind, and DIGEST_KIND -> weekly|off."""
    stored = dict(db.session.execute(sa.select(NotificationPreference.kind, NotificationPreference.mode)
                                     .where(NotificationPreference.user_id == user.id)).all())
    out = {k: stored.get(k, DEFAULT_MODE) for k in EVENT_KINDS}
    out[DIGEST_KIND] = stored.get(DIGEST_KIND, "weekly")
    return out


def store_preference(user, kind, mode):
    """Set how the user hears about one kind of event (or the digest)."""
    row = db.session.execute(sa.select(NotificationPreference).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind)).scalar_one_or_none()
    if row is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=kind, mode=mode))
    else:
        row.mode = mode


def set_preferences(actor, modes: dict, digest=None) -> dict:
    """Store how the actor hears about each kind of event (immediately, weekly, off) and the digest switch."""
    require(actor, "follow.use")
    c = Checker()
    if not isinstance(modes, dict):
        c.add("preferences", _("Bitte geben Sie die Einstellungen als Zuordnung Ereignis → Art an."))
        modes = {}
    for kind, mode in modes.items():
        if kind not in EVENT_KINDS:
            c.add(f"preferences.{kind}"[:80], _("Diese Art von Ereignis gibt es nicht."))
        elif mode not in MODES:
            c.add(f"pref_{kind.replace('.', '_')}", _("Bitte wählen Sie sofort, wöchentlich oder aus."))
    c.done()
    for kind, mode in modes.items():
        store_preference(actor, kind, mode)
    if digest is not None:
        store_preference(actor, DIGEST_KIND, "weekly" if truthy(digest) else "off")
    audit.record(actor, "follow.preferences_changed", obj=actor, municipality_id=actor.municipality_id,
                 summary="Benachrichtigungseinstellungen geändert")
    db.session.flush()
    return preferences(actor)


def replace_follows(actor, items) -> None:
    """API PUT: the actor's follows become exactly `items` ([{type, id}]); invisible targets are refused."""
    require(actor, "follow.use")
    c = Checker()
    wanted = set()
    if not isinstance(items, list):
        c.add("follows", _("Bitte geben Sie eine Liste von {type, id} an."))
        items = []
    for n, item in enumerate(items[:500]):
        if not isinstance(item, dict):
            c.add("follows", _("Bitte geben Sie eine Liste von {type, id} an."))
            continue
        sub = Checker()
        pair = _parse_target(sub, item.get("type"), item.get("id"))
        if sub.errors:
            c.add(f"follows.{n}", next(iter(sub.errors.values())))
        else:
            wanted.add(pair)
    if len(items) > 500:
        c.add("follows", _("Höchstens 500 Einträge."))
    c.done()
    resolved = resolve_targets(actor, wanted)
    missing = sorted(wanted - set(resolved))
    if missing:
        raise ValidationFailed({"follows": _("%(type)s %(id)s gibt es nicht, oder Sie können es nicht sehen.",
                                             type=str(TARGET_TYPES[missing[0][0]]), id=missing[0][1])}, status=404)
    current = {(f.target_type, f.target_id): f for f in db.session.execute(
        sa.select(Follow).where(Follow.user_id == actor.id)).scalars()}
    for pair, row in current.items():
        if pair not in wanted:
            db.session.delete(row)
    for pair in wanted - set(current):
        db.session.add(Follow(user_id=actor.id, target_type=pair[0], target_id=pair[1]))
    db.session.flush()
