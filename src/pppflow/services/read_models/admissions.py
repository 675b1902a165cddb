"""Read schemas of admitting new partners: the candidate, the admission, an approval, a rejection."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from pppflow.services.read_models.base import ReadModel


class PersonRead(ReadModel):
    name: str
    email: str | None = None
    title: str | None = None


class CandidateRead(ReadModel):
    """A partner's own fields: a partner, or a candidate for admission."""

    key: str
    name: str
    kind: str
    contact: PersonRead
    signatory: PersonRead
    address: str | None = None
    registration_number: str | None = None


class AdmissionRead(ReadModel):
    ref: str
    candidate: str = Field(description="the proposed partner's key")
    partner: CandidateRead
    responsibility: str | None = None
    status: str = Field(description="pending until every existing partner approved, then admitted")
    approvals: list[str] = Field(description="the partners that approved")
    awaiting: list[str] = Field(description="the partners that must still approve (empty once decided)")
    requested_at: datetime
    requested_by: str
    decided_at: datetime | None = None
    rejected_by: str | None = Field(None, description="the partner whose rejection rejected the admission")
    rejection_reason: str | None = None


class ApprovalRead(ReadModel):
    ref: str
    candidate: str
    by: str
    admitted: bool = Field(description="true when this approval was the last one: the candidate is now a partner")
    awaiting: list[str] = Field(description="the partners that must still approve (empty once admitted)")


class RejectionRead(ReadModel):
    ref: str
    candidate: str
    by: str
    status: str = Field(description="rejected: one rejection rejects the admission")
    reason: str
