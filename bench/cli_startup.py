"""Benchmark: how fast `pppflow --help` starts (target < 0.5 s), and that it imports no heavy library.

Run: .venv/bin/python bench/cli_startup.py   (writes bench/results/cli_startup.json)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 15
HEAVY = ("prefect", "weasyprint", "sqlalchemy", "alembic")


def main() -> None:
    command = [sys.executable, "-m", "pppflow", "--help"]
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache and bytecode
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    probe = subprocess.run([sys.executable, "-X", "importtime", "-c", "import pppflow.cli.app"],
                           capture_output=True, text=True, check=True)
    heavy = sorted({lib for lib in HEAVY if f" {lib}" in probe.stderr or f"| {lib}" in probe.stderr})
    result = {"runs": RUNS, "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3),
              "target_s": 0.5, "heavy_imports": heavy}
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "cli_startup.json").write_text(json.dumps(result, indent=2))
    print(f"pppflow --help: median {result['median_s']} s, max {result['max_s']} s over {RUNS} runs "
          f"(target < 0.5 s); heavy libraries imported: {', '.join(heavy) or 'none'}")
    sys.exit(0 if result["median_s"] < 0.5 and not heavy else 1)


if __name__ == "__main__":
    main()
