"""The funder report's content: per objective, what was done, and the finances, up to a period end. Pure.

Its finances are the ledger summary as of the period end (`summarise`), so every format (JSON, CSV, XLSX, the PDF's
embedded JSON) reconciles exactly with `pppflow ledger summary REF --as-of PERIOD_END`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pppflow.domain.checkins.progress import CheckIn, EffortEntry
from pppflow.domain.funding import co_financing_view
from pppflow.domain.ledger_summary import LedgerSummary
from pppflow.domain.model import Partnership

LANGUAGES = ("nl", "en")
FORMATS = ("pdf", "csv", "xlsx", "json")

LABELS: dict[str, dict[str, str]] = {
    "en": {"title": "Progress report to the funder", "period_end": "Period ending", "scheme": "Funding scheme",
           "objectives": "Objectives", "indicators": "Indicators", "target": "Target date", "owners": "Owners",
           "activities": "What was done", "obligations": "Obligations", "status": "Status", "evidence": "Evidence",
           "due": "Due", "checkins": "Check-ins", "held": "held", "missed": "missed", "effort": "Effort hours",
           "finances": "Finances", "partner": "Partner", "phase": "Phase", "kind": "Kind", "unit": "Unit",
           "committed": "Committed", "realised": "Realised", "difference": "Difference", "rate": "Rate",
           "committed_eur": "Committed EUR", "realised_eur": "Realised EUR", "total": "Total",
           "co_financing": "Co-financing", "required": "required", "budget": "Budget",
           "public": "Public contribution", "generated": "Generated", "none": "none"},
    "nl": {"title": "Voortgangsrapportage aan de financier", "period_end": "Periode tot en met",
           "scheme": "Regeling", "objectives": "Doelen", "indicators": "Indicatoren", "target": "Streefdatum",
           "owners": "Eigenaren", "activities": "Wat is gedaan", "obligations": "Verplichtingen", "status": "Status",
           "evidence": "Bewijs", "due": "Uiterlijk", "checkins": "Overleggen", "held": "gehouden",
           "missed": "gemist", "effort": "Inspanning (uren)", "finances": "Financiën", "partner": "Partner",
           "phase": "Fase", "kind": "Soort", "unit": "Eenheid", "committed": "Toegezegd",
           "realised": "Gerealiseerd", "difference": "Verschil", "rate": "Realisatie",
           "committed_eur": "Toegezegd EUR", "realised_eur": "Gerealiseerd EUR", "total": "Totaal",
           "co_financing": "Cofinanciering", "required": "vereist", "budget": "Begroting",
           "public": "Publieke bijdrage", "generated": "Gemaakt", "none": "geen"},
}


def build_report(p: Partnership, summary: LedgerSummary, checkins: list[CheckIn],
                 efforts: list[tuple[date, EffortEntry]], *, period_end: date, lang: str) -> dict[str, Any]:
    """The report as plain values (decimals as exact strings), in `lang` (its labels; data stays as entered)."""
    held = [c for c in checkins if c.due <= period_end and c.status_on(period_end, p.grace_days) == "held"]
    missed = [c for c in checkins if c.due <= period_end and c.status_on(period_end, p.grace_days) == "missed"]
    hours: dict[str, Decimal] = defaultdict(Decimal)
    for due, e in efforts:
        if due <= period_end:
            hours[e.obligation] += e.hours
    finances = summary.view()
    return {
        "report": "funder", "lang": lang, "labels": LABELS[lang], "ref": p.ref, "name": p.name,
        "period_end": period_end.isoformat(), "scheme": (p.funding or {}).get("scheme"),
        "objectives": [{"key": g.key, "statement": g.statement, "indicators": list(g.indicators),
                        "target_date": g.target_date.isoformat() if g.target_date else None, "owners": list(g.owners)}
                       for g in p.goals],
        "activities": {
            "obligations": [{"key": o.key, "title": o.title, "owner": o.owner, "type": o.type, "phase": o.phase,
                             "due": o.due.isoformat() if o.due else None, "status": o.status, "evidence": o.evidence}
                            for o in p.obligations],
            "checkins": {"held": [c.due.isoformat() for c in held], "missed": [c.due.isoformat() for c in missed]},
            "effort_hours": {k: str(v) for k, v in sorted(hours.items())},
            "effort_hours_total": str(sum(hours.values(), Decimal(0))),
        },
        "finances": finances,
        "co_financing": co_financing_view(p, summary.total.realised_eur),
    }


CSV_COLUMNS = ("section", "partner", "phase", "kind", "unit", "committed", "realised", "difference", "rate",
               "committed_eur", "realised_eur")


def finance_rows(report: dict[str, Any]) -> list[dict[str, str]]:
    """The finances as flat rows for CSV and XLSX: one per line, one per partner, phase and kind, and the total."""
    f = report["finances"]
    rows = [{"section": "line", **{k: "" if x[k] is None else str(x[k]) for k in CSV_COLUMNS[1:]}}
            for x in f["lines"]]
    for group, column in (("by_partner", "partner"), ("by_phase", "phase"), ("by_kind", "kind")):
        for name, m in f[group].items():
            rows.append({"section": group, column: name, "unit": "EUR", "committed_eur": m["committed_eur"],
                         "realised_eur": m["realised_eur"], "difference": m["difference_eur"],
                         "rate": m["rate"] or ""})
    t = f["totals"]
    rows.append({"section": "total", "unit": "EUR", "committed_eur": t["committed_eur"],
                 "realised_eur": t["realised_eur"], "difference": t["difference_eur"], "rate": t["rate"] or ""})
    return [{k: r.get(k, "") for k in CSV_COLUMNS} for r in rows]


@dataclass(frozen=True)
class FunderReportVersion:
    """A generated funder report as stored: which, by whom, when, and the hash of the file sent."""

    period_end: date
    language: str
    format: str
    sha256: str
    document_path: str
    created_by: str
    created_at: datetime
    number: int = 0
