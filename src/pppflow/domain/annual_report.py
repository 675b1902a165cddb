"""The annual partnership report's view model: pure, built from what the services read for one year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pppflow.domain.checkins.progress import CheckIn
from pppflow.domain.health import Health
from pppflow.domain.maturity import MaturityFramework, MaturityRound, overview
from pppflow.domain.model import Partnership


@dataclass(frozen=True)
class YearFacts:
    """What one year of a partnership consists of, as read by the services."""

    partnership: Partnership
    year: int
    lang: str
    health: Health                       # at the end of the year (or today, for the running year)
    trend: list[tuple[date, int]]        # month ends of the year
    framework: MaturityFramework
    rounds: list[MaturityRound]          # every round recorded until the end of the year
    checkins: list[CheckIn]              # planned in the year
    realised: dict[str, Decimal] | None = None   # EUR realised per partner in the year, when there is a ledger


def _station_changes(fw: MaturityFramework, rounds: list[MaturityRound], year: int, lang: str) -> list[dict[str, Any]]:
    """Per station and partner: the level at the end of the year and at the end of the year before."""
    now = overview(fw, rounds, lang)
    before = overview(fw, [r for r in rounds if r.recorded_at.date() < date(year, 1, 1)], lang)
    stations = []
    for st_now, st_before in zip(now.stations, before.stations, strict=True):
        stations.append({"number": st_now.number, "title": st_now.title, "partners": [
            {"partner": k, "level": fw.level_words(v["level"], lang),
             "before": fw.level_words(st_before.per_partner[k]["level"], lang) if k in st_before.per_partner else None,
             "change": round(v["mean"] - st_before.per_partner[k]["mean"], 2) if k in st_before.per_partner else None}
            for k, v in sorted(st_now.per_partner.items())]})
    return stations


def annual_report(f: YearFacts, *, generated_on: date) -> dict[str, Any]:
    """The report as plain data: rendered by the template, and embedded in the PDF as `report.json`."""
    p = f.partnership
    held = [c for c in f.checkins if c.status == "held"]
    committed: dict[str, Decimal] = {}
    for c in p.contributions:
        if c.unit.upper() in ("EUR", "€"):
            committed[c.partner_key] = committed.get(c.partner_key, Decimal(0)) + c.amount
    return {
        "kind": "annual_report", "ref": p.ref, "name": p.name, "year": f.year, "lang": f.lang,
        "generated_on": generated_on, "stage": p.stage, "workflow": p.workflow,
        "partners": [{"key": x.key, "name": x.name, "kind": x.kind} for x in p.partners],
        "health": {**f.health.as_dict(), "components": [
            {**c.as_dict(), "words": c.words(f.lang)} for c in f.health.components]},
        "trend": [{"month_end": d, "score": s} for d, s in f.trend],
        "maturity": {"framework": f.framework.key, "rounds": len(f.rounds),
                     "stations": _station_changes(f.framework, f.rounds, f.year, f.lang),
                     "disagreements": overview(f.framework, f.rounds, f.lang).disagreements},
        "goals": [{"key": g.key, "statement": g.statement, "indicators": list(g.indicators),
                   "target_date": g.target_date} for g in p.goals],
        "checkins": {"planned": len(f.checkins), "held": len(held),
                     "missed": sum(1 for c in f.checkins if c.status == "missed"),
                     "items": [{"due": c.due, "status": c.status, "held_on": c.held_on} for c in f.checkins]},
        "contributions": [{"partner": k, "committed_eur": v,
                           "realised_eur": (f.realised or {}).get(k) if f.realised is not None else None}
                          for k, v in sorted(committed.items())],
    }
