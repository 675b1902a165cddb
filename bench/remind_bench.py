"""Benchmark: the daily reminder jobs as a dry run (`pppflow remind --dry-run`) over portfolios of 1k, 10k, 100k.

Portfolios are written straight into a migrated SQLite file with bulk Core inserts (not through the services):
monthly check-ins over terms of 24-48 months starting across 2026-2027, 90 % of past check-ins held, a result
obligation per partnership falling due across the term (5 % of those past due still open). The portfolio
"100k, 1k current" holds 99k concluded partnerships whose check-ins were all held: its cost must be that of the
1k portfolio, since the cost follows the reminders due (target: < 1 s at 10k).

Run: .venv/bin/python bench/remind_bench.py [--sizes 1000,10000,100000]   (writes bench/results/remind.json)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import insert

from pppflow.adapters.db.database import session_factory
from pppflow.adapters.db.schema import checkin_schedules, checkins, obligations, partners, partnerships
from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
from pppflow.adapters.mail import FakeMailer
from pppflow.adapters.workflow_files import load_registry
from pppflow.services.reminders import send_due_reminders, send_renewal_notices

AS_OF = date(2028, 6, 12)
NOW = datetime(2028, 6, 12, 5, 0, tzinfo=UTC)
CHUNK = 50_000
RUNS = 3


def partnership_rows(i: int, current: bool) -> tuple[dict[str, Any], list[date], date]:
    start = date(2026, 1, 1) + timedelta(days=i % 700) if current else date(2018, 1, 1) + timedelta(days=i % 365)
    months = (24, 36, 48)[i % 3]
    first = start + timedelta(days=14)
    end = start + relativedelta(months=months)
    dates, n = [], 0
    while (day := first + relativedelta(months=n)) < end:
        dates.append(day)
        n += 1
    row = {"id": i + 1, "ref": f"p{i:06d}", "name": f"Partnership {i}", "workflow": "ppp-lifecycle",
           "stage": "maintenance" if current else "concluded", "legal_form": "none", "language": "en",
           "coordinator_name": "Coordinator", "coordinator_email": f"coordinator{i}@example.org",
           "checkin_cadence": "monthly", "checkin_first": first, "remind_days_before": 7, "grace_days": 3,
           "term_start": start, "term_months": months, "term_notice_days": 90, "term_renewal": "manual",
           "created_at": NOW, "updated_at": NOW, "version": 1}
    return row, dates, end


def build(path: Path, size: int, current: int) -> dict[str, int]:
    """Write a portfolio of `size` partnerships, the first `current` of them running now."""
    factory = session_factory(f"sqlite:///{path}")
    engine = factory.kw["bind"]
    counts = {"partnerships": 0, "checkins": 0}
    with engine.begin() as conn:
        for low in range(0, size, CHUNK):
            rows: dict[str, list[dict[str, Any]]] = {"p": [], "x": [], "o": [], "c": [], "s": []}
            for i in range(low, min(size, low + CHUNK)):
                row, dates, end = partnership_rows(i, i < current)
                pid = row["id"]
                rows["p"].append(row)
                rows["x"] += [{"partnership_id": pid, "key": f"k{k}", "name": f"Partner {k}", "kind": "company",
                               "contact_name": f"Contact {k}", "contact_email": f"c{k}.{i}@example.org",
                               "signatory_name": f"Signatory {k}", "signatory_title": "CEO"} for k in range(3)]
                due = row["term_start"] + timedelta(days=120 + i % 400)
                late = i < current and (due >= AS_OF or i % 20 == 0)  # 5 % of what fell due is still open
                rows["o"].append({"partnership_id": pid, "key": "deliverable", "title": "Deliver the modules",
                                  "owner": "k0", "type": "result", "phase": "investment", "due": due,
                                  "status": "pending" if late else "fulfilled"})
                for n, day in enumerate(dates):
                    past = day + timedelta(days=3) < AS_OF
                    held = past and (i >= current or (i + n) % 10)
                    rows["c"].append({"partnership_id": pid, "due": day,
                                      "status": "held" if held else "missed" if past else "scheduled",
                                      "held_on": day if held else None})
                rows["s"].append({"partnership_id": pid, "term_end": end, "scheduled_at": NOW})
            for table, key in ((partnerships, "p"), (partners, "x"), (obligations, "o"), (checkins, "c"),
                               (checkin_schedules, "s")):
                for start in range(0, len(rows[key]), CHUNK):
                    conn.execute(insert(table), rows[key][start:start + CHUNK])
            counts["partnerships"] += len(rows["p"])
            counts["checkins"] += len(rows["c"])
    return counts


def timed(job: Any, uow_factory: Any, lifecycles: Any) -> tuple[list[float], Any]:
    times, run = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        run = job(AS_OF, uow_factory=uow_factory, mailer=FakeMailer(), now=NOW, lifecycles=lifecycles,
                  dry_run=True)
        times.append(time.perf_counter() - start)
    return times, run


def measure(label: str, size: int, current: int, folder: Path) -> dict[str, Any]:
    path = folder / f"{label}.db"
    started = time.perf_counter()
    counts = build(path, size, current)
    built = time.perf_counter() - started
    factory = session_factory(f"sqlite:///{path}")
    lifecycles = load_registry()
    uow_factory = lambda: SqlUnitOfWork(factory)  # noqa: E731
    checkin_times, checkin_run = timed(send_due_reminders, uow_factory, lifecycles)
    renewal_times, renewal_run = timed(send_renewal_notices, uow_factory, lifecycles)
    factory.kw["bind"].dispose()
    path.unlink()
    return {"portfolio": label, "partnerships": counts["partnerships"], "current": current,
            "checkin_rows": counts["checkins"], "build_s": round(built, 1),
            "due": checkin_run.due + renewal_run.due,
            "would_send": len(checkin_run.queued) + len(renewal_run.queued),
            "checkin_job_s": round(statistics.median(checkin_times), 3),
            "checkin_job_first_s": round(checkin_times[0], 3),
            "renewal_job_s": round(statistics.median(renewal_times), 3),
            "total_s": round(statistics.median(checkin_times) + statistics.median(renewal_times), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cases = [(f"{s // 1000}k", s, s) for s in sizes]
    if max(sizes) >= 100_000:
        cases.append(("100k, 1k current", 100_000, 1_000))
    results = []
    header = (f"{'portfolio':18} {'partnerships':>12} {'check-ins':>10} {'build s':>8} {'due':>7} "
              f"{'would send':>10} {'check-in job s':>14} {'renewal job s':>13} {'total s':>8}")
    print(f"remind --dry-run for {AS_OF}, median of {RUNS} runs\n{header}")
    with tempfile.TemporaryDirectory(prefix="remind-bench-") as tmp:
        for label, size, current in cases:
            r = measure(label.replace(", ", "-").replace(" ", "-"), size, current, Path(tmp))
            r["portfolio"] = label
            results.append(r)
            print(f"{label:18} {r['partnerships']:>12,} {r['checkin_rows']:>10,} {r['build_s']:>8} {r['due']:>7,} "
                  f"{r['would_send']:>10,} {r['checkin_job_s']:>14} {r['renewal_job_s']:>13} {r['total_s']:>8}",
                  flush=True)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "remind.json").write_text(json.dumps({"as_of": AS_OF.isoformat(), "runs": RUNS, "target_s_at_10k": 1.0,
                                                 "python": sys.version.split()[0], "results": results}, indent=2))
    at_10k = next((r for r in results if r["partnerships"] == 10_000 and r["current"] == 10_000), None)
    sys.exit(0 if at_10k is None or at_10k["total_s"] < 1.0 else 1)


if __name__ == "__main__":
    main()
