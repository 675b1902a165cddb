"""Request and response bodies of the REST API (`XCreate` in, `XRead` out); the shapes of services/views.py."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorRead(_Out):
    error: str = Field(description="a stable code, e.g. transition_blocked, spec_invalid, not_found")
    message: str
    details: list[str] = Field(description="every reason or problem, in plain words")


class PartnershipSummaryRead(_Out):
    ref: str
    name: str
    workflow: str
    stage: str
    return_stage: str | None = None
    partners: int
    updated_at: datetime | None = None


class PartnershipPageRead(_Out):
    items: list[PartnershipSummaryRead]
    total: int
    limit: int
    offset: int


class PersonRead(_Out):
    name: str
    email: str | None = None
    title: str | None = None


class CandidateRead(_Out):
    """A partner's own fields: a partner, or a candidate for admission."""

    key: str
    name: str
    kind: str
    contact: PersonRead
    signatory: PersonRead
    address: str | None = None


class PartnerRead(CandidateRead):
    signed: bool


class GoalRead(_Out):
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


class ObligationRead(_Out):
    key: str
    title: str
    owner: str
    type: Literal["result", "effort"]
    phase: str
    due: date | None = None
    status: str
    evidence: str | None = None


class ContributionRead(_Out):
    partner: str
    kind: str
    phase: str
    amount: Decimal
    unit: str
    description: str


class SignOffRead(_Out):
    partner: str
    name: str
    title: str
    signed_at: datetime
    method: str
    agreement_version: int | None = None


class TriggerRead(_Out):
    trigger: str
    dest: str
    allowed: bool
    reasons: list[str] = Field(description="why the trigger is blocked now; empty when it may fire")
    reason_required: bool


class PartnershipRead(_Out):
    ref: str
    name: str
    workflow: str
    stage: str
    return_stage: str | None = None
    updated_at: datetime | None = None
    language: str
    building_block: str | None = None
    region: str | None = None
    legal_form: str
    coordinator: dict[str, Any]
    term: dict[str, Any]
    checkins: dict[str, Any]
    partners: list[PartnerRead]
    goals: list[GoalRead]
    responsibilities: list[dict[str, Any]]
    channels: list[dict[str, Any]]
    obligations: list[ObligationRead]
    contributions: list[ContributionRead]
    signoffs: list[SignOffRead]
    admissions: list[dict[str, Any]]
    triggers: list[TriggerRead]


class AdvanceCreate(_In):
    trigger: str = Field(min_length=1, max_length=80, examples=["define_goals"])
    reason: str | None = Field(default=None, max_length=2000)
    months: int | None = Field(default=None, ge=1, le=600, description=(
        "renewal only: extend the term by this many months (default: the spec's term.renewal_months, "
        "else the term's length)"))


class AdvanceRead(_Out):
    ref: str
    trigger: str
    stage: str


class GoalAgreementCreate(_In):
    partner: str | None = Field(default=None, min_length=1, max_length=80,
                                description="the key of the partner that agrees; a partner user may leave it out "
                                            "(its own organisation), a coordinator names the partner it acts for")


class GoalWithdrawalCreate(_In):
    partner: str | None = Field(default=None, min_length=1, max_length=80,
                                description="the partner that withdraws (left out: the partner user's own)")
    comment: str = Field(max_length=4000, description="why; required, it goes into the history")


class GoalWithdrawalRead(_Out):
    ref: str
    goal: str
    partner: str
    outcome: Literal["withdrawn", "proposed"] = Field(
        description="withdrawn while goals are open; after the framework was agreed, proposed (an amendment "
                    "proposal for the coordinator) and the agreement stands")
    agreed_by: list[str]


class ObligationStatusCreate(_In):
    status: Literal["pending", "fulfilled", "accepted", "waived", "breached"]
    evidence: str | None = Field(default=None, max_length=4000)
    reason: str | None = Field(default=None, max_length=2000)


class TotalRead(_Out):
    unit: str
    value: Decimal
    text: str = Field(description="formatted for people, e.g. €150,000.00 or 1,200")


class PartnerTotalsRead(_Out):
    partner: str
    name: str
    by_phase: dict[str, list[TotalRead]]
    totals: list[TotalRead]


class PhaseTotalsRead(_Out):
    phase: str
    totals: list[TotalRead]


class ContributionsRead(_Out):
    contributions: list[ContributionRead]
    by_partner: list[PartnerTotalsRead]
    by_phase: list[PhaseTotalsRead]
    totals: list[TotalRead]


class AuditEntryRead(_Out):
    seq: int
    partnership: str
    at: str
    actor: str
    action: str
    before: Any = None
    after: Any = None
    reason: str | None = None
    hash: str
    on_behalf_of: str | None = Field(None, description="the partner the actor (a coordinator) acted for; null when "
                                                       "a partner user acted itself or no partner was represented")
    acted_as: str = Field("", description="who acted, in words: 'coordinator NAME on behalf of PARTNER' or the actor")


class ChainReportRead(_Out):
    ok: bool
    entries: int
    broken_at: int | None = None
    problem: str | None = None
    checkpoints: int = 0


class UserRead(_Out):
    username: str
    role: str
    partner_organisation: str | None = None
    disabled: bool
    created_at: datetime
