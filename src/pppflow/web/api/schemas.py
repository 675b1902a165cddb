"""Request bodies of the REST API (`XCreate` in) and its error body; what it answers (`XRead`) is in
services/read_models, shared with the CLI's `--json`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorRead(_Out):
    error: str = Field(description="a stable code, e.g. transition_blocked, spec_invalid, not_found")
    message: str
    details: list[str] = Field(description="every reason or problem, in plain words")













class AdvanceCreate(_In):
    trigger: str = Field(min_length=1, max_length=80, examples=["define_goals"])
    reason: str | None = Field(default=None, max_length=2000)
    months: int | None = Field(default=None, ge=1, le=600, description=(
        "renewal only: extend the term by this many months (default: the spec's term.renewal_months, "
        "else the term's length)"))



class GoalAgreementCreate(_In):
    partner: str | None = Field(default=None, min_length=1, max_length=80,
                                description="the key of the partner that agrees; a partner user may leave it out "
                                            "(its own organisation), a coordinator names the partner it acts for")


class GoalWithdrawalCreate(_In):
    partner: str | None = Field(default=None, min_length=1, max_length=80,
                                description="the partner that withdraws (left out: the partner user's own)")
    comment: str = Field(max_length=4000, description="why; required, it goes into the history")



class ObligationStatusCreate(_In):
    status: Literal["pending", "fulfilled", "accepted", "waived", "breached"]
    evidence: str | None = Field(default=None, max_length=4000)
    reason: str | None = Field(default=None, max_length=2000)






