"""Rich rendering of `ledger summary` for people."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from pppflow.cli.output import console, escape


def _pct(rate: str | None) -> str:
    return "-" if rate is None else f"{rate} %"


def print_summary(s: dict[str, Any]) -> None:
    """The lines (committed vs realised per partner, phase, kind, unit), the groups in EUR, and the totals."""
    lines = Table(title=f"Committed vs realised: {s['ref']} (as of {s['as_of']})", title_justify="left")
    for col in ("Partner", "Phase", "Kind", "Unit", "Committed", "Realised", "Difference", "Rate", "Committed EUR",
                "Realised EUR", ""):
        lines.add_column(col, justify="left" if col in ("Partner", "Phase", "Kind", "Unit", "") else "right")
    for x in s["lines"]:
        lines.add_row(escape(x["partner"]), x["phase"], x["kind"], escape(x["unit"]), x["committed"], x["realised"],
                      x["difference"], _pct(x["rate"]), x["committed_eur"] or "not valued", x["realised_eur"],
                      "[red]shortfall[/]" if x["shortfall"] else "")
    console.print(lines)
    for title, key in (("Per partner (EUR)", "by_partner"), ("Per phase (EUR)", "by_phase"),
                       ("Per kind (EUR)", "by_kind")):
        t = Table(title=title, title_justify="left")
        for col in ("", "Committed", "Realised", "Difference", "Rate"):
            t.add_column(col, justify="left" if not col else "right")
        for name, m in s[key].items():
            t.add_row(escape(name), m["committed_eur"], m["realised_eur"], m["difference_eur"], _pct(m["rate"]))
        console.print(t)
    if s["by_year"]:
        t = Table(title="Realised per year", title_justify="left")
        t.add_column("Year")
        t.add_column("Realised")
        for year, units in s["by_year"].items():
            t.add_row(year, "; ".join(f"{v} {u}" if u != "value_eur" else f"{v} EUR value" for u, v in units.items()))
        console.print(t)
    total = s["totals"]
    console.print(f"[bold]Total[/]: committed {total['committed_eur']} EUR, realised {total['realised_eur']} EUR, "
                  f"difference {total['difference_eur']} EUR, rate {_pct(total['rate'])}"
                  + (f" ({total['unvalued_commitments']} commitment(s) without an EUR valuation)"
                     if total["unvalued_commitments"] else ""))
    for unit, q in s["quantities"].items():
        console.print(f"  {escape(unit)}: committed {q['committed']}, realised {q['realised']}")
