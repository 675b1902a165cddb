"""Benchmark: `pppflow flows run send_checkin_reminders` with a temporary Prefect server, and reusing the server of
a running `pppflow serve` (found through $PPPFLOW_HOME).

Run: .venv/bin/python bench/flows_run_bench.py [--runs N]   (writes bench/results/flows_run.json)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _timed_run(env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pppflow", "flows", "run", "send_checkin_reminders", "--json"],
                          env=env, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"flows run failed: {done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PPPFLOW_"))}
        env.update(PPPFLOW_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
        temporary = [_timed_run(env) for _ in range(args.runs)]
        port = _free_port()
        serve = subprocess.Popen([sys.executable, "-m", "pppflow", "serve", "--port", str(port), "--web-port", "0"],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert serve.stdout is not None
            for line in serve.stdout:
                if "Prefect UI:" in line:
                    break
            time.sleep(2)  # the runner registers its deployments
            reused = [_timed_run(env) for _ in range(args.runs)]
        finally:
            serve.send_signal(signal.SIGTERM)
            serve.communicate(timeout=120)
    result = {"runs": args.runs, "temporary_server_s": [round(x, 2) for x in temporary],
              "reused_serve_server_s": [round(x, 2) for x in reused],
              "temporary_median_s": round(statistics.median(temporary), 2),
              "reused_median_s": round(statistics.median(reused), 2), "cpus": os.cpu_count()}
    out = ROOT / "bench" / "results" / "flows_run.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
