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
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TARGET = 0.4


class Floor:
    """Raw SQLAlchemy: one row per transaction, committed, on a SQLite file with pppflow's pragmas."""

    def __init__(self, folder: Path) -> None:
        import sqlalchemy as sa

        from pppflow.adapters.db.database import make_engine

        self.engine = make_engine(f"sqlite:///{folder / 'floor.db'}")
        meta = sa.MetaData()
        rows = sa.Table("rows", meta, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("stage", sa.String(40)), sa.Column("at", sa.DateTime))
        meta.create_all(self.engine)
        self.insert = rows.insert()

    def seconds(self, count: int) -> float:
        start = time.perf_counter()
        for i in range(count):
            with self.engine.begin() as conn:
                conn.execute(self.insert, {"stage": f"stage-{i % 7}", "at": NOW})
        return time.perf_counter() - start


def _partnerships(count: int) -> list[str]:
    """`count` copies of the example partnership, every goal agreed by every partner (so `define_goals` holds)."""
    from pppflow import bootstrap
    from pppflow.services.changes import agree_goal
    from pppflow.services.partnerships import import_partnership

    raw = yaml.safe_load((ROOT / "examples/smart-industry-pact.yaml").read_text())
    refs = []
    for _ in range(count):
        p = import_partnership(raw, uow=bootstrap.wiring().uow(), lifecycles=bootstrap.wiring().lifecycles,
                               actor="bench", now=NOW, as_new=True)
        for goal in p.goals:
            for partner in p.partners:
                agree_goal(p.ref, goal.key, partner.key, uow=bootstrap.wiring().uow(), actor="bench", now=NOW)
        refs.append(p.ref)
    return refs


def transition_seconds(refs: list[str], triggers: list[str]) -> float:
    """Fire `triggers[i]` on `refs[i % len(refs)]`, each through `advance` with its own unit of work."""
    from pppflow import bootstrap
    from pppflow.services.partnerships import advance

    lifecycles = bootstrap.wiring().lifecycles
    start = time.perf_counter()
    for i, trigger in enumerate(triggers):
        advance(refs[i % len(refs)], trigger, uow=bootstrap.wiring().uow(), lifecycles=lifecycles, actor="bench",
                now=NOW + timedelta(seconds=i), reason="bench" if trigger == "suspend" else None)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transitions", type=int, default=1000)
    parser.add_argument("--partnerships", type=int, default=20)
    args = parser.parse_args()
    n, k = args.transitions, args.partnerships
    rounds = max(1, n // (2 * k))
    with tempfile.TemporaryDirectory(prefix="pppflow-transition-bench-") as tmp:
        os.environ["PPPFLOW_HOME"] = tmp
        os.environ.pop("PPPFLOW_DATABASE_URL", None)
        refs = _partnerships(k)
        transition_seconds(refs, ["define_goals"] * k + ["suspend"] * k + ["resume"] * k)  # warm up
        floor = Floor(Path(tmp))
        floor.seconds(k)
        # Round by round, the floor and the transitions take turns (a burst of load on a shared machine hits
        # both alike): suspend every partnership, then resume every one.
        floor_s = cycle_s = 0.0
        for _ in range(rounds):
            floor_s += floor.seconds(2 * k)
            cycle_s += transition_seconds(refs, ["suspend"] * k + ["resume"] * k)
        fresh = _partnerships(min(max(n // 4, 10), 200))
        guarded_floor_s = floor.seconds(len(fresh))
        guarded_s = transition_seconds(fresh, ["define_goals"] * len(fresh))
    floor_rate = 2 * k * rounds / floor_s
    suspend_resume = 2 * k * rounds / cycle_s
    guarded_floor = len(fresh) / guarded_floor_s
    guarded = len(fresh) / guarded_s
    result = {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "floor_commits_per_s": round(floor_rate),
        "suspend_resume": {"transitions": 2 * k * rounds, "per_s": round(suspend_resume),
                           "ratio_to_floor": round(suspend_resume / floor_rate, 3)},
        "define_goals": {"transitions": len(fresh), "per_s": round(guarded),
                         "floor_commits_per_s": round(guarded_floor),
                         "ratio_to_floor": round(guarded / guarded_floor, 3)},
        "target_ratio": TARGET,
    }
    result["target_met"] = min(result["suspend_resume"]["ratio_to_floor"],
                               result["define_goals"]["ratio_to_floor"]) >= TARGET
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "transition.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"floor: {floor_rate:.0f} commits/s (raw SQLAlchemy, one row per transaction, interleaved with the "
          f"transitions); load average {result['load_average']}")
    for name in ("suspend_resume", "define_goals"):
        row = result[name]
        print(f"  {name:<15} {row['per_s']:>5} transitions/s over {row['transitions']}: "
              f"{row['ratio_to_floor']:.3f}x the floor")
    print(f"target: at least {TARGET}x the floor: {'met' if result['target_met'] else 'NOT met'}")
    sys.exit(0 if result["target_met"] else 1)


if __name__ == "__main__":
    main()
