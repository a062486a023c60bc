"""Immediate notifications: one mail per follower who chose "immediately" for the kind of event."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from network.accounts.models import User
from network.core.outbox import queue_mail
from network.extensions import db
from network.interest.models import EVENT_KINDS, TARGET_TYPES, Follow, NotificationPreference
from network.interest.services._common import absolute
from network.interest.services.unsubscribe import kind_label, unsubscribe_token


def _may_hear(user, audience) -> bool:
    """Whether the event's audience includes the user (unknown audiences: nobody)."""
    if not audience or audience in ("public", "network"):
        return True
    if user.is_coordinator:
        return True
    kind, _sep, ident = str(audience).partition(":")
    if kind == "city":
        return str(user.municipality_id) == ident
    if kind == "body":
        from network.meetings.services import follow_body
        try:
            return bool(follow_body(user, int(ident)))
        except ValueError:
            return False
    return False


def notify_followers(kind: str, targets, title: str, url: str, audience: str | None = None,
                     actor_id: int | None = None) -> int:
    """Queue one email per follower of any target who chose "immediately" for this kind of event."""
    if kind not in EVENT_KINDS:
        return 0
    pairs = [(t, int(i)) for t, i in (targets or []) if t in TARGET_TYPES and str(i).isdigit()]
    if not pairs:
        return 0
    follows = sa.or_(*[sa.and_(Follow.target_type == t, Follow.target_id == i) for t, i in pairs])
    users = db.session.execute(
        sa.select(User).where(User.active.is_(True), User.id.in_(sa.select(Follow.user_id).where(follows)),
                              User.id.in_(sa.select(NotificationPreference.user_id).where(
                                  NotificationPreference.kind == kind, NotificationPreference.mode == "immediately")))
        .order_by(User.id)).scalars().all()
    link = absolute(url or "/")
    sent = 0
    for user in users:
        if user.id == actor_id or not _may_hear(user, audience):
            continue
        with force_locale(user.language):
            subject = _("%(kind)s: %(title)s", kind=kind_label(kind), title=title)
        queue_mail(user.email, "interest/event", subject=subject[:300], locale=user.language, user=user,
                   kind=kind, title=title, link=link,
                   unsubscribe_link=url_for("interest.unsubscribe", token=unsubscribe_token(user.id, kind),
                                            _external=True),
                   settings_link=url_for("interest.settings", _external=True))
        sent += 1
    return sent


def follower_receiver(kind: str):
    """A receiver for one typed event signal that mails the followers who chose "immediately" for `kind`.

    `kind` is the key of the followers' preference (EVENT_KINDS), stored per user; setup.init_app connects
    one receiver per signal.
    """
    def receive(sender, *, targets, title, url, audience, actor_id, **_obj):
        notify_followers(kind, targets, title or "", url or "/", audience, actor_id)
    receive.__name__ = f"notify_followers_of_{kind.replace('.', '_')}"
    receive.__doc__ = f"Mail the followers who hear about {kind} immediately."
    return receive
