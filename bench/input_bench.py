"""Benchmark: hostile documents are refused fast, and the web app keeps answering while they are uploaded.

1. The parser alone: each bomb of tests/bombs.py (billion laughs, one 100 KB anchor used 2,000 times, nesting 500
   deep in YAML and JSON, duplicate keys) and a 50 MB file, refused by `documents_io.parse_document`; the slowest
   of 5 runs each. Target: under 0.1 s.
2. A real server (`pppflow web --workers 1`, SQLite): four bomb uploads at once to /api/v1/partnerships/upload
   (billion laughs, the big anchor, deep nesting, 50 MB), in rounds, from another process, while one client asks
   GET /api/v1/me every 20 ms; the same client's latency with no uploads first, for comparison.
   Target: /me under 100 ms meanwhile.

Run: .venv/bin/python bench/input_bench.py [--rounds 10]   (writes bench/results/input.json)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from bombs import BOMBS, huge
from pppflow.documents_io import parse_document
from pppflow.errors import BadInput

PASSWORD = "bench password 123"
UPLOADS = ("billion-laughs.yaml", "anchor-2000.yaml", "deep.yaml", "big.yaml")


def refusal_times() -> dict[str, float]:
    """The slowest of 5 refusals of each bomb, in milliseconds."""
    files = {name: make().encode() for name, make in BOMBS.items()} | {"big.yaml": huge().encode()}
    parse_document(b"warm: [up]\n", "warm-up.yaml")  # the loader classes are built on first use
    out = {}
    for name, data in files.items():
        times = []
        for _ in range(5):
            started = time.perf_counter()
            try:
                parse_document(data, name)
            except BadInput:
                pass
            else:
                raise SystemExit(f"{name} was accepted")
            times.append(time.perf_counter() - started)
        out[name] = round(max(times) * 1000, 2)
    return out


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _attack(base: str, token: str, rounds: int, report: Any) -> None:
    """In its own process (so that building 50 MB bodies does not slow the reader): rounds of four uploads."""
    files = {name: (BOMBS[name]() if name in BOMBS else huge()).encode() for name in UPLOADS}
    statuses: set[int] = set()
    uploads: list[float] = []

    async def upload(client: httpx.AsyncClient, name: str) -> None:
        started = time.perf_counter()
        try:
            r = await client.post("/api/v1/partnerships/upload", files={"file": (name, files[name])})
            statuses.add(r.status_code)
        except httpx.TransportError:  # 413 before the body was read: the server closed while we were still sending
            statuses.add(0)
        uploads.append(time.perf_counter() - started)

    async def run() -> None:
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"},
                                     timeout=120) as client:
            for _ in range(rounds):
                await asyncio.gather(*(upload(client, name) for name in UPLOADS))

    asyncio.run(run())
    report.put({"uploads": len(uploads), "upload_statuses (0: closed unread)": sorted(statuses),
                "upload_max_ms": round(max(uploads) * 1000, 1)})


async def _ask_me(base: str, token: str, busy: Any) -> list[float]:
    """GET /api/v1/me every 20 ms while `busy()` holds; the latencies in ms."""
    me: list[float] = []
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as c:
        while busy():
            started = time.perf_counter()
            r = await c.get("/api/v1/me")
            assert r.status_code == 200, r.text
            me.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.02)
    return me


def _summary(ms: list[float]) -> dict[str, Any]:
    ms = sorted(ms)
    return {"requests": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[int(len(ms) * 0.95)], 1), "max_ms": round(ms[-1], 1)}


def _under_attack(base: str, token: str, rounds: int) -> dict[str, Any]:
    import multiprocessing

    quiet_until = time.perf_counter() + 3
    idle = asyncio.run(_ask_me(base, token, lambda: time.perf_counter() < quiet_until))
    queue: Any = multiprocessing.Queue()
    attacker = multiprocessing.Process(target=_attack, args=(base, token, rounds, queue))
    attacker.start()
    busy = asyncio.run(_ask_me(base, token, attacker.is_alive))
    attacker.join()
    return {"me_idle": _summary(idle), "me_during_uploads": _summary(busy), **queue.get(timeout=10)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10, help="rounds of four concurrent bomb uploads")
    args = parser.parse_args()
    report: dict[str, Any] = {"refused_ms_slowest_of_5": refusal_times(), "target_refusal_ms": 100}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PPPFLOW_HOME": str(Path(tmp) / "home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        env.pop("PPPFLOW_DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "pppflow", "user", "add", "coco", "--role", "coordinator",
                        "--password-stdin"], input=PASSWORD + "\n", env=env, check=True, capture_output=True, text=True)
        out = subprocess.run([sys.executable, "-m", "pppflow", "user", "token", "coco"], env=env, check=True,
                             capture_output=True, text=True).stdout
        token = out.strip().splitlines()[-1]
        port = _port()
        server = subprocess.Popen([sys.executable, "-m", "pppflow", "web", "--port", str(port), "--workers", "1"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            report["under_attack"] = _under_attack(base, token, args.rounds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report |= {"target_me_ms": 100, "server": "pppflow web --workers 1 (SQLite)", "cpus": os.cpu_count(),
               "load_average_1min_at_end": round(os.getloadavg()[0], 1),
               "date": date.today().isoformat()}
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    (results / "input.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
