"""One reminder day: the same steps and the same result whether each step is a plain call or wrapped (a flow's
task); the day decides its own stop rule and counts what waits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.mail import FakeMailer
from pppflow.adapters.workflow_files import load_registry
from pppflow.services.reminder_day import call, run_reminder_day
from pppflow.services.reminders import CHECKIN_KINDS
from scheduling import REF, agreed, morning, with_report

LIFECYCLES = load_registry()
DAY = date(2027, 1, 19)  # the first check-in is missed, its escalation is due
T = TypeVar("T")


class Recording:
    """A step runner that notes each step's name before calling it, as the flow's task wrapper would."""

    def __init__(self) -> None:
        self.steps: list[str] = []

    def __call__(self, step: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        self.steps.append(step.__name__)
        return step(*args, **kwargs)


def day_on_a_fresh_portfolio(run_step: Any, mailer: FakeMailer) -> Any:
    uow = FakeUnitOfWork()
    agreed(lambda: uow, LIFECYCLES, with_report())
    return run_reminder_day(DAY, CHECKIN_KINDS, uow_factory=lambda: uow, mailer=mailer, now=morning(DAY),
                            lifecycles=LIFECYCLES, run_step=run_step)


def test_a_plain_runner_and_a_recording_runner_give_the_same_day() -> None:
    plain_mail, recorded_mail, recording = FakeMailer(), FakeMailer(), Recording()
    plain = day_on_a_fresh_portfolio(call, plain_mail)
    recorded = day_on_a_fresh_portfolio(recording, recorded_mail)
    assert plain == recorded
    assert (plain.missed, plain.due, plain.sent, plain.waiting) == (1, 1, 1, 0)
    assert [q.key for q in plain.queued] == [f"{REF}:2027-01-15:checkin:escalation"]
    assert [m["X-Pppflow-Key"] for m in plain_mail.sent] == [m["X-Pppflow-Key"] for m in recorded_mail.sent]
    assert recording.steps == ["mark_missed", "plan_batches", "queue_batch", "deliver_batch", "deliver_batch",
                               "count_waiting"]  # delivery stops at the first batch that claims nothing


def test_a_failed_send_is_counted_as_waiting_by_either_runner() -> None:
    recording = Recording()
    run = day_on_a_fresh_portfolio(recording, FakeMailer(fail_times=1))
    assert (run.sent, run.failed, run.waiting) == (0, 1, 1)
    assert recording.steps[-1] == "count_waiting"


def test_a_dry_run_marks_nothing_and_delivers_nothing() -> None:
    recording, mailer = Recording(), FakeMailer()
    uow = FakeUnitOfWork()
    agreed(lambda: uow, LIFECYCLES, with_report())
    run = run_reminder_day(DAY, CHECKIN_KINDS, uow_factory=lambda: uow, mailer=mailer, now=morning(DAY),
                           lifecycles=LIFECYCLES, dry_run=True, run_step=recording)
    assert recording.steps == ["plan_batches", "queue_batch", "count_waiting"]
    assert (run.missed, len(run.queued), mailer.sent) == (0, 1, [])
