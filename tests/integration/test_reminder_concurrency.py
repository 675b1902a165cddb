"""Two workers running the reminder job at the same moment on one database: each reminder is sent once."""

from __future__ import annotations

import json
import multiprocessing as mp
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pppflow.services import partnerships
from pppflow.services.audit import verify_audit
from scheduling import AS_OF, PARTNERSHIPS, RecordingMailer, portfolio, sent_keys
from servers import READY_WITHIN, join_all


def _run_job(url: str, log: str, barrier: Any, results: Any) -> None:
    """In a child process: wait for the other worker, then run the whole job."""
    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork
    from pppflow.adapters.workflow_files import load_registry
    from pppflow.services.reminders import send_due_reminders

    factory = session_factory(url)
    lifecycles = load_registry()
    barrier.wait(timeout=READY_WITHIN)
    run = send_due_reminders(AS_OF, uow_factory=lambda: SqlUnitOfWork(factory), mailer=RecordingMailer(log),
                             now=datetime(2027, 4, 22, 6, 0, tzinfo=UTC), lifecycles=lifecycles,
                             batch_size=2)
    results.put(json.dumps({"queued": len(run.queued), "sent": run.sent, "missed": run.missed, "due": run.due}))


def test_two_workers_at_once_send_each_reminder_once(
        uow_factory: Any, lifecycles: Any, database_url: str, tmp_path: Path) -> None:
    refs = portfolio(uow_factory, lifecycles)
    log = tmp_path / "sent.log"
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_run_job, args=(database_url, str(log), barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    assert join_all(workers) == [0, 0]
    runs = [json.loads(results.get(timeout=5)) for _ in workers]

    keys = sent_keys(log)
    expected = {f"{ref}:{about}" for ref in refs
                for about in ("2027-04-15:checkin:steering", "report@2027-03-31:obligation:overdue")}
    assert set(keys) == expected and set(keys.values()) == {1}
    assert sum(r["sent"] for r in runs) == len(expected) == sum(r["queued"] for r in runs)
    assert [r["due"] for r in runs] == [len(expected)] * 2
    assert sum(r["missed"] for r in runs) == PARTNERSHIPS  # 15 April, marked by one worker or the other
    for ref in refs:
        trail = partnerships.history(ref, uow=uow_factory())
        assert [json.loads(e.after)["checkins"] for e in trail if e.action == "checkin.missed"] == [["2027-04-15"]]
    assert verify_audit(uow=uow_factory()).ok


def test_running_the_job_again_sends_nothing_more(uow_factory: Any, lifecycles: Any, tmp_path: Path) -> None:
    from pppflow.services.reminders import send_due_reminders

    portfolio(uow_factory, lifecycles)
    log = tmp_path / "sent.log"
    now = datetime(2027, 4, 22, 6, 0, tzinfo=UTC)
    for _ in range(3):
        send_due_reminders(AS_OF, uow_factory=uow_factory, mailer=RecordingMailer(str(log), 0), now=now,
                           lifecycles=lifecycles, batch_size=4)
    assert set(sent_keys(log).values()) == {1} and sum(sent_keys(log).values()) == 2 * PARTNERSHIPS
