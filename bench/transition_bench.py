"""Benchmark: persisted transitions per second against raw SQLAlchemy commits on the same kind of file, in one run.

A transition is `services.partnerships.advance` through the real unit of work on SQLite (WAL, synchronous=NORMAL):
load the partnership, check the trigger's guards, change the stage, append the audit entry to the hash chain,
commit. Two kinds are timed: `suspend`/`resume` in turn (no guards; suspend records a reason) and `define_goals`
(two guards that read the partners and the goals), each on the real example partnership (4 partners, 2 goals,
6 obligations, contributions, ...).
The floor: SQLAlchemy Core inserting one row per transaction into a file made by the same engine factory (the
same pragmas). Target (issue 14): at least 0.4x the floor.

Run: .venv/bin/python bench/transition_bench.py [--transitions N]   (writes bench/results/transition.json)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
TARGET = 0.4


def floor_commits_per_s(folder: Path, count: int) -> float:
    """Raw SQLAlchemy: one row per transaction, committed, on a SQLite file with pppflow's pragmas."""
    import sqlalchemy as sa

    from pppflow.adapters.db.database import make_engine

    engine = make_engine(f"sqlite:///{folder / 'floor.db'}")
    meta = sa.MetaData()
    rows = sa.Table("rows", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("stage", sa.String(40)),
                    sa.Column("at", sa.DateTime))
    meta.create_all(engine)
    insert = rows.insert()
    start = time.perf_counter()
    for i in range(count):
        with engine.begin() as conn:
            conn.execute(insert, {"stage": f"stage-{i % 7}", "at": NOW})
    elapsed = time.perf_counter() - start
    engine.dispose()
    return count / elapsed


def _partnerships(count: int) -> list[str]:
    """`count` copies of the example partnership, every goal agreed by every partner (so `define_goals` holds)."""
    from pppflow import bootstrap
    from pppflow.services.changes import agree_goal
    from pppflow.services.partnerships import import_partnership

    raw = yaml.safe_load((ROOT / "examples/smart-industry-pact.yaml").read_text())
    refs = []
    for _ in range(count):
        p = import_partnership(raw, uow=bootstrap.unit_of_work(), lifecycles=bootstrap.lifecycles(), actor="bench",
                               now=NOW, as_new=True)
        for goal in p.goals:
            for partner in p.partners:
                agree_goal(p.ref, goal.key, partner.key, uow=bootstrap.unit_of_work(), actor="bench", now=NOW)
        refs.append(p.ref)
    return refs


def transitions_per_s(refs: list[str], triggers: list[str]) -> float:
    """Fire `triggers[i]` on `refs[i % len(refs)]`, each through `advance` with its own unit of work."""
    from pppflow import bootstrap
    from pppflow.services.partnerships import advance

    lifecycles = bootstrap.lifecycles()
    start = time.perf_counter()
    for i, trigger in enumerate(triggers):
        advance(refs[i % len(refs)], trigger, uow=bootstrap.unit_of_work(), lifecycles=lifecycles, actor="bench",
                now=NOW + timedelta(seconds=i), reason="bench" if trigger == "suspend" else None)
    return len(triggers) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transitions", type=int, default=1000)
    parser.add_argument("--partnerships", type=int, default=20)
    args = parser.parse_args()
    n, k = args.transitions, args.partnerships
    with tempfile.TemporaryDirectory(prefix="pppflow-transition-bench-") as tmp:
        os.environ["PPPFLOW_HOME"] = tmp
        os.environ.pop("PPPFLOW_DATABASE_URL", None)
        refs = _partnerships(k)
        transitions_per_s(refs, ["define_goals"] * k + ["suspend"] * k + ["resume"] * k)  # warm up; back in goals_defined
        floor = floor_commits_per_s(Path(tmp), n)
        # suspend every partnership, then resume every one, round after round: each trigger fires on a partnership
        # in the right stage
        cycle = (["suspend"] * k + ["resume"] * k) * max(1, n // (2 * k))
        suspend_resume = transitions_per_s(refs, cycle)
        fresh = _partnerships(min(n // 4, 200))
        guarded = transitions_per_s(fresh, ["define_goals"] * len(fresh))
        floor_after = floor_commits_per_s(Path(tmp), n)  # a burst of load on a shared machine shows as a gap
    result = {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "floor_commits_per_s": [round(floor), round(floor_after)],
        "suspend_resume": {"transitions": len(cycle), "per_s": round(suspend_resume),
                           "ratio_to_floor": round(suspend_resume / floor, 3)},
        "define_goals": {"transitions": len(fresh), "per_s": round(guarded),
                         "ratio_to_floor": round(guarded / floor, 3)},
        "target_ratio": TARGET,
    }
    result["target_met"] = min(result["suspend_resume"]["ratio_to_floor"],
                               result["define_goals"]["ratio_to_floor"]) >= TARGET
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "transition.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"floor: {floor:.0f} commits/s (raw SQLAlchemy, one row per transaction; {floor_after:.0f} after the run); "
          f"load average {result['load_average']}")
    for name in ("suspend_resume", "define_goals"):
        row = result[name]
        print(f"  {name:<15} {row['per_s']:>5} transitions/s over {row['transitions']}: "
              f"{row['ratio_to_floor']:.3f}x the floor")
    print(f"target: at least {TARGET}x the floor: {'met' if result['target_met'] else 'NOT met'}")
    sys.exit(0 if result["target_met"] else 1)


if __name__ == "__main__":
    main()
