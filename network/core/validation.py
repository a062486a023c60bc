"""Service-level validation: one German message per field, shared by forms and API."""

import re
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _


class ValidationFailed(Exception):
    """Raised by services; `errors` maps field names to German messages."""

    def __init__(self, errors: dict[str, str], status: int = 422):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.status = status


#: multi-line texts refuse only NUL, as before (databases cannot store it); other control characters there
#: are harmless in bodies and the API schemas do not exclude them
_CONTROL = re.compile(r"\x00")
#: in single-line texts (titles, names) line breaks and tabs are control characters too: a title ends up in
#: mail subjects and headers, where a line break breaks the message
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


#: single-line fields whose names do not say so (they end up in lists, subjects and CSV cells)
SINGLE_LINE_FIELDS = frozenset({"title", "name", "district", "room", "department", "funding_source",
                                "source", "tags", "organisation"})


def is_single_line_field(field: str) -> bool:
    """Fields that are single-line by their name when the caller does not say: titles, names, labels."""
    return field in SINGLE_LINE_FIELDS or field.endswith(("_name", "_title")) or "label" in field


def parse_day(text) -> date:
    """A calendar day as a form sends it: ISO 8601 (2027-01-19, what <input type="date"> submits) or German
    (19.01.2027, 19.1.2027, typed where the browser shows a text field); ValueError otherwise."""
    text = (text or "").strip() if isinstance(text, str) else str(text or "")
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


class Checker:
    """Collects field errors, then raises them together."""

    def __init__(self):
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def text(self, field: str, value, *, label: str, required: bool = True, max_len: int = 200,
             min_len: int = 0, multiline: bool | None = None) -> str:
        """A trimmed text; ``multiline=False`` refuses line breaks and tabs as well as other control characters.

        ``multiline=None`` decides by the field's name (``is_single_line_field``: title, name, …_name, labels).
        """
        if multiline is None:
            multiline = not is_single_line_field(field)
        value = (value or "").strip()
        if required and not value:
            self.add(field, _("Bitte geben Sie %(label)s an.", label=label))
        elif len(value) > max_len:
            self.add(field, _("%(label)s darf höchstens %(n)s Zeichen lang sein.", label=label, n=max_len))
        elif value and len(value) < min_len:
            self.add(field, _("%(label)s muss mindestens %(n)s Zeichen lang sein.", label=label, n=min_len))
        if (_CONTROL if multiline else _CONTROL_LINE).search(value):
            if multiline:
                self.add(field, _("%(label)s enthält ungültige Zeichen.", label=label))
            else:
                self.add(field, _("Bitte geben Sie hier nur eine Zeile ein, ohne Zeilenumbrüche, Tabulatoren "
                                  "oder andere Steuerzeichen."))
        return value

    def email(self, field: str, value) -> str:
        value = (value or "").strip()
        if not value:
            self.add(field, _("Bitte geben Sie eine E-Mail-Adresse an."))
            return value
        if len(value) > 254:
            self.add(field, _("Die E-Mail-Adresse ist zu lang."))
            return value
        try:
            # TESTING allows the reserved .test domain used by the test fixtures
            return validate_email(value, check_deliverability=False,
                                  test_environment=bool(current_app.config.get("TESTING"))).normalized.lower()
        except EmailNotValidError:
            self.add(field, _("Bitte geben Sie eine gültige E-Mail-Adresse an (z. B. name@stadt.de)."))
            return value

    def choice(self, field: str, value, choices, *, label: str) -> str:
        if value not in choices:
            self.add(field, _("Bitte wählen Sie einen gültigen Wert für %(label)s.", label=label))
        return value

    def url(self, field: str, value, *, label: str) -> str:
        value = (value or "").strip()
        if value and (len(value) > 300 or not re.match(r"^https?://[^\s/$.?#][^\s]*$", value)):
            self.add(field, _("%(label)s muss eine Webadresse sein, die mit http:// oder https:// beginnt.", label=label))
        return value

    def password(self, field: str, value, *, email: str = "") -> str:
        value = value or ""
        if len(value) < 10:
            self.add(field, _("Das Passwort muss mindestens 10 Zeichen lang sein."))
        elif len(value) > 200:
            self.add(field, _("Das Passwort darf höchstens 200 Zeichen lang sein."))
        elif email and value.lower() == email.lower():
            self.add(field, _("Das Passwort darf nicht Ihre E-Mail-Adresse sein."))
        return value

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
