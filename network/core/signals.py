"""Typed signals: one blinker signal per event, declared by the domain that sends it.

A domain declares its events in its own ``signals.py``::

    practice_published = event_signal(
        "practice-published", "A practice was published for the first time.",
        practice="the Practice", **FOLLOWER_PAYLOAD)

and sends them inside the transaction of the change (``practice_published.send(practice=p, ...)``). The
receiving domain connects its receiver in its own ``setup.init_app`` (``practice_published.connect(fn)``), so
"go to definition" leads from the sender to the signal and "find usages" from the signal to every receiver.

``send`` checks the keyword arguments against the documented payload: a missing or unknown key raises
``TypeError`` at once, in tests and in production alike. ``tests/core/test_signals.py`` lists every declared
signal and fails when one has no receiver.
"""

from __future__ import annotations

from blinker import Namespace

_namespace = Namespace()

#: every declared event signal, by name (filled at import of the domains' signals modules)
SIGNALS: dict[str, "EventSignal"] = {}

#: the payload every event for followers carries (the interest domain turns it into mails and the digest)
FOLLOWER_PAYLOAD = {
    "targets": "list[tuple[str, int]]: what it concerns: ('topic', id), ('municipality', id), ('practice', id), "
               "('body', id)",
    "title": "str: one line in German, e.g. the practice title",
    "url": "str: path of the page (url_for(..., _external=False))",
    "audience": "str: who may be told: 'public' | 'network' | 'body:<id>' | 'city:<id>'",
    "actor_id": "int | None: the user who caused it (not told about their own action)",
}


class EventSignal:
    """A named blinker signal whose payload keys are declared and checked on every send."""

    def __init__(self, name: str, doc: str, payload: dict[str, str]):
        self.name = name
        self.doc = doc
        self.payload = dict(payload)
        self._signal = _namespace.signal(name, doc=doc)

    def connect(self, receiver, *, weak: bool = False):
        """Connect ``receiver(sender, **payload)``; strong references, receivers live as long as the app."""
        return self._signal.connect(receiver, weak=weak)

    def disconnect(self, receiver) -> None:
        self._signal.disconnect(receiver)

    @property
    def receivers(self):
        return self._signal.receivers

    def send(self, sender=None, /, **payload):
        """Send with exactly the documented keys (``TypeError`` otherwise); returns the receivers' results."""
        missing = set(self.payload) - set(payload)
        unknown = set(payload) - set(self.payload)
        if missing or unknown:
            raise TypeError(f"signal {self.name}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        if sender is None:
            from flask import current_app
            sender = current_app._get_current_object()
        return self._signal.send(sender, **payload)

    def __repr__(self) -> str:
        return f"<EventSignal {self.name}>"


def event_signal(name: str, doc: str, **payload: str) -> EventSignal:
    """Declare one event: its name, what it means, and each payload key with its type and meaning."""
    if name in SIGNALS:
        return SIGNALS[name]
    sig = EventSignal(name, doc, payload)
    SIGNALS[name] = sig
    return sig
