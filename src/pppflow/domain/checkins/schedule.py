"""Check-in schedules: the dates a partnership meets on, and the status of one check-in.

Pure: callers pass every date. A cadence is `weekly`, `monthly`, `quarterly` (also `daily`, `yearly`) or an
RFC 5545 RRULE (`FREQ=WEEKLY;INTERVAL=2`, optionally prefixed `RRULE:`), expanded with dateutil from the first
check-in.

Month ends: `monthly` and `quarterly` keep the day of the month of the first check-in and clamp it to the
last day of shorter months (first on 31 January: 28 February, 31 March, 30 April, ...). A plain RRULE with
FREQ=MONTHLY or FREQ=YEARLY and no BY-parts is clamped the same way; an RRULE with explicit BY-parts
(`BYMONTHDAY=31`) follows RFC 5545 to the letter, which skips the months that lack that day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import islice

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from pppflow.domain.checkins.status import CheckinStatus
from pppflow.errors import BadInput

MAX_CHECKINS = 5_000

# The spec format names weekly, monthly and quarterly; daily and yearly are accepted as the agreement text
# (agreement_format.cadence_view) describes them too.
NAMED_CADENCES: dict[str, str] = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "yearly": "FREQ=YEARLY",
}

RULE_PARTS = frozenset({"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYYEARDAY",
                        "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"})
DAY_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# Parts that only narrow or describe the period; a rule without the others may be clamped at month ends.
PLAIN_PARTS = frozenset({"FREQ", "UNTIL", "COUNT", "INTERVAL", "WKST"})



def term_end(term_start: date, term_months: int) -> date:
    """First day after the term (exclusive end); a start on the 31st clamps like relativedelta."""
    if term_months < 1:
        raise BadInput(f"the term must last at least one month, not {term_months}")
    end: date = term_start + relativedelta(months=term_months)
    return end


def checkin_status(due: date, held_on: date | None, grace_days: int, as_of: date) -> str:
    """`held`, `upcoming` (as_of on or before the date), `due` (within grace) or `missed`."""
    if held_on is not None and held_on <= as_of:
        return CheckinStatus.HELD.value
    if as_of <= due:
        return CheckinStatus.UPCOMING.value
    if as_of <= due + timedelta(days=grace_days):
        return CheckinStatus.DUE.value
    return CheckinStatus.MISSED.value


def expand_checkin_dates(cadence: str, first: date, term_start: date, term_months: int) -> list[date]:
    """Check-in dates from `first` up to and including the last day of the term."""
    last_day = term_end(term_start, term_months) - timedelta(days=1)
    rule = checkin_rule(cadence, first)
    dates: list[date] = []
    # One past the cap tells an absurd rule from one that happens to fit exactly.
    for occurrence in islice(rule, MAX_CHECKINS + 1):
        day = occurrence.date()
        if day > last_day:
            break
        dates.append(day)
    if len(dates) > MAX_CHECKINS:
        raise BadInput(f"check-in cadence {cadence!r} gives more than {MAX_CHECKINS} check-ins in the term",
                       details=["choose a coarser cadence, e.g. weekly or monthly"])
    return dates


def checkin_rule(cadence: str, first: date) -> rrule:
    """The dateutil rule of a cadence, anchored on the first check-in; BadInput when it is not valid."""
    text = NAMED_CADENCES.get(cadence.strip().lower()) if isinstance(cadence, str) else None
    if text is None:
        text = rule_text(cadence)
    parts = rule_parts(text, cadence)
    if "UNTIL" in parts:
        # Check-ins are dates: an UNTIL with a time (and a Z) would clash with the date-only start.
        parts["UNTIL"] = parts["UNTIL"][:8]
        text = ";".join(f"{name}={value}" for name, value in parts.items())
    try:
        rule = rrulestr(text, dtstart=datetime.combine(first, datetime.min.time()))
    except (ValueError, TypeError, OverflowError) as exc:
        raise BadInput(f"check-in cadence {cadence!r} is not a valid RRULE: {exc}",
                       details=["use weekly, monthly, quarterly or an RFC 5545 RRULE like FREQ=WEEKLY;INTERVAL=2"]
                       ) from exc
    if not isinstance(rule, rrule):
        raise BadInput(f"check-in cadence {cadence!r} must be a single RRULE")
    return clamped(rule, parts, first)


def rule_text(cadence: object) -> str:
    """Normalise an RRULE cadence: strip an `RRULE:` prefix and spaces, upper-case."""
    if not isinstance(cadence, str) or not cadence.strip():
        raise BadInput("check-in cadence is empty",
                       details=["use weekly, monthly, quarterly or an RFC 5545 RRULE like FREQ=WEEKLY;INTERVAL=2"])
    text = cadence.strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:"):]
    return text.strip().rstrip(";")


def rule_parts(text: str, cadence: str) -> dict[str, str]:
    """Split `FREQ=...;INTERVAL=...` into its parts, refusing what a check-in date cannot use."""
    parts: dict[str, str] = {}
    for item in text.split(";"):
        name, sep, value = item.strip().partition("=")
        if not sep or not value:
            raise BadInput(f"check-in cadence {cadence!r}: {item.strip()!r} is not NAME=VALUE")
        if name not in RULE_PARTS:
            raise BadInput(f"check-in cadence {cadence!r}: unknown or unsupported rule part {name!r}",
                           details=[f"supported: {', '.join(sorted(RULE_PARTS))}"])
        if name in parts:
            raise BadInput(f"check-in cadence {cadence!r}: {name} is given twice")
        parts[name] = value
    if parts.get("FREQ") not in DAY_FREQUENCIES:
        raise BadInput(f"check-in cadence {cadence!r}: FREQ must be one of {', '.join(DAY_FREQUENCIES)}",
                       details=["check-ins fall on dates, so hourly or finer rules have no meaning"])
    for name in ("INTERVAL", "COUNT"):
        if name in parts and not (parts[name].isdigit() and int(parts[name]) >= 1):
            raise BadInput(f"check-in cadence {cadence!r}: {name} must be a whole number of at least 1")
    if "BYMONTH" in parts and "BYMONTHDAY" in parts and not possible_month_days(parts, cadence):
        raise BadInput(f"check-in cadence {cadence!r} never falls on a real date",
                       details=["no month in BYMONTH has a day in BYMONTHDAY"])
    return parts


def possible_month_days(parts: dict[str, str], cadence: str) -> bool:
    """Whether some BYMONTH month has some BYMONTHDAY day (a cheap check dateutil would spin on)."""
    month_lengths = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    try:
        months = [int(m) for m in parts["BYMONTH"].split(",")]
        days = [int(d) for d in parts["BYMONTHDAY"].split(",")]
    except ValueError:
        return True  # let dateutil name the syntax error
    return any(1 <= m <= 12 and abs(d) <= month_lengths[m - 1] for m in months for d in days)


def clamped(rule: rrule, parts: dict[str, str], first: date) -> rrule:
    """Clamp a plain monthly or yearly rule to the month's last day instead of skipping short months."""
    if not PLAIN_PARTS.issuperset(parts) or first.day <= 28:
        return rule
    if parts["FREQ"] == "MONTHLY":
        # RFC 5545 idiom: of the days 28..N that exist this month, take the last one.
        return rule.replace(bymonthday=tuple(range(28, first.day + 1)), bysetpos=-1)
    if parts["FREQ"] == "YEARLY" and first.month == 2:
        return rule.replace(bymonth=2, bymonthday=(28, 29), bysetpos=-1)
    return rule
