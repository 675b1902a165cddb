"""How long `pppflow health list` takes over a large portfolio, computed in SQL (not by loading aggregates).

    python bench/health_bench.py [--size 10000] [--postgres]

Builds the web benchmark's portfolio (bench/web_bench.py: 24 monthly check-ins, 3 obligations, 4 partners per
partnership), adds an effort-log entry to every held check-in and two maturity rounds per partnership, then times
the portfolio's health (every component of every partnership, worst first) and one partnership's 12-month trend.
The target: `health list` over 10,000 partnerships in under 1 s. Results go to bench/results/health.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from web_bench import PG_ADMIN_URL, TODAY, _database, build

RUNS = 5


def add_effort_and_maturity(url: str) -> None:
    """An effort-log entry per held check-in, and maturity rounds of two partners per partnership."""
    from sqlalchemy import insert, select

    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.schema import maturity_rounds, partnerships

    engine = session_factory(url).kw["bind"]
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO effort_log (partnership_id, checkin_id, obligation_key, activities, hours, recorded_by, "
            "recorded_at) SELECT partnership_id, id, 'ob1', '[\"Company visit\"]', '4.5', 'bench', due "
            "FROM checkins WHERE status = 'held'")
        at = datetime.now(UTC)
        ids = [r[0] for r in conn.execute(select(partnerships.c.id))]
        rows = [{"partnership_id": pid, "number": n, "partner_key": f"org{(pid + n) % 400}", "framework": "kp2",
                 "answers": [], "level_percent": (pid * 7 + n * 13) % 101, "recorded_by": "bench",
                 "recorded_at": at} for pid in ids for n in (1, 2)]
        conn.execute(insert(maturity_rounds), rows)
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL at 127.0.0.1:5432 instead of SQLite")
    args = parser.parse_args()

    from pppflow.adapters.assessment_files import AssessmentFiles
    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
    from pppflow.adapters.workflow_files import load_registry
    from pppflow.services.health import health_trend, portfolio_health

    with tempfile.TemporaryDirectory() as tmp, _database(PG_ADMIN_URL if args.postgres else None, Path(tmp)) as url:
        t0 = time.perf_counter()
        build(url, args.size)
        add_effort_and_maturity(url)
        print(f"built {args.size} partnerships in {time.perf_counter() - t0:.1f} s", flush=True)
        factory = session_factory(url)
        files, lifecycles = AssessmentFiles(), load_registry()
        timings, cpu, trend_timings = [], [], []
        for _ in range(RUNS):
            t, c = time.perf_counter(), time.process_time()
            items = portfolio_health(uow=SqlUnitOfWork(factory), files=files, lifecycles=lifecycles, as_of=TODAY)
            timings.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            t = time.perf_counter()
            health_trend(items[0].ref, uow=SqlUnitOfWork(factory), files=files, as_of=TODAY)
            trend_timings.append(time.perf_counter() - t)
        bands = {b: sum(1 for h in items if h.band == b) for b in ("healthy", "attention", "at_risk")}
        result = {"load_average": [round(x, 2) for x in os.getloadavg()],
                  "database": "postgresql" if args.postgres else "sqlite", "partnerships": args.size,
                  "scored": len(items), "bands": bands,
                  "health_list_median_s": round(statistics.median(timings), 3),
                  "health_list_max_s": round(max(timings), 3),
                  # this process's own CPU time (SQLite runs in it): what the machine's other load does not inflate
                  "health_list_cpu_median_s": round(statistics.median(cpu), 3),
                  "trend_12_months_median_s": round(statistics.median(trend_timings), 3)}
        factory.kw["bind"].dispose()
    print(json.dumps(result, indent=2))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"health-{result['database']}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
