"""Real Prefect flow runs against a Prefect server started for this module (`prefect server start`).

Flows run in child processes (the CLI, or spawned workers), like deployments on workers would: Prefect's own
logging stays out of this process. Slow: the server takes 10-25 s to start.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pppflow.adapters.db.database import session_factory
from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
from pppflow.flows.runtime import healthy, local_server
from scheduling import PARTNERSHIPS, REF, RecordingMailer, agreed, portfolio, sent_keys, with_report
from servers import READY_WITHIN, join_all, running

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with local_server(tmp_path_factory.mktemp("prefect-server"), port=free_port(), timeout=READY_WITHIN) as api_url:
        yield api_url


def api(api_url: str, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(f"{api_url}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def flow_runs(api_url: str, flow: str) -> list[dict[str, Any]]:
    return api(api_url, "/flow_runs/filter", {"flows": {"name": {"any_": [flow]}}})  # type: ignore[no-any-return]


def client_env(home: Path, api_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PPPFLOW_DATABASE_URL", "PPPFLOW_SMTP_HOST")}
    (home / "prefect").mkdir(parents=True, exist_ok=True)
    return {**env, "PPPFLOW_HOME": str(home), "PREFECT_API_URL": api_url, "PREFECT_HOME": str(home / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **extra}


def pppflow(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "pppflow", *args], env=env, capture_output=True, text=True,
                          timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_flows_run_sends_the_days_reminders_through_prefect_once(
        prefect_api: str, tmp_path: Path, lifecycles: Any) -> None:
    home = tmp_path / "home"
    factory = session_factory(f"sqlite:///{home / 'pppflow.db'}")
    agreed(lambda: SqlUnitOfWork(factory), lifecycles)
    factory.kw["bind"].dispose()
    env = client_env(home, prefect_api)
    first = pppflow(env, "flows", "run", "send_checkin_reminders", "--as-of", "2027-01-08", "--json")
    assert first.returncode == 0, first.stderr
    totals = json.loads(first.stdout)
    checkpoint = totals.pop("audit_checkpoint")
    digests = totals.pop("digests")  # the daily job also mails each partner contact its digest
    assert totals == {"as_of": "2027-01-08", "missed": 0, "due": 1, "queued": 1, "sent": 1, "failed": 0,
                      "uncertain": 0, "pruned": 0}
    assert checkpoint["ok"] and checkpoint["seq"] > 10
    assert digests["queued"] == digests["sent"] >= 1 and digests["failed"] == 0
    again = json.loads(pppflow(env, "flows", "run", "send_checkin_reminders", "--as-of", "2027-01-08",
                               "--json").stdout)
    assert (again["sent"], again["digests"]["queued"], again["digests"]["sent"]) == (0, 0, 0)
    [eml] = [x for x in (home / "outbox").glob("*.eml") if "X-Pppflow-Key: digest:" not in x.read_text()]
    assert f"X-Pppflow-Key: {REF}:2027-01-15:checkin:reminder" in eml.read_text()
    runs = flow_runs(prefect_api, "send_checkin_reminders")
    assert sorted(r["state_type"] for r in runs) == ["COMPLETED", "COMPLETED"]
    tasks = api(prefect_api, "/task_runs/filter", {"flow_runs": {"id": {"any_": [runs[0]["id"]]}}})
    assert {t["task_key"].rsplit("-", 1)[0] for t in tasks} >= {"mark_missed", "plan_batches", "queue_batch",
                                                               "deliver_batch", "prune_outbox", "audit_checkpoint",
                                                               "queue_digests"}
    assert len((home / "audit-checkpoints.log").read_text().splitlines()) == 2  # one per daily run


def test_generate_agreements_runs_the_agreement_service_through_prefect(
        prefect_api: str, tmp_path: Path, lifecycles: Any) -> None:
    home = tmp_path / "home"
    factory = session_factory(f"sqlite:///{home / 'pppflow.db'}")
    agreed(lambda: SqlUnitOfWork(factory), lifecycles, with_report())
    factory.kw["bind"].dispose()
    env = client_env(home, prefect_api)
    done = pppflow(env, "flows", "run", "generate_agreements", "--ref", REF, "--json")
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)
    assert result["ref"] == REF and result["version"] == 1 and result["created"] is True
    assert list((home / "documents").rglob("*.pdf"))
    bad = pppflow(env, "flows", "run", "generate_agreements")
    assert bad.returncode == 2 and "needs at least one --ref" in bad.stderr


def _run_flow(url: str, home: str, api_url: str, log: str, barrier: Any, results: Any) -> None:
    """In a child process: a worker running the reminder flow, with a mailer that records what it sends."""
    os.environ.update(client_env(Path(home), api_url, PPPFLOW_DATABASE_URL=url))
    from pppflow import bootstrap
    from pppflow.config import get_settings
    from pppflow.wiring import build_wiring

    wiring = build_wiring(get_settings(), mailer=RecordingMailer(log))
    bootstrap.wiring = lambda: wiring  # type: ignore[assignment]
    from pppflow.flows.reminders import send_checkin_reminders

    barrier.wait(timeout=READY_WITHIN)
    results.put(json.dumps(send_checkin_reminders(as_of="2027-04-22", batch_size=2)))


def test_two_workers_running_the_reminder_flow_at_once_send_each_reminder_once(
        prefect_api: str, uow_factory: Any, lifecycles: Any, database_url: str, tmp_path: Path) -> None:
    refs = portfolio(uow_factory, lifecycles)
    log = tmp_path / "sent.log"
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_run_flow, args=(database_url, str(tmp_path / f"worker{n}"), prefect_api,
                                                   str(log), barrier, results)) for n in range(2)]
    for worker in workers:
        worker.start()
    assert join_all(workers) == [0, 0]
    runs = [json.loads(results.get(timeout=5)) for _ in workers]
    everything = sent_keys(log)
    assert set(everything.values()) == {1}  # reminders and the partners' digests alike: each once
    keys = {k: n for k, n in everything.items() if not k.startswith("digest:")}
    assert len(keys) == 2 * PARTNERSHIPS
    assert {k.split(":", 1)[0] for k in keys} == set(refs)
    assert sum(r["sent"] for r in runs) == sum(r["queued"] for r in runs) == 2 * PARTNERSHIPS
    assert sum(r["missed"] for r in runs) == PARTNERSHIPS


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_runs_the_schedules_with_a_local_server_until_interrupted(tmp_path: Path, stop: int) -> None:
    port, web_port = free_port(), free_port()
    env = client_env(tmp_path / "home", "unused")
    env.pop("PREFECT_API_URL")
    env.pop("PREFECT_HOME")
    api_url = f"http://127.0.0.1:{port}/api"
    with running(["serve", "--port", str(port), "--at", "06:30", "--timezone", "Europe/Amsterdam", "--web-port",
                  str(web_port)], env, tmp_path / "serve.log", stop_signal=stop) as serve:
        started = serve.wait_for_line("Prefect UI:")
        assert f"Prefect UI: http://127.0.0.1:{port}" in started, started
        serve.wait_until(lambda: len(api(api_url, "/deployments/filter", {})) >= 4, "four deployments")
        deployments = api(api_url, "/deployments/filter", {})
        schedules = {d["name"]: [s["schedule"] for s in d["schedules"]] for d in deployments}
        assert schedules["daily"] == [{"cron": "30 6 * * *", "timezone": "Europe/Amsterdam", "day_or": True}]
        assert schedules["on-demand"] == []
        assert schedules["yearly"] == [{"cron": "0 6 15 1 *", "timezone": "Europe/Amsterdam", "day_or": True}]
        assert (tmp_path / "home" / "prefect" / "server.log").exists()
        assert f"pppflow web app: http://127.0.0.1:{web_port}" in serve.output()
        # `flows run` with the same home reuses this server instead of starting a temporary one
        reused = pppflow({**env, "PPPFLOW_HOME": str(tmp_path / "home")}, "flows", "run", "send_renewal_notices",
                         "--json")
        assert reused.returncode == 0, reused.stderr
        assert f"using the Prefect server of the running `pppflow serve` ({api_url})" in reused.stderr
        done = [r for r in flow_runs(api_url, "send_renewal_notices") if r["state_type"] == "COMPLETED"]
        assert len(done) == 1  # the scheduler's future runs are SCHEDULED; this one ran on the serve's server
        serve.wait_for_http(f"http://127.0.0.1:{web_port}/api/v1/openapi.json")  # the web app beside the schedules
    out = serve.output()
    assert serve.proc.returncode == 0, out
    assert "stopped: the web app, the Prefect server and the schedules." in out
    assert "never awaited" not in out and "Traceback" not in out
    assert not healthy(api_url)
