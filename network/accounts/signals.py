"""Events of the accounts domain (see core/signals.py); receivers connect in their own domain's setup."""

from network.core.signals import event_signal

#: A user's credentials were ended: after a password reset or change, or on deactivation. Sent inside the
#: transaction of the change. Received by: meetings (the personal calendar feed ends).
credentials_revoked = event_signal(
    "credentials-revoked", "Die Zugangsdaten eines Kontos wurden beendet (Passwort zurückgesetzt oder Konto "
                           "deaktiviert).",
    user="User: whose credentials ended",
    reason="str: 'password_reset' | 'password_changed' | 'deactivated'")
