"""Benchmark: `pppflow flows run send_checkin_reminders` with a temporary Prefect server, and reusing the server of
a running `pppflow serve` (found through $PPPFLOW_HOME).

Run: .venv/bin/python bench/flows_run_bench.py [--runs N]   (writes bench/results/flows_run.json)
The load average (`os.getloadavg`, as `uptime` shows it) is recorded before and after each path: on a shared
machine the figures mean little without it. The temporary server gets up to 300 s to start here (the product's
default is 90 s, `PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS`), so a busy machine still gives figures.
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
import urllib.request
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
    json.loads(done.stdout)  # the result, as JSON
    return elapsed


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _deployments(api_url: str) -> int:
    request = urllib.request.Request(f"{api_url}/deployments/filter", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return len(json.load(response))
    except OSError:
        return 0


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """`pppflow serve` on `port`, once its runner has registered the four deployments (polled, up to 300 s)."""
    serve = subprocess.Popen([sys.executable, "-m", "pppflow", "serve", "--port", str(port), "--web-port", "0"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _deployments(f"http://127.0.0.1:{port}/api") < 4:
        if serve.poll() is not None or time.monotonic() > deadline:
            _stop(serve)
            raise SystemExit("pppflow serve did not register its deployments within 300 s")
        time.sleep(0.5)
    return serve


def _stop(serve: subprocess.Popen[bytes]) -> None:
    serve.send_signal(signal.SIGTERM)
    try:
        serve.wait(timeout=120)
    except subprocess.TimeoutExpired:
        serve.kill()
        serve.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PPPFLOW_"))}
        env.update(PPPFLOW_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                   PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="300")
        load = {"temporary_before": _load()}
        temporary = [_timed_run(env) for _ in range(args.runs)]
        load["temporary_after"] = _load()
        serve = _serve(env, _free_port())
        try:
            load["reused_before"] = _load()
            reused = [_timed_run(env) for _ in range(args.runs)]
            load["reused_after"] = _load()
        finally:
            _stop(serve)
    result = {"runs": args.runs, "temporary_server_s": [round(x, 2) for x in temporary],
              "reused_serve_server_s": [round(x, 2) for x in reused],
              "temporary_median_s": round(statistics.median(temporary), 2),
              "reused_median_s": round(statistics.median(reused), 2), "cpus": os.cpu_count(),
              "load_average_1_5_15": load}
    out = ROOT / "bench" / "results" / "flows_run.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
