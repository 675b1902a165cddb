"""The contribution schedule of an agreement: rows per phase, totals per unit, per partner and per phase.

Invariant: amounts are only ever added within one unit. EUR and hours (or hours and hours per year) are
never summed; every total is a list with one entry per unit, in the order the units first appear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pppflow.domain.agreement.formatting import amount_view, to_decimal

PHASES: tuple[str, ...] = ("investment", "maintenance")
CASH_KINDS = frozenset({"cash"})
STAFF_RELEASE = "staff_release"


def _totals(items: Iterable[tuple[str, Decimal]], unit_order: list[str], locale: str) -> list[dict[str, Any]]:
    sums: dict[str, Decimal] = {}
    for unit, value in items:
        sums[unit] = sums.get(unit, Decimal(0)) + value
    return [amount_view(sums[unit], unit, locale) for unit in unit_order if unit in sums]


def _phase_order(rows: list[dict[str, Any]]) -> list[str]:
    extra = [row["phase"] for row in rows if row["phase"] not in PHASES]
    return [p for p in PHASES if any(r["phase"] == p for r in rows)] + list(dict.fromkeys(extra))


def build_contributions(
    contributions: Sequence[Mapping[str, Any]], partner_names: Mapping[str, str], locale: str
) -> dict[str, Any] | None:
    """Build the schedule and its totals from the spec's contributions; None when there are none."""
    if not contributions:
        return None
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(contributions):
        unit = str(item.get("unit") or "").strip()
        value = to_decimal(item.get("amount", 0), field=f"contributions[{index}].amount")
        kind = str(item.get("kind") or "other")
        rows.append({
            "partner": item.get("partner"),
            "partner_name": partner_names.get(str(item.get("partner")), str(item.get("partner"))),
            "kind": kind,
            "nature": "cash" if kind in CASH_KINDS else "in_kind",
            "phase": str(item.get("phase") or "investment"),
            "description": item.get("description") or None,
            "amount": amount_view(value, unit, locale),
        })
    units = list(dict.fromkeys(r["amount"]["unit"] for r in rows))

    def total(selected: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return _totals(((r["amount"]["unit"], r["amount"]["value"]) for r in selected), units, locale)

    phase_keys = _phase_order(rows)
    phases = [
        {"phase": p, "rows": [r for r in rows if r["phase"] == p], "totals": total(r for r in rows if r["phase"] == p)}
        for p in phase_keys
    ]
    partner_keys = [key for key in partner_names if any(r["partner"] == key for r in rows)]
    partner_keys += list(dict.fromkeys(r["partner"] for r in rows if r["partner"] not in partner_names))
    partners = [
        {
            "key": key,
            "name": partner_names.get(key, str(key)),
            "by_phase": {p: total(r for r in rows if r["partner"] == key and r["phase"] == p) for p in phase_keys},
            "totals": total(r for r in rows if r["partner"] == key),
        }
        for key in partner_keys
    ]
    natures = [n for n in ("in_kind", "cash") if any(r["nature"] == n for r in rows)]
    return {
        "rows": rows,
        "units": units,
        "phase_keys": phase_keys,
        "phases": phases,
        "partners": partners,
        "totals": total(rows),
        "by_nature": [{"nature": n, "totals": total(r for r in rows if r["nature"] == n)} for n in natures],
        "staff_release": [r for r in rows if r["kind"] == STAFF_RELEASE],
        "has_cash": "cash" in natures,
        "has_goods": any(r["kind"] in ("equipment", "facilities") for r in rows),
    }
