"""Login-free unsubscribe links in every notification mail."""

from flask_babel import gettext as _
from itsdangerous import BadSignature

from network.accounts.models import User
from network.core import audit
from network.core.validation import ValidationFailed
from network.extensions import db
from network.interest.models import DIGEST_KIND, EVENT_KINDS
from network.interest.services._common import serializer
from network.interest.services.following import store_preference


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed, login-free link token: turn off `kind` (an event kind or the digest) for the user."""
    return serializer("interest-unsubscribe").dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The active user and the kind behind an unsubscribe link, or 404."""
    try:
        user_id, kind = serializer("interest-unsubscribe").loads(token or "")
    except (BadSignature, TypeError, ValueError):
        user_id, kind = None, None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or (kind != DIGEST_KIND and kind not in EVENT_KINDS):
        raise ValidationFailed({"token": _("Dieser Abmeldelink ist ungültig.")}, status=404)
    return user, kind


def unsubscribe(token: str) -> tuple[User, str]:
    """Turn the digest (or immediate mails of one kind) off without login."""
    user, kind = read_unsubscribe_token(token)
    store_preference(user, kind, "off")
    audit.record(user, "follow.unsubscribed", obj=user, municipality_id=user.municipality_id,
                 summary=f"Benachrichtigung {kind} per Link abbestellt", kind=kind)
    db.session.flush()
    return user, kind


def kind_label(kind: str) -> str:
    """The German label of an event kind or the digest."""
    return str(EVENT_KINDS.get(kind, _("Wöchentliche Zusammenfassung") if kind == DIGEST_KIND else kind))
