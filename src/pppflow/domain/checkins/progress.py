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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pppflow.domain.checkins.schedule import checkin_status
from pppflow.domain.checkins.status import OPEN_STATES, CheckinState
from pppflow.domain.model import OBLIGATION_STATUS_MOVES, Obligation, ObligationStatus, Partnership
from pppflow.domain.spec import problem_message, problem_path
from pppflow.errors import BadInput


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


class _ObligationProgress(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    key: str = Field(min_length=1)
    activities: list[str] | str | None = None
    hours: Decimal | None = Field(default=None, ge=0, le=100_000)
    status: str | None = None
    evidence: str | None = None


class _ProgressFile(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    notes: str | None = None
    feedback: str | None = None
    obligations: list[_ObligationProgress] = Field(default_factory=list)


def parse_progress(raw: Any, partnership: Partnership) -> ProgressReport:
    """Validate a progress file against the partnership's obligations; BadInput lists every problem by path."""
    if not isinstance(raw, dict):
        raise BadInput("the progress file must hold a mapping",
                       details=["(document): expected notes, feedback and obligations: [{key: ..., ...}]"])
    try:
        parsed = _ProgressFile.model_validate(raw)
    except ValidationError as exc:
        raise BadInput("the progress file is invalid",
                       details=[f"{problem_path(e['loc'])}: " + ("is not a field of a progress file"
                                if e["type"] == "extra_forbidden" else problem_message(e))
                                for e in exc.errors()]) from None
    problems: list[str] = []
    efforts: list[EffortEntry] = []
    results: list[ResultProgress] = []
    known = {o.key: o for o in partnership.obligations}
    seen: set[str] = set()
    for i, item in enumerate(parsed.obligations):
        where = f"obligations[{i}]"
        obligation = known.get(item.key)
        if obligation is None:
            problems.append(f"{where}.key: unknown obligation '{item.key}' (known: {', '.join(known) or 'none'})")
            continue
        if item.key in seen:
            problems.append(f"{where}.key: '{item.key}' is reported twice")
        seen.add(item.key)
        if obligation.is_result:
            problems += _result_problems(where, item, obligation)
            if item.status:
                results.append(ResultProgress(item.key, item.status, item.evidence or None))
        else:
            problems += _effort_problems(where, item)
            activities = [item.activities] if isinstance(item.activities, str) else list(item.activities or [])
            if item.hours is not None:
                efforts.append(EffortEntry(item.key, tuple(a for a in activities if a.strip()), item.hours))
    if problems:
        raise BadInput(f"the progress file has {len(problems)} problem(s)", details=problems)
    return ProgressReport(tuple(efforts), tuple(results), parsed.notes or None, parsed.feedback or None)


def _result_problems(where: str, item: _ObligationProgress, obligation: Obligation) -> list[str]:
    problems = []
    if item.activities is not None or item.hours is not None:
        problems.append(f"{where}: '{item.key}' is a result obligation: report a status and evidence, "
                        "not activities and hours")
    moves = OBLIGATION_STATUS_MOVES[obligation.status]
    if not item.status:
        problems.append(f"{where}.status: is required for a result obligation")
    elif item.status not in {s.value for s in ObligationStatus}:
        problems.append(f"{where}.status: must be one of {', '.join(s.value for s in ObligationStatus)}")
    elif item.status != obligation.status and item.status not in moves:  # the same status reports no change
        problems.append(f"{where}.status: cannot go from {obligation.status} to {item.status} "
                        f"(allowed: {', '.join(moves) or 'none, it is final'})")
    return problems


def _effort_problems(where: str, item: _ObligationProgress) -> list[str]:
    problems = []
    if item.status is not None or item.evidence is not None:
        problems.append(f"{where}: '{item.key}' is an effort obligation: log activities and hours "
                        "(its status is set on the obligation itself)")
    activities = [item.activities] if isinstance(item.activities, str) else list(item.activities or [])
    if not [a for a in activities if a.strip()]:
        problems.append(f"{where}.activities: is required for an effort obligation")
    if item.hours is None:
        problems.append(f"{where}.hours: is required for an effort obligation")
    return problems


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
