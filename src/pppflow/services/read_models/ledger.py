"""Read schemas of the contribution ledger; decimals travel as exact strings."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from pppflow.services.read_models.base import ReadModel


class LedgerEntryRead(ReadModel):
    id: int
    partner: str
    phase: str
    kind: str
    quantity: str
    unit: str
    value_eur: str
    basis: str
    date: date
    description: str
    evidence: str | None
    entered_by: str
    entered_as: str = Field(description="partner (its own user) or coordinator (on the partner's behalf)")
    recorded_at: str
    corrects: int | None = Field(description="the entry this one reverses")
    reason: str | None
    effort_id: int | None = Field(description="the check-in effort-log line it books")


class LedgerRead(ReadModel):
    ref: str
    entries: list[LedgerEntryRead]


class BookedRead(LedgerRead):
    """The entries booked from one check-in's effort log."""

    checkin: date


class LedgerSummaryRead(ReadModel):
    ref: str
    as_of: date
    shortfalls_flagged_after: date | None
    lines: list[dict[str, Any]] = Field(description="committed vs realised per partner, phase, kind and unit")
    by_partner: dict[str, dict[str, Any]]
    by_phase: dict[str, dict[str, Any]]
    by_kind: dict[str, dict[str, Any]]
    by_year: dict[str, dict[str, str]]
    quantities: dict[str, dict[str, str]]
    totals: dict[str, Any]


class LedgerEvidenceRead(ReadModel):
    """A file attached to a ledger entry (a reversing entry lists its target's too)."""

    entry_id: int
    sha256: str
    filename: str
    media_type: str
    size: int
    attached_by: str
    attached_as: str
    attached_at: str
