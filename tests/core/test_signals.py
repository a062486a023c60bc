"""Typed signals (network/core/signals.py): every declared event has a receiver and a checked payload."""

import pytest

from network.core.signals import SIGNALS, event_signal

#: every event the domains declare; a new signal must be added here (and get a receiver)
EXPECTED = {"practice-published", "topic-lead-changed", "meeting-scheduled", "minutes-published",
            "funding-call-published", "report-published", "city-left", "credentials-revoked"}


def test_every_declared_signal_is_known_and_has_a_receiver(app):
    import network.accounts.signals  # noqa: F401  (declared; its sender arrives with the account-security work)
    assert set(SIGNALS) == EXPECTED
    for name, signal in SIGNALS.items():
        assert signal.receivers, f"{name} has no receiver"
        assert signal.doc and signal.payload, f"{name} has no documented payload"
        for key, doc in signal.payload.items():
            assert doc.strip(), f"{name}.{key} is not documented"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_missing_or_unknown_payload_key_is_refused(app, name):
    signal = SIGNALS[name]
    payload = {key: None for key in signal.payload}
    dropped = sorted(payload)[0]
    payload.pop(dropped)
    with pytest.raises(TypeError, match=dropped):
        signal.send(**payload)
    with pytest.raises(TypeError, match="surprise"):
        signal.send(**{key: None for key in signal.payload}, surprise=1)


def test_declaring_twice_returns_the_same_signal():
    assert event_signal("city-left", "again") is SIGNALS["city-left"]
