"""What a held check-in records, and what is coming or overdue: check-ins, effort logs, result progress.

A check-in is stored as `scheduled`, `held` or `missed`; `checkins.checkin_status` tells where it stands on a
given day (`upcoming`, `due` within its grace period, `missed`, `held`). A progress file reports per obligation:
for an effort obligation an effort-log entry (activities, hours), for a result obligation a status and evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pppflow.domain.checkins.schedule import checkin_status
from pppflow.domain.checkins.status import OPEN_STATES, CheckinState
from pppflow.domain.model import Partnership


@dataclass(frozen=True)
class CheckIn:
    """One dated check-in of a partnership; `status` is the stored one, `status_on` the one on a day."""

    partnership_ref: str
    due: date
    status: str = CheckinState.SCHEDULED.value
    held_on: date | None = None
    notes: str | None = None
    feedback: str | None = None
    recorded_by: str | None = None
    recorded_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def status_on(self, as_of: date, grace_days: int) -> str:
        """`held`, `upcoming`, `due` (within grace), `missed` or `closed` on `as_of`."""
        if self.status == CheckinState.CLOSED:
            return CheckinState.CLOSED.value
        return checkin_status(self.due, self.held_on, grace_days, as_of)


@dataclass(frozen=True)
class EffortEntry:
    """An effort-log entry: what was done for an effort obligation since the last check-in."""

    obligation: str
    activities: tuple[str, ...]
    hours: Decimal


@dataclass(frozen=True)
class ResultProgress:
    """Where a result obligation stands at a check-in."""

    obligation: str
    status: str
    evidence: str | None = None


@dataclass(frozen=True)
class ProgressReport:
    """Everything a check-in reports besides the date it was held."""

    efforts: tuple[EffortEntry, ...] = ()
    results: tuple[ResultProgress, ...] = ()
    notes: str | None = None
    feedback: str | None = None


@dataclass(frozen=True)
class AgendaItem:
    """A check-in or an obligation that is coming up or overdue, for the portfolio's agenda."""

    kind: str              # checkin | obligation
    ref: str
    name: str
    day: date
    status: str            # upcoming | due | missed (check-ins); upcoming | overdue (obligations)
    obligation: str | None = None
    title: str | None = None
    owner: str | None = None


def parse_progress(raw: Any, partnership: Partnership) -> ProgressReport:
    """Validate a progress file against the partnership's obligations; BadInput lists every problem by path."""
    from pppflow.domain.checkins.progress_file import parse_progress_file  # its pydantic models when one is read

    return parse_progress_file(raw, partnership)


def checkin_to_record(checkins: Sequence[CheckIn], held_on: date, grace_days: int) -> CheckIn | None:
    """The open check-in a meeting on `held_on` counts for: the nearest one on or before it within its grace
    period, else the next one after it."""
    open_ = [c for c in checkins if c.is_open]
    within = [c for c in open_ if c.due <= held_on <= c.due + timedelta(days=grace_days)]
    if within:
        return max(within, key=lambda c: c.due)
    later = [c for c in open_ if c.due > held_on]
    return min(later, key=lambda c: c.due) if later else None


def next_checkin(checkins: Sequence[CheckIn], as_of: date, grace_days: int) -> CheckIn | None:
    """The first check-in not yet held whose grace period has not ended on `as_of`."""
    coming = [c for c in checkins if c.is_open and c.due + timedelta(days=grace_days) >= as_of]
    return min(coming, key=lambda c: c.due) if coming else None


def obligation_agenda_status(due: date, as_of: date) -> str:
    """`upcoming` until the due date, `overdue` from the day after."""
    return "upcoming" if as_of <= due else "overdue"
