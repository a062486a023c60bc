"""Events of the municipalities domain (see core/signals.py); receivers connect in their own domain's setup."""

from network.core.signals import event_signal

#: A city left the network. Sent inside the transaction that records the leaving, so receivers' changes
#: commit or roll back with it. Received by: topics (the city's open and confirmed lead claims end).
city_left = event_signal(
    "city-left", "Eine Kommune ist aus einem Netzwerk ausgetreten.",
    municipality="Municipality: the city that left",
    network="Network: the network it left (it may stay in others)",
    actor="User | None: who recorded it (None: a CLI command)",
    reason="str: the reason recorded with the leaving")
