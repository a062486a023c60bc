"""Events of the funding domain (see core/signals.py); receivers connect in their own domain's setup."""

from network.core.signals import FOLLOWER_PAYLOAD, event_signal

#: A funding call was published to the network (the coordination recorded it as open).
#: Received by: interest (mails to followers of the call's topics).
funding_call_published = event_signal(
    "funding-call-published", "Ein Förderaufruf wurde veröffentlicht.",
    call="FundingCall: the published call", **FOLLOWER_PAYLOAD)
