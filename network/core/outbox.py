"""Email outbox: queue in the caller's transaction, deliver later: at least once, with a stable Message-ID.

Delivery records "sending", the attempt time and the attempt count in its own committed transaction *before*
the SMTP handshake, then "sent" after it. A process that dies between the two (kill -9, power loss) leaves the
message in "sending"; it is sent again only after ``OUTBOX_SENDING_GRACE_SECONDS`` and keeps its Message-ID,
so a receiving server (or the reader's client) can drop the copy. Exactly-once is impossible across that gap.
"""

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives

from network.core.models import OutboxMessage, utcnow
from network.extensions import db, mail

log = logging.getLogger(__name__)



def sending_grace() -> timedelta:
    """A claim older than this is considered abandoned (the sender died mid-send): OUTBOX_SENDING_GRACE_SECONDS."""
    return timedelta(seconds=int(current_app.config.get("OUTBOX_SENDING_GRACE_SECONDS", 600)))


def message_id(msg: OutboxMessage) -> str:
    """The same Message-ID on every attempt of one outbox message (id and creation time keep it unique)."""
    domain = (current_app.config.get("MAIL_DEFAULT_SENDER") or "").rsplit("@", 1)[-1].strip(" >") or "staedtenetz"
    stamp = int(msg.created_at.timestamp()) if msg.created_at else 0
    return f"<outbox-{msg.id}.{stamp}@{domain}>"


def queue_mail(recipient: str, template: str, *, subject: str, locale: str = "de",
               key: str | None = None, municipality_id: int | None = None, attachments=None,
               **context) -> OutboxMessage | None:
    """Render templates/emails/<template>.txt/.html and add the message to the session.

    attachments: optional [(filename, text content, mimetype)], e.g. an .ics invitation."""
    if key is not None:
        exists = db.session.execute(sa.select(OutboxMessage.id).where(OutboxMessage.key == key)).first()
        if exists:
            return None
    with force_locale(locale):
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
    msg = OutboxMessage(recipient=recipient, subject=subject, body_text=text, body_html=html,
                        key=key, municipality_id=municipality_id,
                        attachments=[{"filename": f, "content": c, "mimetype": m} for f, c, m in attachments]
                        if attachments else None)
    db.session.add(msg)
    return msg


def _claim(outbox_id: int) -> bool:
    """Atomically take a due message and record the attempt ("sending", time, count) before any SMTP traffic."""
    now = utcnow()
    res = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id)
        .where(sa.or_(OutboxMessage.status == "pending",
                      sa.and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - sending_grace())))
        .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return res.rowcount == 1


def deliver_outbox(limit: int | None = None) -> dict:
    """Send due messages over the configured backend; failures back off exponentially."""
    limit = limit or current_app.config["OUTBOX_BATCH"]
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    now = utcnow()
    ids = db.session.execute(
        sa.select(OutboxMessage.id)
        .where(sa.or_(sa.and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
                      sa.and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - sending_grace())))
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).scalars().all()
    db.session.rollback()
    stats = {"sent": 0, "failed": 0, "retry": 0}
    if not ids:
        return stats
    connection = mail.get_connection()
    for outbox_id in ids:
        if not _claim(outbox_id):
            continue
        msg = db.session.get(OutboxMessage, outbox_id)
        email = EmailMultiAlternatives(
            subject=msg.subject, body=msg.body_text,
            from_email=current_app.config["MAIL_DEFAULT_SENDER"], to=[msg.recipient],
            connection=connection, headers={"Message-ID": message_id(msg)},
        )
        if msg.body_html:
            email.attach_alternative(msg.body_html, "text/html")
        for att in msg.attachments or []:
            email.attach(att["filename"], att["content"], att["mimetype"])
        try:
            email.send(fail_silently=False)
        except Exception as exc:  # any transport error is retried
            msg.last_error = f"{exc.__class__.__name__}: {exc}"[:1000]
            if msg.attempts >= max_attempts:
                msg.status = "failed"
                stats["failed"] += 1
            else:
                msg.status = "pending"
                msg.next_attempt_at = utcnow() + timedelta(seconds=30 * 2 ** (msg.attempts - 1))
                stats["retry"] += 1
            log.warning("outbox message %s failed (attempt %s): %s", msg.id, msg.attempts, exc)
        else:
            msg.status = "sent"
            msg.sent_at = utcnow()
            msg.last_error = None
            stats["sent"] += 1
        db.session.commit()
    return stats
