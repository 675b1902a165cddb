"""Import, export, list, show, advance and history of partnerships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pppflow.adapters.assessment_files import AssessmentFiles
from pppflow.adapters.unit_of_work import UnitOfWork
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.audit import AuditEntry
from pppflow.domain.interchange import partnership_from_spec, partnership_to_spec, slugify
from pppflow.domain.lifecycle import TriggerCheck
from pppflow.domain.model import Partnership
from pppflow.domain.progress import CheckIn
from pppflow.domain.spec import parse_spec
from pppflow.errors import SpecInvalid
from pppflow.services.checkins import plan_checkins, replan_checkins, upcoming_checkin


def unique_ref(name: str, taken: set[str]) -> str:
    """The slug of `name`, with -2, -3, ... appended while it is taken."""
    base = slugify(name)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def import_partnership(raw: Any, *, uow: UnitOfWork, lifecycles: LifecycleRegistry, actor: str,
                       now: datetime) -> Partnership:
    """Validate a spec and store it as a new partnership in its lifecycle's initial stage; all or nothing."""
    spec = parse_spec(raw)
    if spec.workflow not in lifecycles:
        raise SpecInvalid("the partnership spec has 1 problem(s)",
                          details=[f"workflow: unknown lifecycle '{spec.workflow}' "
                                   f"(known: {', '.join(lifecycles.names())})"])
    initial = lifecycles.get(spec.workflow).definition.initial
    with uow:
        ref = unique_ref(spec.name, uow.partnerships.refs_like(slugify(spec.name)))
        p = partnership_from_spec(spec, ref=ref, initial_stage=initial, now=now)
        p.record("partnership.import", actor=actor, now=now, before=None,
                 after={"ref": ref, "name": p.name, "workflow": p.workflow, "stage": p.stage})
        uow.partnerships.add(p)
        uow.commit()
    return p


def amend_partnership(ref: str, raw: Any, *, uow: UnitOfWork, actor: str, now: datetime,
                      reason: str | None = None) -> list[str]:
    """Replace the agreed content with a revised spec; returns the changed sections. All or nothing."""
    from pppflow.domain.amendment import amend

    spec = parse_spec(raw)
    with uow:
        p = uow.partnerships.get(ref)
        changed = amend(p, spec, actor=actor, now=now, reason=reason)
        if {"checkins", "term"} & set(changed):
            replan_checkins(p, uow=uow, actor=actor, now=now)
        if changed:
            uow.commit()
    return changed


def export_partnership(ref: str, *, uow: UnitOfWork) -> dict[str, Any]:
    with uow:
        return partnership_to_spec(uow.partnerships.read(ref))


def list_partnerships(*, uow: UnitOfWork, stage: str | None = None) -> list[Partnership]:
    with uow:
        return uow.partnerships.list(stage=stage)


@dataclass(frozen=True)
class PartnershipStatus:
    """A partnership with what can happen next."""

    partnership: Partnership
    checks: list[TriggerCheck]
    final: bool
    next_checkin: CheckIn | None = None


def show_partnership(ref: str, *, uow: UnitOfWork, lifecycles: LifecycleRegistry,
                     as_of: date | None = None, files: AssessmentFiles | None = None) -> PartnershipStatus:
    """Where a partnership stands; with `as_of`, also its next check-in on that day."""
    with uow:
        p = uow.partnerships.read(ref)
        lifecycle = lifecycles.get(p.workflow)
        if as_of and lifecycle.needs_facts():
            _facts(p, uow, files, as_of)
        upcoming = upcoming_checkin(p, uow=uow, as_of=as_of) if as_of else None
        return PartnershipStatus(p, lifecycle.checks(p), lifecycle.is_final(p.stage), upcoming)


def advance(ref: str, trigger: str, *, uow: UnitOfWork, lifecycles: LifecycleRegistry, actor: str,
            now: datetime, reason: str | None = None, files: AssessmentFiles | None = None) -> Partnership:
    """Fire a trigger; a blocked or invalid trigger raises and nothing is written.

    Entering a stage flagged `schedules_checkins` plans the dated check-ins in the same transaction.
    A trigger whose guards read facts kept outside the aggregate (health, maturity) gets them as of `now`.
    """
    with uow:
        p = uow.partnerships.get(ref)
        lifecycle = lifecycles.get(p.workflow)
        if lifecycle.needs_facts(trigger):
            _facts(p, uow, files, now.date())
        stage = lifecycle.fire(p, trigger, actor=actor, now=now, reason=reason)
        if lifecycle.schedules_checkins(stage):
            plan_checkins(p, uow=uow, actor=actor, now=now)
        uow.commit()
    return p


def _facts(p: Partnership, uow: UnitOfWork, files: AssessmentFiles | None, as_of: date) -> None:
    from pppflow.services.health import attach_guard_facts

    attach_guard_facts(p, uow=uow, files=files or AssessmentFiles(), as_of=as_of)


def history(ref: str, *, uow: UnitOfWork) -> list[AuditEntry]:
    with uow:
        uow.partnerships.get(ref)
        return list(uow.audit.entries(ref))
