"""Import, export, list, show, advance and history of partnerships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.domain.audit import AuditEntry
from pppflow.domain.checkins.progress import CheckIn
from pppflow.domain.interchange import partnership_from_spec, partnership_to_spec, slugify
from pppflow.domain.model import Partnership
from pppflow.errors import AlreadyImported, BadInput, ConflictError, SpecInvalid
from pppflow.services.checkins import close_checkins, plan_checkins, replan_checkins, upcoming_checkin

if TYPE_CHECKING:  # `partnership list` needs none of these: they come with the lifecycles a command loads
    from pppflow.adapters.assessment_files import AssessmentFiles
    from pppflow.adapters.workflow_files import LifecycleRegistry
    from pppflow.domain.lifecycle import TriggerCheck


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
                       now: datetime, as_new: bool = False) -> Partnership:
    """Validate a spec and store it as a new partnership in its lifecycle's initial stage; all or nothing.

    The building block picks the lifecycle unless the spec names a `workflow:`. A partnership of the same name
    that exists already is refused (AlreadyImported, naming its REF) unless `as_new` asks for a copy.
    """
    from pppflow.domain.funding import attach_terms, with_funding
    from pppflow.domain.spec import parse_spec  # the spec's models only when a spec is read

    spec = parse_spec(raw)
    if "workflow" not in spec.model_fields_set:
        spec = spec.model_copy(update={"workflow": lifecycles.for_building_block(spec.building_block,
                                                                                 default=spec.workflow)})
    if spec.workflow not in lifecycles:
        raise SpecInvalid("the partnership spec has 1 problem(s)",
                          details=[f"workflow: unknown lifecycle '{spec.workflow}' "
                                   f"(known: {', '.join(lifecycles.names())})"])
    initial = lifecycles.get(spec.workflow).definition.initial
    spec, terms = with_funding(spec, lifecycles.schemes)
    with uow:
        taken = uow.partnerships.refs_like(slugify(spec.name))
        if slugify(spec.name) in taken and not as_new:
            existing = slugify(spec.name)
            raise AlreadyImported(f"the partnership '{spec.name}' was imported before, as {existing}; "
                                  "nothing was imported", existing_ref=existing)
        ref = unique_ref(spec.name, taken)
        p = partnership_from_spec(spec, ref=ref, initial_stage=initial, now=now)
        attach_terms(p, terms)
        p.record("partnership.import", actor=actor, now=now, before=None,
                 after={"ref": ref, "name": p.name, "workflow": p.workflow, "stage": p.stage})
        uow.partnerships.add(p)
        uow.commit()
    return p


def amend_partnership(ref: str, raw: Any, *, uow: UnitOfWork, actor: str, now: datetime,
                      reason: str | None = None, based_on: str | None = None,
                      lifecycles: LifecycleRegistry | None = None) -> list[str]:
    """Replace the agreed content with a revised spec; returns the changed sections. All or nothing.

    With `based_on` (the content hash a preview showed), a content changed since is a ConflictError.
    """
    from pppflow.domain.agreement.amendment import amend
    from pppflow.domain.agreement.versions import content_hash
    from pppflow.domain.funding import attach_terms, with_funding
    from pppflow.domain.spec import parse_spec

    spec, terms = with_funding(parse_spec(raw), lifecycles.schemes if lifecycles else {})
    with uow:
        p = uow.partnerships.get(ref)
        if based_on is not None and content_hash(p) != based_on:
            raise ConflictError(f"the content of {ref!r} changed since the amendment was previewed",
                                details=["preview the amendment again"])
        changed = amend(p, spec, actor=actor, now=now, reason=reason)
        attach_terms(p, terms)
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
            now: datetime, reason: str | None = None, months: int | None = None,
            files: AssessmentFiles | None = None) -> Partnership:
    """Fire a trigger; a blocked or invalid trigger raises and nothing is written.

    Entering a stage flagged `schedules_checkins` plans the dated check-ins in the same transaction. A trigger
    flagged `extends_term` (a renewal) extends the term by `months`, else by the spec's renewal period, else by
    the term's own length, and replans the check-ins to the new end; entering a final stage closes them.
    A trigger whose guards read facts kept outside the aggregate (health, maturity) gets them as of `now`.
    """
    with uow:
        p = uow.partnerships.get_for_trigger(ref)  # the collections the guards read, when they read them
        lifecycle = lifecycles.get(p.workflow)
        if lifecycle.needs_facts(trigger):
            _facts(p, uow, files, now.date())
        t = lifecycle.definition.trigger(trigger)
        if months is not None and not t.extends_term:
            raise BadInput(f"a renewal period was given, but “{t.title(p.language)}” does not extend the term")
        if t.extends_term:
            p.require_term()
        stage = lifecycle.fire(p, trigger, actor=actor, now=now, reason=reason)
        if t.extends_term:
            p.extend_term(months or p.term_renewal_months or p.term_months or 0, actor=actor, now=now,
                          reason=reason)
            replan_checkins(p, uow=uow, actor=actor, now=now)
        if lifecycle.schedules_checkins(stage):
            plan_checkins(p, uow=uow, actor=actor, now=now)
        elif lifecycle.is_final(stage):
            close_checkins(p, uow=uow, actor=actor, now=now)
        uow.commit()
    return p


def _facts(p: Partnership, uow: UnitOfWork, files: AssessmentFiles | None, as_of: date) -> None:
    from pppflow.services.health import attach_guard_facts

    if files is None:
        from pppflow.adapters.assessment_files import AssessmentFiles

        files = AssessmentFiles()
    attach_guard_facts(p, uow=uow, files=files, as_of=as_of)


def history(ref: str, *, uow: UnitOfWork) -> list[AuditEntry]:
    """The partnership's audit entries up to the chain head (an entry written past it by hand is not history)."""
    with uow:
        uow.partnerships.get(ref)
        return list(uow.audit.entries(ref, upto=max(uow.audit.head()[0], 0)))
