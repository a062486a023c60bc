"""Events of the topics domain (see core/signals.py); receivers connect in their own domain's setup."""

from network.core.signals import FOLLOWER_PAYLOAD, event_signal

#: A topic got a new lead city, or lost its lead (confirmed claim, handover, withdrawal, a city leaving).
#: Received by: interest (mails to followers of the topic); meetings (the new lead city joins the topic's project
#: groups).
topic_lead_changed = event_signal(
    "topic-lead-changed", "Die Federführung eines Themas hat gewechselt oder ist entfallen.",
    topic="Topic: the topic", municipality="Municipality | None: the new lead city (None: no lead)",
    **FOLLOWER_PAYLOAD)
