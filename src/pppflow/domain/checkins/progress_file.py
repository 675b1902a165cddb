"""A progress file (what a held check-in reports per obligation), validated against the partnership's obligations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pppflow.domain.checkins.progress import EffortEntry, ProgressReport, ResultProgress
from pppflow.domain.model import OBLIGATION_STATUS_MOVES, Obligation, ObligationStatus, Partnership
from pppflow.domain.spec_problems import validation_problems
from pppflow.errors import BadInput


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


def parse_progress_file(raw: Any, partnership: Partnership) -> ProgressReport:
    """Validate a progress file against the partnership's obligations; BadInput lists every problem by path."""
    if not isinstance(raw, dict):
        raise BadInput("the progress file must hold a mapping",
                       details=["(document): expected notes, feedback and obligations: [{key: ..., ...}]"])
    try:
        parsed = _ProgressFile.model_validate(raw)
    except ValidationError as exc:
        raise BadInput("the progress file is invalid",
                       details=validation_problems(exc.errors(), raw,
                                                   not_a_field="is not a field of a progress file")) from None
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
