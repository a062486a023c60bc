"""Events of the practices domain (see core/signals.py); receivers connect in their own domain's setup."""

from network.core.signals import FOLLOWER_PAYLOAD, event_signal

#: A practice was published for the first time (not on later edits, not on re-publishing after archiving).
#: Received by: interest (mails to followers of the practice's topics and city).
practice_published = event_signal(
    "practice-published", "Ein Praxisbericht wurde zum ersten Mal veröffentlicht.",
    practice="Practice: the published practice", **FOLLOWER_PAYLOAD)
