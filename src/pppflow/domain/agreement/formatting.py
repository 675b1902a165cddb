"""Locale-aware formatting and small date and amount rules for the agreement view model.

Pure: Babel only reads its bundled locale data. Amounts are `Decimal` throughout; a unit that is an ISO 4217
currency code is formatted as money, any other unit (hours, hours per year) as a plain number plus the unit.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, is_currency

from pppflow.errors import BadInput

LOCALES: dict[str, str] = {"en": "en_GB", "nl": "nl_NL"}

_CADENCES = {"daily", "weekly", "monthly", "quarterly", "yearly"}
_RRULE_FREQ = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}


def locale_for(lang: str) -> str:
    """Return the Babel locale for an agreement language, or raise BadInput."""
    try:
        return LOCALES[lang]
    except KeyError:
        raise BadInput(
            f"unknown agreement language {lang!r}", details=[f"supported: {', '.join(sorted(LOCALES))}"]
        ) from None


def to_decimal(value: Any, *, field: str = "amount") -> Decimal:
    """Turn an int, float, Decimal or numeric string into a Decimal (floats via their shortest repr)."""
    if isinstance(value, bool):
        raise BadInput(f"{field} must be a number, not {value!r}")
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise BadInput(f"{field} must be a number, not {value!r}") from None


def is_currency_unit(unit: str) -> bool:
    """Whether a contribution unit is an ISO 4217 currency code such as EUR."""
    return len(unit) == 3 and unit.isalpha() and unit.isupper() and is_currency(unit)


def amount_view(value: Decimal, unit: str, locale: str) -> dict[str, Any]:
    """The view of one amount: money fully formatted, other units as a number whose unit the template names."""
    currency, number, text = _formatted(str(value), unit, locale)
    return {"value": value, "unit": unit, "currency": currency, "number": number, "text": text}


@lru_cache(maxsize=4096)
def _formatted(value: str, unit: str, locale: str) -> tuple[bool, str, str | None]:
    """Babel's formatting of an amount (about 50 µs each; a page of contributions repeats the same few)."""
    currency = is_currency_unit(unit)
    number = Decimal(value)
    return (currency, format_decimal(number, locale=locale),
            format_currency(number, unit, locale=locale) if currency else None)


def long_date(value: date | datetime | None, locale: str) -> str | None:
    """Format a date in the long form of the locale ("1 september 2027"); None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="long", locale=locale)


def iso_date(value: date | datetime | None) -> str | None:
    """The ISO form of a date (the date part of a datetime); None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def add_months(start: date, months: int) -> date:
    """Add calendar months, clamping the day to the end of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def term_end(start: date, months: int) -> date:
    """The last day of a term of `months` months that starts on `start` (inclusive)."""
    return date.fromordinal(add_months(start, months).toordinal() - 1)


def cadence_view(cadence: str) -> dict[str, Any]:
    """Describe a check-in cadence: a named one, or an RFC 5545 RRULE reduced to frequency and interval."""
    text = str(cadence).strip()
    if text.lower() in _CADENCES:
        return {"freq": text.lower(), "interval": 1, "rule": None}
    parts = dict(
        part.split("=", 1) for part in text.removeprefix("RRULE:").upper().split(";") if "=" in part
    )
    freq = _RRULE_FREQ.get(parts.get("FREQ", ""))
    interval = parts.get("INTERVAL", "1")
    # Only FREQ and INTERVAL can be said in plain words; any other part (BYDAY, COUNT...) shows the rule itself.
    if freq and re.fullmatch(r"[1-9][0-9]{0,3}", interval) and set(parts) <= {"FREQ", "INTERVAL"}:
        return {"freq": freq, "interval": int(interval), "rule": None}
    return {"freq": None, "interval": None, "rule": text}
