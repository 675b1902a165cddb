"""The flows' tasks as plain functions (`.fn()`): wired from the settings, retried only when it may help."""

from __future__ import annotations

from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from pppflow.errors import ConflictError, NotFound

pytest.importorskip("prefect")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from pppflow.config import get_settings

    monkeypatch.setenv("PPPFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PPPFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'home' / 'pppflow.db'}")
    for name in ("PPPFLOW_SMTP_HOST", "PPPFLOW_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()


def test_the_reminder_tasks_run_the_services_on_the_configured_database(home: Path, lifecycles: Any) -> None:
    from pppflow import bootstrap
    from pppflow.flows.reminders import deliver_batch, mark_missed, plan_batches, queue_batch
    from scheduling import REF, agreed

    agreed(bootstrap.wiring().uow_factory, lifecycles)
    assert mark_missed.fn("2027-01-19") == 1
    [batch] = plan_batches.fn("2027-01-19", ["checkin", "obligation"], 50)
    assert batch == [REF]
    assert queue_batch.fn("2027-01-19", batch, ["checkin", "obligation"]) == {"due": 1, "queued": 1}
    assert queue_batch.fn("2027-01-19", batch, ["checkin", "obligation"]) == {"due": 1, "queued": 0}  # a retry
    assert deliver_batch.fn(["checkin", "obligation"], 50) == {"claimed": 1, "sent": 1, "failed": 0, "uncertain": 0}
    assert deliver_batch.fn(["checkin", "obligation"], 50) == {"claimed": 0, "sent": 0, "failed": 0, "uncertain": 0}
    [eml] = (home / "outbox").glob("*.eml")  # the embedded default mailer: one file per message
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert message["X-Pppflow-Key"] == f"{REF}:2027-01-15:checkin:escalation"
    assert message["From"] == "pppflow@localhost"


def test_generating_agreements_calls_the_agreement_service_per_partnership(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pppflow.services.agreements as agreements
    from pppflow.flows.agreements import generate_agreement_task

    calls: list[tuple[str, dict[str, Any]]] = []

    def generate(ref: str, **kw: Any) -> Any:
        calls.append((ref, kw))
        return SimpleNamespace(version=SimpleNamespace(number=3), created=True)

    monkeypatch.setattr(agreements, "generate_agreement", generate)
    assert generate_agreement_task.fn("pact") == {"ref": "pact", "version": 3, "created": True}
    [(ref, kw)] = calls
    assert ref == "pact" and kw["actor"] == "prefect"
    assert sorted(kw) == ["actor", "lifecycles", "now", "renderer", "store", "uow_factory"]


@pytest.mark.parametrize(("error", "retry"), [(ConflictError("lost a race"), True), (NotFound("no such"), False),
                                              (OSError("disk"), True)])
def test_tasks_retry_what_may_pass_and_not_a_users_mistake(error: Exception, retry: bool) -> None:
    from pppflow.flows.reminders import transient

    class Failed:
        def result(self) -> None:
            raise error

    assert transient(None, None, Failed()) is retry
