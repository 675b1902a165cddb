"""Recorded changes to a partnership: goal agreements, obligation statuses, sign-offs, admissions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.interchange import partner_from_spec
from pppflow.domain.model import Admission, Partnership
from pppflow.domain.spec import PartnerSpec
from pppflow.domain.spec_problems import validation_problems
from pppflow.errors import NotAllowed, SpecInvalid


def agree_goal(ref: str, goal: str, partner: str, *, uow: UnitOfWork, actor: str, now: datetime,
               on_behalf_of: str | None = None) -> Partnership:
    with uow:
        p = uow.partnerships.get(ref)
        p.agree_goal(goal, partner, actor=actor, now=now, on_behalf_of=on_behalf_of)
        uow.commit()
    return p


def set_obligation_status(ref: str, key: str, status: str, *, uow: UnitOfWork, actor: str, now: datetime,
                          evidence: str | None = None, reason: str | None = None) -> Partnership:
    with uow:
        p = uow.partnerships.get(ref)
        p.set_obligation_status(key, status, evidence=evidence, actor=actor, now=now, reason=reason)
        uow.commit()
    return p


class AdmissionRequest(PartnerSpec):
    """A partner in the pppflow/v1 format, plus the responsibility it takes on."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    responsibility: str | None = Field(default=None, max_length=4000)


def _ensure_active(p: Partnership, lifecycles: LifecycleRegistry) -> None:
    lifecycle = lifecycles.get(p.workflow)
    if lifecycle.is_final(p.stage) or p.stage == lifecycle.definition.initial:
        stage = lifecycle.definition.stage_title(p.stage, p.language)
        raise NotAllowed(f"partners are admitted to an active partnership; {p.ref} is in stage “{stage}”",
                         details=["in draft, change the spec and import it again"]
                         if p.stage == lifecycle.definition.initial else [])


def request_admission(ref: str, raw: Any, *, uow: UnitOfWork, lifecycles: LifecycleRegistry, actor: str,
                      now: datetime) -> Admission:
    """Propose a new partner from a partner spec; it joins when every existing partner approved."""
    try:
        request = AdmissionRequest.model_validate(raw)
    except ValidationError as exc:
        raise SpecInvalid("the partner file is invalid",
                          details=validation_problems(exc.errors(), raw,
                                                      not_a_field="is not a field of a partner file")) from None
    with uow:
        p = uow.partnerships.get(ref)
        _ensure_active(p, lifecycles)
        admission = p.request_admission(partner_from_spec(request), request.responsibility, actor=actor, now=now)
        uow.commit()
    return admission


def admissions(ref: str, *, uow: UnitOfWork) -> Partnership:
    """A partnership read for its admissions, pending and decided (`Partnership.admissions`)."""
    with uow:
        return uow.partnerships.read(ref)


def approve_admission(ref: str, candidate: str, by: str, *, uow: UnitOfWork, actor: str,
                      now: datetime, on_behalf_of: str | None = None) -> tuple[bool, list[str]]:
    """Record an approval; returns (admitted now, partners still to approve)."""
    with uow:
        p = uow.partnerships.get(ref)
        admitted = p.approve_admission(candidate, by, actor=actor, now=now, on_behalf_of=on_behalf_of)
        waiting = [] if admitted else p.awaiting_approval(candidate)
        uow.commit()
    return admitted, waiting
