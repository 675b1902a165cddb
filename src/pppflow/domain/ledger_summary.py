"""Committed (the spec's contributions) against realised (the ledger), per partner, phase, kind, unit and year.

Quantities are compared only within one unit; EUR valuations are what is added across units. A committed
contribution in another unit is valued by the rate table when it has a rate, else it has no EUR valuation
(counted in `unvalued`, never guessed). "X per year" commitments count for every year of the term.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pppflow.domain.ledger import COMMITTED_KIND, LedgerEntry, LedgerUnit, Rate, cents, find_rate, term_end
from pppflow.domain.model import Contribution, Partnership

_UNIT_WORDS = {"eur": "EUR", "euro": "EUR", "hour": "hours", "hours": "hours", "fte-months": "FTE-months",
               "fte months": "FTE-months", "fte-month": "FTE-months", "items": "items", "item": "items"}


def committed_unit(p: Partnership, c: Contribution) -> tuple[str, Decimal]:
    """The ledger unit of a committed contribution and its quantity over the term ('per year' multiplied out)."""
    words = c.unit.strip()
    amount = Decimal(c.amount)
    if words.lower().endswith(" per year"):
        words = words[: -len(" per year")]
        amount = amount * Decimal(p.term_months or 12) / 12
    return _UNIT_WORDS.get(words.lower(), words), amount


def realisation_rate(realised: Decimal, committed: Decimal) -> Decimal | None:
    """Realised as a percentage of committed, to one decimal (None when nothing was committed)."""
    if committed <= 0:
        return None
    return (realised * 100 / committed).quantize(Decimal("0.1"))


@dataclass
class Line:
    """Committed and realised for one partner, phase, kind and unit."""

    partner: str
    phase: str
    kind: str
    unit: str
    committed: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    committed_eur: Decimal | None = Decimal("0.00")
    realised_eur: Decimal = Decimal("0.00")
    shortfall: bool = False

    def view(self) -> dict[str, Any]:
        rate = realisation_rate(self.realised, self.committed)
        return {"partner": self.partner, "phase": self.phase, "kind": self.kind, "unit": self.unit,
                "committed": str(self.committed), "realised": str(self.realised),
                "difference": str(self.realised - self.committed), "rate": None if rate is None else str(rate),
                "committed_eur": None if self.committed_eur is None else str(self.committed_eur),
                "realised_eur": str(self.realised_eur), "shortfall": self.shortfall}


@dataclass
class Money:
    """EUR committed (valued part) and realised, for one group."""

    committed_eur: Decimal = Decimal("0.00")
    realised_eur: Decimal = Decimal("0.00")
    unvalued: int = 0  # committed lines without an EUR valuation

    def view(self) -> dict[str, Any]:
        rate = realisation_rate(self.realised_eur, self.committed_eur)
        return {"committed_eur": str(self.committed_eur), "realised_eur": str(self.realised_eur),
                "difference_eur": str(self.realised_eur - self.committed_eur),
                "rate": None if rate is None else str(rate), "unvalued_commitments": self.unvalued}


@dataclass
class LedgerSummary:
    """The whole comparison; `view()` is what `ledger summary --json`, the API and the reports show."""

    ref: str
    as_of: date
    lines: list[Line]
    by_partner: dict[str, Money] = field(default_factory=dict)
    by_phase: dict[str, Money] = field(default_factory=dict)
    by_kind: dict[str, Money] = field(default_factory=dict)
    by_year: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    quantities: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    total: Money = field(default_factory=Money)
    shortfall_after: date | None = None

    def view(self) -> dict[str, Any]:
        return {
            "ref": self.ref, "as_of": self.as_of.isoformat(),
            "shortfalls_flagged_after": self.shortfall_after.isoformat() if self.shortfall_after else None,
            "lines": [x.view() for x in self.lines],
            "by_partner": {k: v.view() for k, v in self.by_partner.items()},
            "by_phase": {k: v.view() for k, v in self.by_phase.items()},
            "by_kind": {k: v.view() for k, v in self.by_kind.items()},
            "by_year": {str(y): {u: str(q) for u, q in units.items()} for y, units in sorted(self.by_year.items())},
            "quantities": {u: {k: str(v) for k, v in q.items()} for u, q in self.quantities.items()},
            "totals": self.total.view(),
        }


def summarise(p: Partnership, entries: list[LedgerEntry], rates: list[Rate], *, as_of: date,
              upto: date | None = None) -> LedgerSummary:
    """Compare the spec's commitments with the ledger (only entries dated up to `upto`, when given); shortfalls
    are flagged when `as_of` is past the end of the term."""
    lines: dict[tuple[str, str, str, str], Line] = {}

    def line(partner: str, phase: str, kind: str, unit: str) -> Line:
        key = (partner, phase, kind, unit)
        if key not in lines:
            lines[key] = Line(partner, phase, kind, unit)
        return lines[key]

    for c in p.contributions:
        kind = COMMITTED_KIND.get(c.kind, c.kind)
        unit, amount = committed_unit(p, c)
        x = line(c.partner_key, c.phase, kind, unit)
        x.committed += amount
        if unit == LedgerUnit.EUR:
            value: Decimal | None = cents(amount)
        else:
            r = find_rate(rates, unit=unit, role=None, partner=c.partner_key, kind=kind)
            value = cents(amount * r.eur) if r else None
        x.committed_eur = None if value is None or x.committed_eur is None else x.committed_eur + value
    by_year: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for e in (e for e in entries if upto is None or e.on <= upto):
        x = line(e.partner, e.phase, e.kind, e.unit)
        x.realised += e.quantity
        x.realised_eur += e.value_eur
        by_year[e.year][e.unit] += e.quantity
        by_year[e.year]["value_eur"] += e.value_eur
    end = term_end(p)
    summary = LedgerSummary(p.ref, as_of, sorted(lines.values(), key=lambda x: (x.partner, x.phase, x.kind, x.unit)),
                            shortfall_after=end)
    summary.by_year = {y: dict(units) for y, units in by_year.items()}
    for x in summary.lines:
        x.shortfall = bool(end and as_of >= end and x.realised < x.committed)
        for groups, key in ((summary.by_partner, x.partner), (summary.by_phase, x.phase), (summary.by_kind, x.kind)):
            _add(groups.setdefault(key, Money()), x)
        _add(summary.total, x)
        q = summary.quantities.setdefault(x.unit, {"committed": Decimal(0), "realised": Decimal(0)})
        q["committed"] += x.committed
        q["realised"] += x.realised
    return summary


def _add(money: Money, x: Line) -> None:
    if x.committed_eur is None:
        money.unvalued += 1
    else:
        money.committed_eur += x.committed_eur
    money.realised_eur += x.realised_eur
