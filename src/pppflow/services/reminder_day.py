"""One reminder day, step by step: the CLI runs the steps with a plain call, the Prefect flow as tasks.

`run_reminder_day` is the day (mark missed check-ins, queue batch by batch, deliver until a batch claims nothing,
count what waits); each step is a function named as the flow's task is, and goes through a `StepRunner`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from pppflow.adapters.mail import Mailer
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.services.checkins import mark_missed_checkins
from pppflow.services.reminders import (
    BATCH_SIZE,
    DEFAULT_MAIL_FROM,
    Delivery,
    QueuedReminder,
    ReminderRun,
    UowFactory,
    deliver_pending,
    queue_reminders,
    reminder_batches,
)

MAX_DELIVERY_BATCHES = 10_000  # a day's delivery stops after this many batches, whatever is left

T = TypeVar("T")


class StepRunner(Protocol):
    """Runs one step of a day: a plain call (`call`), or, in a Prefect flow, a task named after the step."""

    def __call__(self, step: Callable[..., T], /, *args: Any, **kwargs: Any) -> T: ...


def call(step: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """The plain step runner: call the step."""
    return step(*args, **kwargs)


# The steps of a reminder day, each a short transaction or a few, safe to run again (a retried task).

def mark_missed(as_of: date, *, uow_factory: UowFactory, lifecycles: LifecycleRegistry, now: datetime) -> int:
    """Store `missed` on check-ins not held within their grace days; returns how many."""
    return mark_missed_checkins(as_of, uow_factory=uow_factory, lifecycles=lifecycles, now=now)


def plan_batches(as_of: date, kinds: Sequence[str], batch_size: int, *, uow_factory: UowFactory,
                 lifecycles: LifecycleRegistry) -> list[list[str]]:
    """The partnerships with something due, in batches."""
    return reminder_batches(as_of, kinds, uow_factory=uow_factory, lifecycles=lifecycles, batch_size=batch_size)


@dataclass(frozen=True)
class BatchQueued:
    """How many reminders of a batch are due (queued before included), and those this step queued."""

    due: int
    queued: list[QueuedReminder]


def queue_batch(as_of: date, refs: Sequence[str], kinds: Sequence[str], *, uow_factory: UowFactory,
                lifecycles: LifecycleRegistry, now: datetime, mail_from: str = DEFAULT_MAIL_FROM,
                dry_run: bool = False) -> BatchQueued:
    """Put one batch's due reminders into the outbox (a dry run: say which it would put)."""
    return BatchQueued(*queue_reminders(as_of, refs, kinds, uow_factory=uow_factory, lifecycles=lifecycles, now=now,
                                        mail_from=mail_from, dry_run=dry_run))


def deliver_batch(kinds: Sequence[str], batch_size: int, *, uow_factory: UowFactory, mailer: Mailer,
                  now: datetime) -> Delivery:
    """Send one batch of pending messages of these kinds from the outbox."""
    return deliver_pending(uow_factory=uow_factory, mailer=mailer, now=now, kinds=kinds, limit=batch_size)


def count_waiting(kinds: Sequence[str], *, uow_factory: UowFactory) -> int:
    """Pending messages of these kinds left in the outbox (retried after a backoff)."""
    with uow_factory() as uow:
        return int(uow.outbox.count_pending(kinds=kinds))


def deliver_all(kinds: Sequence[str], batch_size: int, *, uow_factory: UowFactory, mailer: Mailer, now: datetime,
                run_step: StepRunner = call) -> Delivery:
    """Deliver batch after batch until a batch claims nothing (at most MAX_DELIVERY_BATCHES batches)."""
    total = Delivery()
    for _ in range(MAX_DELIVERY_BATCHES):
        d = run_step(deliver_batch, kinds, batch_size, uow_factory=uow_factory, mailer=mailer, now=now)
        total.claimed, total.sent = total.claimed + d.claimed, total.sent + d.sent
        total.failed, total.uncertain = total.failed + d.failed, total.uncertain + d.uncertain
        if d.claimed == 0:
            break
    return total


def run_reminder_day(as_of: date, kinds: tuple[str, ...], *, uow_factory: UowFactory, mailer: Mailer, now: datetime,
                     lifecycles: LifecycleRegistry, dry_run: bool = False, batch_size: int = BATCH_SIZE,
                     mail_from: str = DEFAULT_MAIL_FROM, run_step: StepRunner = call) -> ReminderRun:
    """One day's reminders of these kinds: mark missed check-ins (check-in kinds), queue batch by batch, deliver
    until nothing is left to claim, count what waits for a retry. Each step goes through `run_step`."""
    run = ReminderRun(as_of, kinds, dry_run)
    if "checkin" in kinds and not dry_run:
        run.missed = run_step(mark_missed, as_of, uow_factory=uow_factory, lifecycles=lifecycles, now=now)
    for refs in run_step(plan_batches, as_of, kinds, batch_size, uow_factory=uow_factory, lifecycles=lifecycles):
        batch = run_step(queue_batch, as_of, refs, kinds, uow_factory=uow_factory, lifecycles=lifecycles, now=now,
                         mail_from=mail_from, dry_run=dry_run)
        run.due += batch.due
        run.queued += batch.queued
    if not dry_run:
        d = deliver_all(kinds, batch_size, uow_factory=uow_factory, mailer=mailer, now=now, run_step=run_step)
        run.sent, run.failed, run.uncertain = d.sent, d.failed, d.uncertain
    run.waiting = run_step(count_waiting, kinds, uow_factory=uow_factory)
    return run
