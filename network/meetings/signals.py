"""Events of the meetings domain (see core/signals.py); receivers connect in their own domain's setup."""

from network.core.signals import FOLLOWER_PAYLOAD, event_signal

#: A meeting got its date (created with a date, or its date poll was decided).
#: Received by: interest (mails to followers of the body, its topic and the host city).
meeting_scheduled = event_signal(
    "meeting-scheduled", "Ein Treffen wurde angesetzt.",
    meeting="Meeting: the scheduled meeting", **FOLLOWER_PAYLOAD)

#: The minutes of a meeting were published. Received by: interest (followers of the body and its topic).
minutes_published = event_signal(
    "minutes-published", "Das Protokoll eines Treffens wurde veröffentlicht.",
    meeting="Meeting: the meeting whose minutes were published", **FOLLOWER_PAYLOAD)
