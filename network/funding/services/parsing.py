"""Parsing of amounts, rates and dates from German form input, plain decimals and JSON numbers."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import gettext as _

from network.core.validation import Checker, parse_day
from network.funding.services._common import MAX_AMOUNT

_PLAIN_DECIMAL = re.compile(r"^\d+(\.\d{1,2})?$")


def parse_amount(c: Checker, field: str, value, *, label: str, upper: Decimal = MAX_AMOUNT) -> Decimal | None:
    """A non-negative euro amount: German input ("1.234,56", "1234,56", "1.234 €"), a plain decimal
    ("1234.56") or a JSON number. Empty -> None. Violations go to `field` in German."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        c.add(field, _("%(label)s muss eine Zahl sein, z. B. 1.234,56.", label=label))
        return None
    try:
        if isinstance(value, (int, float, Decimal)):
            amount = Decimal(str(value))
        else:
            text = str(value).replace("\u00a0", " ").replace("€", "").replace("EUR", "").replace("%", "").strip()
            text = text.replace(" ", "")
            negative = text.startswith("-")
            if negative:
                text = text[1:]
            if _PLAIN_DECIMAL.match(text) and text.count(".") == 1 and len(text.split(".")[1]) != 3:
                amount = Decimal(text)
            else:
                amount = Decimal(parse_decimal(text, locale="de", strict=True))
            if negative:
                amount = -amount
    except (InvalidOperation, NumberFormatError, ValueError):
        c.add(field, _("%(label)s muss eine Zahl sein, z. B. 1.234,56.", label=label))
        return None
    if not amount.is_finite():
        c.add(field, _("%(label)s muss eine Zahl sein, z. B. 1.234,56.", label=label))
        return None
    if amount < 0:
        c.add(field, _("%(label)s darf nicht negativ sein.", label=label))
        return None
    if amount > upper:  # before quantize: 309 nines or 1e400 do not fit its 28 digits (InvalidOperation)
        c.add(field, _("%(label)s ist zu groß.", label=label))
        return None
    if amount != amount.quantize(Decimal("0.01")):
        c.add(field, _("%(label)s hat höchstens zwei Nachkommastellen.", label=label))
        return None
    return amount.quantize(Decimal("0.01"))


def parse_rate(c: Checker, field: str, value) -> Decimal | None:
    """The funding rate in percent, 0–100; anything outside (negative, above 100, 1e400) gets the range message."""
    before = set(c.errors)
    label = _("Der Fördersatz")
    rate = parse_amount(c, field, value, label=label, upper=Decimal(100))
    if field in c.errors and field not in before:
        outside = (_("%(label)s ist zu groß.", label=label), _("%(label)s darf nicht negativ sein.", label=label))
        if c.errors[field] in outside or str(value).strip().startswith("-"):
            c.errors[field] = _("Der Fördersatz muss zwischen 0 und 100 Prozent liegen.")
        return None
    return rate


def parse_date(c: Checker, field: str, value, *, label: str, required: bool = False) -> date | None:
    """A calendar day: ISO (2026-03-31) or German (31.03.2026); empty -> None."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = value
    else:
        text = (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value))
        if not text:
            if required:
                c.add(field, _("%(label)s fehlt.", label=label))
            return None
        try:
            parsed = parse_day(text)
        except ValueError:
            c.add(field, _("%(label)s muss ein Datum sein (TT.MM.JJJJ).", label=label))
            return None
    if not date(1990, 1, 1) <= parsed <= date(2100, 12, 31):
        c.add(field, _("%(label)s muss zwischen 1990 und 2100 liegen.", label=label))
        return None
    return parsed
