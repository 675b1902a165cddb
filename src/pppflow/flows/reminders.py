"""The reminder jobs as Prefect flows: the service's reminder day (`services.reminder_day`) with every step run as
a task of the step's name, one task run per batch.

Retries are safe because the services are: a batch queued twice inserts nothing new (the outbox key is
unique), and a delivery retry only claims what is still pending. Tasks keep no cache: every call must run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from pppflow.errors import ConflictError, PppflowError
from pppflow.services import reminder_day as day
from pppflow.services.reminders import CHECKIN_KINDS, RENEWAL_KINDS

T = TypeVar("T")


def transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a lost race or an outage, not a user's mistake (bad data stays bad on a second try)."""
    try:
        state.result()
    except ConflictError:
        return True
    except PppflowError:
        return False
    except Exception:  # noqa: BLE001 - anything else (an outage of SMTP or the database) is worth a retry
        return True
    return False


RETRIES: dict[str, Any] = {"retries": 2, "retry_delay_seconds": [10, 60], "retry_condition_fn": transient,
                           "cache_policy": NO_CACHE}
_TASKS: dict[Callable[..., Any], Any] = {}


def in_task(step: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """The flow's step runner: the service step as a Prefect task of the same name, retried when it may help.

    The adapters are handed over as they are (`quote`: Prefect does not walk into them)."""
    if step not in _TASKS:
        _TASKS[step] = task(name=step.__name__, **RETRIES)(step)
    return _TASKS[step](*args, **{k: quote(v) for k, v in kwargs.items()})  # type: ignore[no-any-return]


def _parts(*names: str) -> dict[str, Any]:
    """These parts of the process's wiring (`now` read from its clock), for one step run by hand."""
    from pppflow import bootstrap

    w = bootstrap.wiring()
    return {name: w.now() if name == "now" else getattr(w, name) for name in names}


# Each step of the day alone, as a task on the configured wiring (plain values in and out).

@task(**RETRIES)
def mark_missed(as_of: str) -> int:
    """Store `missed` on check-ins not held within their grace days."""
    return day.mark_missed(date.fromisoformat(as_of), **_parts("uow_factory", "lifecycles", "now"))


@task(**RETRIES)
def plan_batches(as_of: str, kinds: list[str], batch_size: int) -> list[list[str]]:
    """The partnerships with something due, in batches."""
    return day.plan_batches(date.fromisoformat(as_of), kinds, batch_size, **_parts("uow_factory", "lifecycles"))


@task(**RETRIES)
def queue_batch(as_of: str, refs: list[str], kinds: list[str]) -> dict[str, int]:
    """Put one batch's due reminders into the outbox."""
    queued = day.queue_batch(date.fromisoformat(as_of), refs, kinds,
                             **_parts("uow_factory", "lifecycles", "now", "mail_from"))
    return {"due": queued.due, "queued": len(queued.queued)}


@task(**RETRIES)
def deliver_batch(kinds: list[str], batch_size: int) -> dict[str, int]:
    """Send one batch of pending messages from the outbox."""
    d = day.deliver_batch(kinds, batch_size, **_parts("uow_factory", "mailer", "now"))
    return {"claimed": d.claimed, "sent": d.sent, "failed": d.failed, "uncertain": d.uncertain}


def run_reminders(as_of: str | None, kinds: tuple[str, ...], batch_size: int) -> dict[str, Any]:
    """The service's reminder day with each step a task; for the check-in job also the partners' digests."""
    from pppflow import bootstrap
    from pppflow.services.digest import send_partner_digests

    w = bootstrap.wiring()
    on = w.day(date.fromisoformat(as_of) if as_of else None)
    parts: dict[str, Any] = {"uow_factory": w.uow_factory, "mailer": w.mailer, "now": w.now(),
                             "lifecycles": w.lifecycles, "mail_from": w.mail_from}
    run = day.run_reminder_day(on, kinds, batch_size=batch_size, run_step=in_task, **parts)
    totals: dict[str, Any] = {"as_of": on.isoformat(), "missed": run.missed, "due": run.due,
                              "queued": len(run.queued), "sent": run.sent, "failed": run.failed,
                              "uncertain": run.uncertain}
    if "checkin" in kinds:  # the daily job also mails each partner contact its digest, once a day
        digests = send_partner_digests(on, base_url=w.base_url, batch_size=batch_size, run_step=in_task, **parts)
        totals["digests"] = {"queued": len(digests.queued), "sent": digests.sent, "failed": digests.failed}
    return totals


@task(**RETRIES)
def prune_outbox() -> int:
    """Remove text and recipients of sent mail older than the retention (PPPFLOW_OUTBOX_RETENTION_DAYS)."""
    from pppflow import bootstrap, upkeep

    return upkeep.prune_outbox(bootstrap.wiring())


@task(cache_policy=NO_CACHE)
def audit_checkpoint() -> dict[str, Any]:
    """The day's signed checkpoint of the audit chain (log, and mail when PPPFLOW_AUDIT_CHECKPOINT_TO is set)."""
    from pppflow import bootstrap, upkeep

    return upkeep.daily_audit_checkpoint(bootstrap.wiring())


@flow(name="send_checkin_reminders")
def send_checkin_reminders(as_of: str | None = None, batch_size: int = 200) -> dict[str, Any]:
    """Check-in reminders and escalations, and obligation reminders, for one day (default: today, UTC); then the
    day's audit checkpoint."""
    totals = run_reminders(as_of, CHECKIN_KINDS, batch_size)
    totals["pruned"] = prune_outbox()
    totals["audit_checkpoint"] = audit_checkpoint()
    return totals


@flow(name="send_renewal_notices")
def send_renewal_notices(as_of: str | None = None, batch_size: int = 200) -> dict[str, Any]:
    """Notices before the end of the term, for one day (default: today, UTC)."""
    return run_reminders(as_of, RENEWAL_KINDS, batch_size)
