"""Read schemas of a partnership: the summary, the detail and its parts (goals, obligations, contributions, ...)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from pppflow.services.read_models.admissions import AdmissionRead, CandidateRead
from pppflow.services.read_models.base import ReadModel
from pppflow.services.read_models.checkins import CheckinRead


class PartnershipSummaryRead(ReadModel):
    ref: str
    name: str
    workflow: str
    stage: str
    return_stage: str | None = None
    partners: int
    language: str
    updated_at: datetime | None = None


class PartnershipPageRead(ReadModel):
    items: list[PartnershipSummaryRead]
    total: int
    limit: int
    offset: int


class PartnerRead(CandidateRead):
    signed: bool


class GoalRead(ReadModel):
    key: str
    statement: str
    indicators: list[str]
    target_date: date | None = None
    owners: list[str]
    agreed_by: list[str]
    awaiting: list[str]
    withdrawal_proposals: list[dict[str, Any]] = Field(
        default_factory=list, description="withdrawals asked for after the framework was agreed: amendment "
                                          "proposals for the coordinator (partner, comment, at, by, on_behalf_of)")


class GoalAgreedRead(GoalRead):
    """A goal after a partner agreed to it."""

    ref: str
    goal: str = Field(description="the goal's key (as `key`)")


class GoalWithdrawalRead(ReadModel):
    ref: str
    goal: str
    partner: str
    outcome: Literal["withdrawn", "proposed"] = Field(
        description="withdrawn while goals are open; after the framework was agreed, proposed (an amendment "
                    "proposal for the coordinator) and the agreement stands")
    agreed_by: list[str]


class ObligationRead(ReadModel):
    key: str
    title: str
    owner: str
    type: Literal["result", "effort"]
    phase: str
    due: date | None = None
    status: str
    evidence: str | None = None


class ObligationStatusRead(ObligationRead):
    """An obligation after its status changed."""

    ref: str
    obligation: str = Field(description="the obligation's key (as `key`)")


class ContributionRead(ReadModel):
    partner: str
    kind: str
    phase: str
    amount: Decimal
    unit: str
    description: str


class SignOffRead(ReadModel):
    partner: str
    name: str
    title: str
    signed_at: datetime
    method: str
    agreement_version: int | None = None


class TriggerRead(ReadModel):
    trigger: str
    dest: str
    allowed: bool
    reasons: list[str] = Field(description="why the trigger is blocked now; empty when it may fire")
    reason_required: bool


class CoordinatorRead(ReadModel):
    name: str
    email: str


class TermRead(ReadModel):
    start: date | None = None
    months: int | None = None
    notice_days: int
    renewal: str


class CheckinPlanRead(ReadModel):
    cadence: str | None = None
    first: date | None = None
    remind_days_before: int
    grace_days: int
    next: CheckinRead | None = Field(None, description="the next open check-in on today's date")


class ResponsibilityRead(ReadModel):
    partner: str
    role: str


class ChannelRead(ReadModel):
    kind: str
    description: str


class PartnershipRead(ReadModel):
    ref: str
    name: str
    workflow: str
    stage: str
    return_stage: str | None = None
    language: str
    updated_at: datetime | None = None
    building_block: str | None = None
    region: str | None = None
    legal_form: str
    coordinator: CoordinatorRead
    term: TermRead
    checkins: CheckinPlanRead
    partners: list[PartnerRead]
    goals: list[GoalRead]
    responsibilities: list[ResponsibilityRead]
    channels: list[ChannelRead]
    obligations: list[ObligationRead]
    contributions: list[ContributionRead]
    signoffs: list[SignOffRead]
    admissions: list[AdmissionRead]
    triggers: list[TriggerRead]


class AmendmentRead(ReadModel):
    ref: str
    changed: list[str] = Field(description="the sections of the spec that changed")


class AdvanceRead(ReadModel):
    ref: str
    trigger: str
    stage: str


class TotalRead(ReadModel):
    unit: str
    value: Decimal
    text: str = Field(description="formatted for people, e.g. €150,000.00 or 1,200")


class PartnerTotalsRead(ReadModel):
    partner: str
    name: str
    by_phase: dict[str, list[TotalRead]]
    totals: list[TotalRead]


class PhaseTotalsRead(ReadModel):
    phase: str
    totals: list[TotalRead]


class ContributionsRead(ReadModel):
    contributions: list[ContributionRead]
    by_partner: list[PartnerTotalsRead]
    by_phase: list[PhaseTotalsRead]
    totals: list[TotalRead]
