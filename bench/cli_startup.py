"""Benchmark: how fast the CLI starts, as a ratio against the floor, in one run.

The floor is a Python process that imports SQLAlchemy, opens the same SQLite file and runs one SELECT: no CLI can
read the database faster than that. Targets (issue 14): reading commands (`partnership list`,
`partnership show REF --json`) within 1.5x of the floor; `pppflow --help` under 0.3 s.
Each command runs as its own subprocess, the commands interleaved round by round (so a burst of load on a shared
machine hits them all alike); the median of the runs counts (wall time for the targets; CPU time, user + system,
printed beside it, is less disturbed by other processes on a busy machine).

Run: .venv/bin/python bench/cli_startup.py [--runs N]   (writes bench/results/cli_startup.json)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ_TARGET = 1.5
HELP_TARGET_S = 0.3

FLOOR = """
import sqlalchemy as sa
engine = sa.create_engine("sqlite:///" + {db!r})
with engine.connect() as c:
    c.execute(sa.text("SELECT ref, name, stage FROM partnerships")).all()
"""


def _pppflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "pppflow", *args]


def _time(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pppflow-cli-bench-") as tmp:
        env = {**os.environ, "PPPFLOW_HOME": tmp, "PPPFLOW_ACTOR": "bench"}
        env.pop("PPPFLOW_DATABASE_URL", None)
        imported = subprocess.run(_pppflow("partnership", "import", str(ROOT / "examples/smart-industry-pact.yaml")),
                                  env=env, capture_output=True, text=True, check=True)
        ref = imported.stdout.strip()
        commands = {
            "floor": [sys.executable, "-c", FLOOR.format(db=str(Path(tmp) / "pppflow.db"))],
            "--help": _pppflow("--help"),
            "partnership list": _pppflow("partnership", "list"),
            "partnership show REF --json": _pppflow("partnership", "show", ref, "--json"),
        }
        for command in commands.values():  # warm the file cache and the bytecode
            _time(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                wall, used = _time(command, env)
                times[name].append(wall)
                cpu[name].append(used)
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    cpu_medians = {name: statistics.median(ts) for name, ts in cpu.items()}
    floor, cpu_floor = medians["floor"], cpu_medians["floor"]
    result = {
        "runs": args.runs,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "floor_s": round(floor, 3),
        "floor_cpu_s": round(cpu_floor, 3),
        "commands": {name: {"median_s": round(medians[name], 3), "min_s": round(min(times[name]), 3),
                            "ratio_to_floor": round(medians[name] / floor, 2),
                            "cpu_s": round(cpu_medians[name], 3),
                            "cpu_ratio_to_floor": round(cpu_medians[name] / cpu_floor, 2)}
                     for name in commands if name != "floor"},
        "targets": {"reading_ratio": READ_TARGET, "help_s": HELP_TARGET_S},
    }
    reading = [n for n in commands if n.startswith("partnership")]
    met = (all(medians[n] / floor <= READ_TARGET for n in reading) and medians["--help"] < HELP_TARGET_S)
    result["targets_met"] = met
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "cli_startup.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"floor (python + sqlalchemy + one SELECT): {floor:.3f} s, {cpu_floor:.3f} s CPU (medians of "
          f"{args.runs}); load average {result['load_average']}")
    for name, row in result["commands"].items():
        print(f"  pppflow {name:<28} {row['median_s']:.3f} s  {row['ratio_to_floor']:.2f}x the floor   "
              f"CPU {row['cpu_s']:.3f} s  {row['cpu_ratio_to_floor']:.2f}x")
    print(f"targets: reading commands <= {READ_TARGET}x the floor, --help < {HELP_TARGET_S} s: "
          f"{'met' if met else 'NOT met'}")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
