"""Check-ins: planned when the framework is agreed, recorded when held, missed when not, and the agenda."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.domain.checkins.progress import (
    AgendaItem,
    CheckIn,
    EffortEntry,
    ProgressReport,
    checkin_to_record,
    next_checkin,
    parse_progress,
)
from pppflow.domain.checkins.schedule import expand_checkin_dates, term_end
from pppflow.domain.checkins.status import CheckinState
from pppflow.domain.model import Partnership
from pppflow.errors import BadInput, ConflictError, NotAllowed, NotFound

if TYPE_CHECKING:
    from pppflow.adapters.workflow_files import LifecycleRegistry

SYSTEM_ACTOR = "pppflow"
# A plan without a term is expanded this far from its first check-in.
DEFAULT_HORIZON_MONTHS = 12


def inactive_stages(lifecycles: LifecycleRegistry) -> dict[str, tuple[str, ...]]:
    """Per lifecycle, the final stages: partnerships there get no check-ins reminders and are off the agenda."""
    return {name: lifecycles.get(name).final_stages for name in lifecycles.names()}


def planned_dates(p: Partnership, today: date) -> tuple[list[date], date | None]:
    """The plan's dates from `today` to the end of the term, and that end (None without a term)."""
    if not (p.checkin_cadence and p.checkin_first):
        return [], None
    if p.term_start and p.term_months:
        start, months, end = p.term_start, p.term_months, term_end(p.term_start, p.term_months)
    else:
        start, months, end = p.checkin_first, DEFAULT_HORIZON_MONTHS, None
    # a check-in dated before the framework was agreed cannot have been held under it
    return [d for d in expand_checkin_dates(p.checkin_cadence, p.checkin_first, start, months) if d >= today], end


def plan_checkins(p: Partnership, *, uow: UnitOfWork, actor: str, now: datetime) -> list[date]:
    """Inside the caller's transaction: add the plan's dates from today to the end of the term, skipping the
    dates already planned (re-entering the stage never duplicates); returns the dates added."""
    if not (p.checkin_cadence and p.checkin_first):
        return []
    dates, end = planned_dates(p, now.date())
    added = uow.checkins.schedule(p.ref, dates, end, now=now)
    if added:
        p.record("checkins.schedule", actor=actor, now=now, before=None,
                 after={"cadence": p.checkin_cadence, "added": len(added), "first": added[0], "last": added[-1],
                        "term_end": end})
    return added


def replan_checkins(p: Partnership, *, uow: UnitOfWork, actor: str, now: datetime) -> tuple[list[date], list[date]]:
    """Inside the caller's transaction, after the plan or the term was amended: drop the check-ins from today on
    that the new plan no longer has (only those still `scheduled`), add its new dates; returns (dropped, added).
    Nothing happens to a partnership whose check-ins were never planned."""
    if not uow.checkins.is_planned(p.ref):
        return [], []
    dates, end = planned_dates(p, now.date())
    wanted = set(dates)
    stale = [c.due for c in uow.checkins.list(p.ref, open_only=True)
             if c.status == CheckinState.SCHEDULED and c.due >= now.date() and c.due not in wanted]
    dropped = uow.checkins.unschedule(p.ref, stale)
    added = uow.checkins.schedule(p.ref, dates, end, now=now)
    if dropped or added:
        p.record("checkins.replan", actor=actor, now=now, before={"dropped": dropped},
                 after={"cadence": p.checkin_cadence, "added": added, "term_end": end})
    return dropped, added


def close_checkins(p: Partnership, *, uow: UnitOfWork, actor: str, now: datetime) -> list[date]:
    """Inside the caller's transaction, when the partnership ended: its open check-ins are closed, not owed."""
    closed = uow.checkins.close(p.ref)
    if closed:
        p.record("checkins.close", actor=actor, now=now, before={"checkins": closed, "status": "open"},
                 after={"checkins": closed, "status": CheckinState.CLOSED.value, "stage": p.stage})
    return closed


def upcoming_checkin(p: Partnership, *, uow: UnitOfWork, as_of: date) -> CheckIn | None:
    """Inside an open unit of work: the next check-in not yet held whose grace period has not ended."""
    return next_checkin(uow.checkins.list(p.ref, open_only=True), as_of, p.grace_days)


@dataclass(frozen=True)
class CheckinRecord:
    """A check-in recorded as held, with what was reported at it."""

    partnership: Partnership
    checkin: CheckIn
    report: ProgressReport


