"""Read schemas of the audit trail: an entry, the chain's verification, a checkpoint."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pppflow.services.read_models.base import ReadModel


class AuditEntryRead(ReadModel):
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


class ChainReportRead(ReadModel):
    ok: bool
    entries: int
    broken_at: int | None = None
    problem: str | None = None
    checkpoints: int = 0
