"""What a partner records about the obligations its organisation owns, between check-ins or at one.

An effort obligation gets effort-log entries (activities, hours); a result obligation gets result evidence (text).
Each record reports to a check-in: the first open check-in on or after the day it was recorded, so the
coordinator sees it there and on the obligation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from pppflow.domain.consensus import MAX_TEXT, Acting
from pppflow.domain.model import Partnership
from pppflow.errors import BadInput, NotAllowed

EFFORT, EVIDENCE = "effort", "evidence"
MAX_HOURS = Decimal(10_000)
MAX_ACTIVITIES = 50


@dataclass(frozen=True)
class ProgressRecord:
    """One effort-log entry or one piece of result evidence, as a partner recorded it."""

    obligation: str
    partner: str
    kind: str
    activities: tuple[str, ...]
    hours: Decimal | None
    evidence: str | None
    recorded_by: str
    on_behalf_of: str | None
    recorded_at: datetime


def record_progress(p: Partnership, obligation_key: str, acting: Acting, *, activities: Sequence[str] | None,
                    hours: object, evidence: str | None, now: datetime) -> ProgressRecord:
    """Check and record one progress record of the obligation's owner; every problem names its field."""
    o = p.obligation(obligation_key)
    p.partner(acting.partner)
    if o.owner != acting.partner:
        raise NotAllowed(f"obligation {obligation_key!r} is owned by {o.owner}, not {acting.partner}",
                         details=["a partner records progress only for the obligations its organisation owns"])
    if o.is_result:
        if activities or hours not in (None, ""):
            raise BadInput(f"obligation {obligation_key!r} is a result obligation: record evidence, not hours",
                           details=["evidence: what shows the result (text)"])
        text = (evidence or "").strip()
        if not text:
            raise BadInput("evidence: describe what shows the result", details=["evidence: must not be empty"])
        if len(text) > MAX_TEXT:
            raise BadInput(f"evidence: at most {MAX_TEXT} characters")
        record = ProgressRecord(o.key, acting.partner, EVIDENCE, (), None, text, acting.actor, acting.on_behalf_of, now)
    else:
        if evidence:
            raise BadInput(f"obligation {obligation_key!r} is an effort obligation: record activities and hours",
                           details=["activities: what was done; hours: how many"])
        record = ProgressRecord(o.key, acting.partner, EFFORT, _activities(activities), _hours(hours), None,
                                acting.actor, acting.on_behalf_of, now)
    p.record("progress.record", actor=acting.actor, now=now, on_behalf_of=acting.on_behalf_of, before=None,
             after={"obligation": o.key, "partner": acting.partner, "kind": record.kind,
                    "activities": list(record.activities), "hours": record.hours, "evidence": record.evidence})
    return record


def _activities(raw: Sequence[str] | None) -> tuple[str, ...]:
    items = tuple(a.strip() for a in raw or () if a and a.strip())
    if not items:
        raise BadInput("activities: name at least one activity", details=["activities: must not be empty"])
    if len(items) > MAX_ACTIVITIES or any(len(a) > 500 for a in items):
        raise BadInput(f"activities: at most {MAX_ACTIVITIES} activities of at most 500 characters each")
    return items


def _hours(raw: object) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise BadInput(f"hours: a number of hours, got {raw!r}") from None
    if not value.is_finite() or value > MAX_HOURS or value.quantize(Decimal("0.01")) <= 0:
        raise BadInput(f"hours: more than 0 and at most {MAX_HOURS} (to the hundredth), got {raw}")
    return value.quantize(Decimal("0.01")).normalize()


def reports_to(recorded_on: date, checkin_dues: Sequence[date]) -> date | None:
    """The check-in a record reports to: the first on or after the day it was recorded (None: after the last)."""
    return next((d for d in sorted(checkin_dues) if d >= recorded_on), None)
