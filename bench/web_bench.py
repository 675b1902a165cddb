"""Benchmark: dashboard and partnership page latency under 20 concurrent clients, 10k partnerships, on loopback.

The portfolio is written straight into a migrated database with bulk Core inserts (partners, responsibilities,
channels, goals, obligations, contributions, monthly check-ins over 24-month terms, a valid audit chain of 5
entries each).
`pppflow web --workers N` (one worker per core by default, as deployed) then serves it from a subprocess.

Two load models, 20 clients each, every client a logged-in session on a keep-alive connection:
- closed loop: each client asks again the moment it has its answer, so 20 requests are always in flight
  (saturation). Run in rounds on fresh connections, because the kernel spreads connections over the workers
  anew each time and one uneven split should not decide the result; the rounds are pooled.
- closed loop, first views: the same, but every request is for a partnership page nobody asked for before in
  the run, so none of it can be reused (the pages keep a partnership's content until it changes).
- users: each client reads for about a second between clicks (randomised), as people do.
Target: p95 under 100 ms. The load generator shares the machine's cores with the server, so it is a lean
asyncio HTTP/1.1 client (about 0.1 ms of CPU per request, reported in the results).

Run: .venv/bin/python bench/web_bench.py [--partnerships 10000] [--clients 20] [--requests 40] [--workers 2]
                                          [--rounds 3] [--postgres [ADMIN_URL]] [--closed-loop-only]
     (writes bench/results/web.json, or web-postgres.json)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

TODAY = datetime.now(UTC).date()
STAGES = ["draft", "goals_defined", "framework_agreed", "investment", "maintenance", "maintenance", "maintenance",
          "under_review", "concluded"]
PASSWORD = "benchmark password"
SESSION_COOKIE = "pppflow_session"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHUNK = 20_000


def _rows(i: int) -> dict[str, list[dict[str, Any]]]:
    pid, ref = i + 1, f"partnership-{i:05d}"
    start = TODAY - timedelta(days=i % 600)
    term_end = start + timedelta(days=730)
    now = datetime.combine(start, datetime.min.time(), UTC)
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in ["p", "x", "r", "h", "g", "o", "b", "c", "s"]}
    out["p"].append({"id": pid, "ref": ref, "name": f"Partnership {i} for technicians", "workflow": "ppp-lifecycle",
                     "stage": STAGES[i % len(STAGES)], "legal_form": "foundation", "language": "en",
                     "coordinator_name": "Marieke Jansen", "coordinator_email": f"coordinator{i}@example.org",
                     "checkin_cadence": "monthly", "checkin_first": start + timedelta(days=14),
                     "remind_days_before": 7, "grace_days": 3, "term_start": start, "term_months": 24,
                     "term_notice_days": 90, "term_renewal": "manual", "agreement_epoch": 0,
                     "created_at": now, "updated_at": now, "version": 1})
    keys = [f"org{(i + k * 7) % 400}" for k in range(4)]
    out["x"] += [{"partnership_id": pid, "key": k, "name": f"Organisation {k}", "kind": kind,
                  "contact_name": f"Contact {k}", "contact_email": f"{k}@example.org", "signatory_name": f"Sig {k}",
                  "signatory_title": "Director"}
                 for k, kind in zip(keys, ("education", "knowledge_institution", "company", "government"), strict=True)]
    out["r"] += [{"partnership_id": pid, "partner_key": k, "role": f"Role of {k} in partnership {i}"}
                 for k in keys[:3]]
    out["h"] += [{"partnership_id": pid, "kind": kind, "description": f"The {kind} of partnership {i}"}
                 for kind in ("steering group", "mailing list")]
    out["g"] += [{"partnership_id": pid, "key": f"goal{n}", "statement": f"Goal {n} of partnership {i}",
                  "indicators": ["An indicator"], "owners": keys[:2], "agreed_by": keys[: (i + n) % 5]}
                 for n in range(2)]
    for n in range(3):  # what falls due is mostly delivered: 1 in 20 past-due obligations is still open
        due = start + timedelta(days=90 + 120 * n + i % 60)
        done = due < TODAY and (i + n) % 20
        out["o"].append({"partnership_id": pid, "key": f"ob{n}", "title": f"Obligation {n}", "owner": keys[n],
                         "type": "result" if n == 0 else "effort", "phase": "investment", "due": due,
                         "status": ("accepted" if n == 0 else "fulfilled") if done else "pending",
                         "effort": None if n == 0 else "Best efforts"})
    out["b"] += [{"partnership_id": pid, "partner_key": keys[n], "kind": ("cash", "in_kind_hours")[n % 2],
                  "phase": ("investment", "maintenance")[n // 2], "amount": str(1000 * (n + 1)),
                  "unit": ("EUR", "hours")[n % 2], "description": "A contribution"} for n in range(4)]
    for n in range(24):
        due = start + timedelta(days=14 + 30 * n)
        status = "held" if due < TODAY - timedelta(days=5) and (i + n) % 9 else (
            "missed" if due < TODAY - timedelta(days=3) else "scheduled")
        out["c"].append({"partnership_id": pid, "due": due, "status": status,
                         "held_on": due if status == "held" else None})
    out["s"].append({"partnership_id": pid, "term_end": term_end, "scheduled_at": now})
    return out


def build(url: str, size: int) -> None:
    """A migrated database with `size` partnerships and a valid audit chain."""
    from sqlalchemy import insert, update

    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.schema import (
        audit_chain_head,
        audit_entries,
        channels,
        checkin_schedules,
        checkins,
        contributions,
        goals,
        obligations,
        partners,
        partnerships,
        responsibilities,
    )
    from pppflow.domain.audit import GENESIS, chain_entry

    tables = {"p": partnerships, "x": partners, "r": responsibilities, "h": channels, "g": goals, "o": obligations,
              "b": contributions, "c": checkins,
              "s": checkin_schedules}
    engine = session_factory(url).kw["bind"]
    seq, prev = 0, GENESIS
    with engine.begin() as conn:
        for low in range(0, size, CHUNK):
            batch: dict[str, list[dict[str, Any]]] = {k: [] for k in tables}
            trail = []
            for i in range(low, min(size, low + CHUNK)):
                for k, rows in _rows(i).items():
                    batch[k] += rows
                ref, at = f"partnership-{i:05d}", datetime.now(UTC)
                for action, before, after in (("partnership.import", None, {"ref": ref, "stage": "draft"}),
                                              ("goal.agree", {"goal": "goal0", "agreed_by": []},
                                               {"goal": "goal0", "agreed_by": ["org1"]}),
                                              ("transition", {"stage": "draft"}, {"stage": "goals_defined",
                                                                                  "trigger": "define_goals"}),
                                              ("transition", {"stage": "goals_defined"},
                                               {"stage": "framework_agreed", "trigger": "agree_framework"}),
                                              ("obligation.status", {"obligation": "ob1", "status": "pending"},
                                               {"obligation": "ob1", "status": "fulfilled"})):
                    seq += 1
                    entry = chain_entry(seq, prev, partnership_ref=ref, at=at, actor="bench", action=action,
                                        before=before, after=after, reason=None)
                    trail.append(entry.__dict__)
                    prev = entry.hash
            for k, table in tables.items():
                conn.execute(insert(table), batch[k])
            conn.execute(insert(audit_entries), trail)
        conn.execute(update(audit_chain_head).where(audit_chain_head.c.id == 1).values(seq=seq, hash=prev))
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


@contextmanager
def _database(postgres_admin_url: str | None, home: Path) -> Iterator[str]:
    """A SQLite file under `home`, or a new PostgreSQL database that is dropped afterwards."""
    if not postgres_admin_url:
        yield f"sqlite:///{home / 'pppflow.db'}"
        return
    from sqlalchemy import create_engine, text

    name = f"pppflow_bench_{os.getpid()}"
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _login(base: str) -> str:
    """Log in as the benchmark user through the login form; returns the session cookie."""
    with httpx.Client(base_url=base, timeout=30) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"',  # type: ignore[union-attr]
                          client.get("/login").text).group(1)
        r = client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
        assert r.status_code in (200, 303) and "Portfolio" in client.get("/").text
        return f"{SESSION_COOKIE}={client.cookies[SESSION_COOKIE]}"


class Connection:
    """A keep-alive HTTP/1.1 connection that sends GETs and reads whole answers, and does little else.

    The load generator shares the machine's cores with the server, so it is kept lean: httpx spends about
    2 ms of CPU per request, which would be charged to the server's latency.
    """

    def __init__(self, host: str, port: int, cookie: str) -> None:
        self.host, self.port, self.cookie = host, port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int]:
        """(status, body length)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nCookie: {self.cookie}\r\n"
                          f"Accept: text/html\r\n\r\n".encode())
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        status = int(head[9:12])
        length = re.search(r"(?im)^content-length:\s*(\d+)", head)
        if length is None:
            raise RuntimeError(f"no Content-Length in the answer to {path}: {head[:200]}")
        body = await self.reader.readexactly(int(length.group(1)))
        return status, len(body)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def _round(base: str, cookie: str, paths: list[str], clients: int, requests: int,
                 think: float, seed: int, fresh: Iterator[str] | None = None) -> tuple[list[float], int, float, float]:
    """One round on fresh connections: (latencies in s, errors, elapsed s, client CPU s).

    With `fresh`, every request takes the next path from it (each page asked for once) instead of a random one.
    """
    host, port = base.removeprefix("http://").split(":")
    connections = [Connection(host, int(port), cookie) for _ in range(clients)]
    timings: list[float] = []
    errors = 0

    async def run(conn: Connection, n: int) -> None:
        nonlocal errors
        rnd = random.Random(seed * 1000 + n)
        if think:  # people do not all click at the same instant
            await asyncio.sleep(rnd.uniform(0, 2 * think))
        for _ in range(requests):
            path = next(fresh) if fresh is not None else rnd.choice(paths)
            start = time.perf_counter()
            status, _size = await conn.get(path)
            timings.append(time.perf_counter() - start)
            errors += status != 200
            if think:  # a person reading the page before the next click (randomised, mean `think`)
                await asyncio.sleep(rnd.uniform(0.5, 1.5) * think)

    for n, conn in enumerate(connections):  # warm up every worker: templates compiled, caches filled
        for path in paths[n * 3:n * 3 + 3] or paths[:3]:
            await conn.get(path)
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(run(c, n) for n, c in enumerate(connections)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    for c in connections:
        await c.close()
    return timings, errors, elapsed, cpu


def _load(base: str, cookie: str, paths: list[str], clients: int, requests: int, think: float,
          rounds: int, first_views: list[str] | None = None) -> dict[str, Any]:
    """`rounds` rounds, each on new connections (the kernel spreads them over the workers anew), pooled.

    With `first_views`, each request asks for one of those paths that nobody asked for before in the run.
    """
    timings: list[float] = []
    errors, elapsed, cpu, p95s = 0, 0.0, 0.0, []
    fresh = iter(first_views) if first_views is not None else None
    for n in range(rounds):
        t, e, el, c = asyncio.run(_round(base, cookie, paths, clients, requests, think, n, fresh))
        timings += t
        errors, elapsed, cpu = errors + e, elapsed + el, cpu + c
        p95s.append(round(sorted(t)[int(0.95 * (len(t) - 1))] * 1000, 1))
    ms = sorted(t * 1000 for t in timings)
    return {"requests": len(ms), "errors": errors, "throughput_per_s": round(len(ms) / elapsed, 1),
            "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
            "p99_ms": round(ms[int(0.99 * (len(ms) - 1))], 1), "max_ms": round(ms[-1], 1),
            "p95_ms_per_round": p95s, "client_cpu_ms_per_request": round(cpu * 1000 / len(ms), 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40, help="per client and page")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="server processes (`pppflow web --workers`; default one per core)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a client waits between requests in the 'users' runs")
    parser.add_argument("--rounds", type=int, default=3,
                        help="closed-loop rounds, each on new connections, pooled (default 3)")
    parser.add_argument("--closed-loop-only", action="store_true", help="skip the runs with think time")
    parser.add_argument("--postgres", metavar="ADMIN_URL", nargs="?", const=PG_ADMIN_URL,
                        help=f"serve from a new PostgreSQL database made (and dropped) with ADMIN_URL "
                             f"(default {PG_ADMIN_URL}) instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, _database(args.postgres, Path(tmp) / "home") as url:
        home = Path(tmp) / "home"
        env = {**os.environ, "PPPFLOW_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "PPPFLOW_DATABASE_URL": url}
        t0 = time.perf_counter()
        build(url, args.partnerships)
        built = time.perf_counter() - t0
        subprocess.run([sys.executable, "-m", "pppflow", "user", "add", "bench", "--role", "viewer",
                        "--password-stdin"], input=PASSWORD + "\n", env=env, check=True, capture_output=True, text=True)
        port = _port()
        server = subprocess.Popen([sys.executable, "-m", "pppflow", "web", "--port", str(port),
                                   "--workers", str(args.workers)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            if args.workers > 1:  # the first worker answers; give the others time to listen too
                time.sleep(5)
            refs = [f"/partnerships/partnership-{i:05d}" for i in random.Random(1).sample(range(args.partnerships),
                                                                                         min(500, args.partnerships))]
            pages = (("dashboard", ["/"]), ("partnership_page", refs))
            # closed loop: every client asks again the moment it has its answer (saturation)
            cookie = _login(base)
            results = {name: _load(base, cookie, paths, args.clients, args.requests, 0, args.rounds)
                       for name, paths in pages}
            # the same, each request a partnership page nobody has asked for before (nothing can be reused)
            asked = set(refs)
            unseen = [p for p in (f"/partnerships/partnership-{i:05d}" for i in range(args.partnerships))
                      if p not in asked]
            random.Random(2).shuffle(unseen)
            results["partnership_page_first_view"] = _load(base, cookie, refs, args.clients, args.requests, 0,
                                                           args.rounds, first_views=unseen)
            # people: each client reads for about `think` seconds between clicks
            users = {} if args.closed_loop_only else {
                name: _load(base, cookie, paths, args.clients, max(10, args.requests // 4), args.think, 1)
                for name, paths in pages}
        finally:
            server.terminate()
            server.wait(timeout=20)
    report = {"partnerships": args.partnerships, "clients": args.clients,
              "server": f"pppflow web --workers {args.workers}",
              "database": "PostgreSQL (127.0.0.1)" if args.postgres else "SQLite (WAL)",
              "web_threads": os.environ.get("PPPFLOW_WEB_THREADS", "default"),
              "build_s": round(built, 1), "target_p95_ms": 100, "closed_loop": results,
              f"users_thinking_{args.think:g}s": users,
              "cpus": os.cpu_count(), "date": date.today().isoformat()}
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"web{'-postgres' if args.postgres else ''}.json").write_text(json.dumps(report, indent=2) + "\n")
    for label, runs in (("closed loop", results), (f"{args.think:g} s think time", users)):
        for name in runs:
            r = runs[name]
            print(f"{label:16s} {name:27s} p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  p99 "
                  f"{r['p99_ms']:6.1f} ms  {r['throughput_per_s']:6.1f} req/s  ({r['requests']} requests, "
                  f"{r['errors']} errors)")
    print(f"{args.partnerships} partnerships, {args.clients} concurrent clients; built in {built:.1f} s; "
          f"target p95 < 100 ms")


if __name__ == "__main__":
    main()
