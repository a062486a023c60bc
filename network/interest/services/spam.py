"""Spam protection of the public form: a honeypot field and a minimum fill time."""

import time

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature

from network.core.validation import Checker
from network.interest.services._common import serializer


def form_started_token(at: float | None = None) -> str:
    """A signed timestamp put into the form when it is shown (minimum fill time)."""
    return serializer("interest-form").dumps({"t": int(at if at is not None else time.time())})


def check_not_a_bot(c: Checker, *, honeypot, started) -> None:
    """Honeypot field empty and the form not sent faster than INTEREST_MIN_FILL_SECONDS."""
    if (honeypot or "").strip():
        c.add("form", _("Ihre Anfrage wurde als automatisiert erkannt und nicht gespeichert. Bitte lassen Sie das "
                        "Feld „Bitte nicht ausfüllen“ leer."))
        return
    try:
        shown = int(serializer("interest-form").loads(started or "")["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        c.add("form", _("Das Formular ist unvollständig übertragen worden. Bitte laden Sie die Seite neu und "
                        "versuchen Sie es erneut."))
        return
    if time.time() - shown < current_app.config["INTEREST_MIN_FILL_SECONDS"]:
        c.add("form", _("Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie das Formular "
                        "noch einmal ab."))
