"""Request and response bodies of the ledger API; decimals travel as exact strings."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from pppflow.web.api.schemas import _In, _Out

Number = str | int


class LedgerEntryCreate(_In):
    partner: str = Field(min_length=1, max_length=80)
    phase: str = Field(description="investment or maintenance", max_length=20)
    kind: str = Field(description="cash, hours, staff_release, equipment, facilities or other", max_length=20)
    quantity: Number = Field(description="more than zero, in `unit` (a decimal as a string is exact)")
    unit: str = Field(description="EUR, hours, FTE-months or items", max_length=20)
    rate: Number | None = Field(default=None, description="EUR per unit (default: the partnership's rate table)")
    value: Number | None = Field(default=None, description="the EUR value, e.g. an invoice value")
    role: str | None = Field(default=None, max_length=200, description="the role whose rate applies")
    date: date
    description: str = Field(default="", max_length=2000)
    evidence: str | None = Field(default=None, max_length=2000)


class LedgerCorrectionCreate(_In):
    reason: str = Field(min_length=1, max_length=2000)


class LedgerEntryRead(_Out):
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


class LedgerRead(_Out):
    ref: str
    entries: list[LedgerEntryRead]


class LedgerSummaryRead(_Out):
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
