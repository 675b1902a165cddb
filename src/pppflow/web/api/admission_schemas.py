"""Request bodies of the REST API for admitting new partners (`XCreate`); the answers are in
services/read_models/admissions.py."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from pppflow.services.changes import AdmissionRequest
from pppflow.web.api.schemas import _In


class AdmissionCreate(AdmissionRequest):
    """The new partner in the pppflow/v1 partner format, plus the responsibility it takes on."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "key": "acme", "name": "Acme Robotics", "kind": "company",
        "contact": {"name": "Ann de Boer", "email": "ann@acme.example"}, "signatory": {"name": "Bo Smit",
                                                                                     "title": "CEO"},
        "responsibility": "Offers twelve internships a year"}]})



class ApprovalCreate(_In):
    by: str | None = Field(default=None, min_length=1, max_length=80,
                           description="the key of the existing partner that approves (left out: a partner user's own)")


class RejectionCreate(_In):
    by: str | None = Field(default=None, min_length=1, max_length=80,
                           description="the key of the existing partner that rejects (left out: a partner user's own)")
    reason: str = Field(max_length=4000, description="why; required")

