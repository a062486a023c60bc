"""Small parsers shared by forms, API and CSV import: months, amounts, yes/no; and their display formats."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

#: the documented range of every amount (budget_eur): 0 to one trillion euros (10^12)
MAX_BUDGET_EUR = 10**12


class AmountOutOfRange(ValueError):
    """A number, but not between 0 and MAX_BUDGET_EUR (negative, huge, infinite or NaN)."""


_MONTH_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[./](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})$"), ("y",)),
)


def parse_month(value) -> date | None:
    """'2026-03', '03/2026', '03.2026', '15.03.2026', '2026' -> date(2026, 3, 1); '' -> None; else ValueError."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value).strip()
    if not text:
        return None
    for pattern, parts in _MONTH_PATTERNS:
        m = pattern.match(text)
        if m:
            got = dict(zip(parts, m.groups()))
            year, month = int(got["y"]), int(got.get("m") or 1)
            if got.get("d") is not None:
                date(year, month, int(got["d"]))  # raises for 31.02.
            if not (1990 <= year <= 2100 and 1 <= month <= 12):
                raise ValueError(text)
            return date(year, month, 1)
    raise ValueError(text)


def format_month(value: date | None) -> str:
    """date(2026, 3, 1) -> '03/2026'."""
    return f"{value.month:02d}/{value.year}" if value else ""


def parse_budget(value) -> int | None:
    """'12.500', '12500', '12.500,00 €', 12500 -> 12500; '' -> None.

    Anything that is no amount raises ValueError; an amount outside 0 – MAX_BUDGET_EUR (also 1e400, Infinity,
    NaN from JSON) raises AmountOutOfRange. Digits are read as Decimal, never as float, so no length of input
    overflows.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise AmountOutOfRange(value)
        number = Decimal(value)
    else:
        text = str(value).strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?|\d+(,\d{1,2})?", text):
            number = Decimal(text.replace(".", "").replace(",", "."))
        elif re.fullmatch(r"\d+(\.\d{1,2})?", text):
            number = Decimal(text)
        elif re.fullmatch(r"-\s*[\d.,]+", text):
            raise AmountOutOfRange(value)  # a negative amount: a number, but outside the range
        else:
            raise ValueError(value)
    if not 0 <= number <= MAX_BUDGET_EUR:
        raise AmountOutOfRange(value)
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def parse_bool(value) -> bool:
    """'ja', 'x', '1', 'true', True -> True; anything else False."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "y", "ja", "j", "x", "yes", "true", "wahr", "on")


def format_eur(value: int | None) -> str:
    """12500 -> '12.500 €'; None -> ''."""
    return f"{value:,} €".replace(",", ".") if value is not None else ""
