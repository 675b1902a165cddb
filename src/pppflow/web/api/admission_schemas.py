"""Request and response bodies of the REST API for admitting new partners (`XCreate` in, `XRead` out)."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from pppflow.services.changes import AdmissionRequest
from pppflow.web.api.schemas import CandidateRead, _In, _Out


class AdmissionCreate(AdmissionRequest):
    """The new partner in the pppflow/v1 partner format, plus the responsibility it takes on."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "key": "acme", "name": "Acme Robotics", "kind": "company",
        "contact": {"name": "Ann de Boer", "email": "ann@acme.example"}, "signatory": {"name": "Bo Smit",
                                                                                     "title": "CEO"},
        "responsibility": "Offers twelve internships a year"}]})


class AdmissionRead(_Out):
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


class ApprovalCreate(_In):
    by: str | None = Field(default=None, min_length=1, max_length=80,
                           description="the key of the existing partner that approves (left out: a partner user's own)")


class RejectionCreate(_In):
    by: str | None = Field(default=None, min_length=1, max_length=80,
                           description="the key of the existing partner that rejects (left out: a partner user's own)")
    reason: str = Field(max_length=4000, description="why; required")


class RejectionRead(_Out):
    ref: str
    candidate: str
    by: str
    status: str = Field(description="rejected: one rejection rejects the admission")
    reason: str


class ApprovalRead(_Out):
    ref: str
    candidate: str
    by: str
    admitted: bool = Field(description="true when this approval was the last one: the candidate is now a partner")
    awaiting: list[str] = Field(description="the partners that must still approve (empty once admitted)")