def record_checkin(ref: str, *, uow: UnitOfWork, actor: str, now: datetime, held_on: date | None = None,
                   checkin: date | None = None, notes: str | None = None, feedback: str | None = None,
                   progress: Any = None) -> CheckinRecord:
    """Record a check-in held on `held_on` (default today) with its progress; all or nothing.

    Without `checkin` (the planned date) it counts for the nearest open check-in on or before `held_on`
    within the grace period, else for the next one.
    """
    today = now.date()
    held_on = held_on or today
    if held_on > today:
        raise BadInput(f"a check-in cannot have been held on {held_on}: that is after today ({today})")
    with uow:
        p = uow.partnerships.get(ref)
        report = parse_progress(progress, p) if progress is not None else ProgressReport()
        notes = notes if notes is not None else report.notes
        feedback = feedback if feedback is not None else report.feedback
        chosen = _checkin_for(p, uow.checkins.list(ref), held_on, checkin)
        # the check-in row first, the partnership row (its version) at commit: the order every writer uses
        if not uow.checkins.mark_held(ref, chosen.due, held_on=held_on, notes=notes, feedback=feedback,
                                      actor=actor, now=now):
            raise ConflictError(f"the check-in of {chosen.due} was recorded at the same time; nothing was saved")
        uow.checkins.log_effort(ref, chosen.due, report.efforts, actor=actor, now=now)
        for result in report.results:
            if result.status != p.obligation(result.obligation).status:
                p.set_obligation_status(result.obligation, result.status, evidence=result.evidence, actor=actor,
                                        now=now, reason=f"reported at the check-in of {chosen.due}")
        p.record("checkin.record", actor=actor, now=now, before={"checkin": chosen.due, "status": chosen.status},
                 after={"checkin": chosen.due, "status": CheckinState.HELD.value, "held_on": held_on,
                        "notes": notes, "feedback": feedback,
                        "effort": [effort_view(e) for e in report.efforts],
                        "results": [dataclasses.asdict(r) for r in report.results]})
        uow.commit()
    held = dataclasses.replace(chosen, status=CheckinState.HELD.value, held_on=held_on, notes=notes,
                               feedback=feedback, recorded_by=actor, recorded_at=now)
    return CheckinRecord(p, held, report)


def _checkin_for(p: Partnership, planned: list[CheckIn], held_on: date, due: date | None) -> CheckIn:
    if not planned:
        raise NotAllowed(f"{p.ref!r} has no check-ins planned yet",
                         details=["check-ins are planned when the framework is agreed"])
    if due is not None:
        chosen = next((c for c in planned if c.due == due), None)
        if chosen is None:
            near = sorted(planned, key=lambda c: abs((c.due - due).days))[:3]
            raise NotFound(f"{p.ref!r} has no check-in planned on {due}",
                           details=[f"nearest: {', '.join(str(c.due) for c in sorted(near, key=lambda c: c.due))}"])
        if chosen.status == CheckinState.CLOSED:
            raise NotAllowed(f"the check-in of {due} was closed when the partnership ended")
        if not chosen.is_open:
            raise NotAllowed(f"the check-in of {due} was already recorded as held on {chosen.held_on}")
        return chosen
    found = checkin_to_record(planned, held_on, p.grace_days)
    if found is None:
        raise NotAllowed(f"{p.ref!r} has no open check-in on or after {held_on}",
                         details=["to record a late check-in, name its planned date"], hint="name_checkin_date")
    return found


def effort_view(e: EffortEntry) -> dict[str, Any]:
    """An effort-log entry as plain values (for the audit trail and --json)."""
    return {"obligation": e.obligation, "activities": list(e.activities), "hours": e.hours}


@dataclass(frozen=True)
class CheckinOverview:
    """A partnership's check-ins and effort log, with each check-in's status on `as_of`."""

    partnership: Partnership
    checkins: list[CheckIn]
    efforts: list[tuple[date, EffortEntry]]
    as_of: date


def list_checkins(ref: str, *, uow: UnitOfWork, as_of: date) -> CheckinOverview:
    """Every planned check-in of a partnership, and its effort log."""
    with uow:
        p = uow.partnerships.read(ref)
        return CheckinOverview(p, uow.checkins.list(ref), uow.checkins.effort_log(ref), as_of)


def checkins_due(as_of: date, within: int, *, uow: UnitOfWork, lifecycles: LifecycleRegistry) -> list[AgendaItem]:
    """Overdue check-ins and obligations (at any age) and those due within `within` days, portfolio-wide."""
    if within < 0:
        raise BadInput(f"the number of days ahead must be zero or more, not {within}")
    with uow:
        return uow.agenda.items(as_of, within, inactive_stages(lifecycles))


def mark_missed_checkins(as_of: date, *, uow_factory: Callable[[], UnitOfWork], lifecycles: LifecycleRegistry,
                         now: datetime, actor: str = SYSTEM_ACTOR) -> int:
    """Store `missed` on check-ins not held by their date plus the grace days; one transaction per partnership.

    A partnership changed meanwhile (by a coordinator or another worker) is left for the next run.
    """
    with uow_factory() as uow:
        found = uow.agenda.newly_missed(as_of, inactive_stages(lifecycles))
    marked = 0
    for ref, dues in sorted(found.items()):
        try:
            with uow_factory() as uow:
                changed = uow.checkins.mark_missed(ref, dues)
                if not changed:
                    continue
                p = uow.partnerships.get(ref)
                p.record("checkin.missed", actor=actor, now=now,
                         before={"checkins": changed, "status": CheckinState.SCHEDULED.value},
                         after={"checkins": changed, "status": CheckinState.MISSED.value},
                         reason=f"not held within {p.grace_days} days of its date")
                uow.commit()
                marked += len(changed)
        except ConflictError:
            continue
    return marked
