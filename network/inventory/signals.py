"""Events of the inventory domain (see core/signals.py); receivers connect in their own domain's setup."""

from network.core.signals import FOLLOWER_PAYLOAD, event_signal

#: A city froze its inventory into a yearly status report (Sachstandsbericht); reports are published at once.
#: Received by: interest (mails to followers of the city).
report_published = event_signal(
    "report-published", "Eine Kommune hat einen Sachstandsbericht veröffentlicht.",
    report="StatusReport: the frozen report", **FOLLOWER_PAYLOAD)
