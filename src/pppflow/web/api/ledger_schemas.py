"""Request bodies of the ledger API; decimals travel as exact strings (answers: services/read_models/ledger.py)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from pppflow.web.api.schemas import _In

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


