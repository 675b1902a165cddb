"""The reminder jobs as Prefect flows: thin wrappers over `services.reminders`, one task run per batch.

Retries are safe because the services are: a batch queued twice inserts nothing new (the outbox key is
unique), and a delivery retry only claims what is still pending. Tasks keep no cache: every call must run.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from pppflow.errors import ConflictError, PppflowError
from pppflow.services.reminders import CHECKIN_KINDS, RENEWAL_KINDS

MAX_DELIVERY_BATCHES = 10_000


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


def wiring() -> dict[str, Any]:
    """The configured database, lifecycles and clock, read in the task's own process."""
    from pppflow import bootstrap

    return {"uow_factory": bootstrap.unit_of_work, "lifecycles": bootstrap.lifecycles(), "now": bootstrap.utcnow()}


RETRIES: dict[str, Any] = {"retries": 2, "retry_delay_seconds": [10, 60], "retry_condition_fn": transient,
                           "cache_policy": NO_CACHE}


@task(**RETRIES)
def mark_missed(as_of: str) -> int:
    """Store `missed` on check-ins not held within their grace days."""
    from pppflow.services.checkins import mark_missed_checkins

    return mark_missed_checkins(date.fromisoformat(as_of), **wiring())


@task(**RETRIES)
def plan_batches(as_of: str, kinds: list[str], batch_size: int) -> list[list[str]]:
    """The partnerships with something due, in batches."""
    from pppflow.services.reminders import reminder_batches

    w = wiring()
    return reminder_batches(date.fromisoformat(as_of), kinds, uow_factory=w["uow_factory"],
                            lifecycles=w["lifecycles"], batch_size=batch_size)


@task(**RETRIES)
def queue_batch(as_of: str, refs: list[str], kinds: list[str]) -> dict[str, int]:
    """Put one batch's due reminders into the outbox."""
    from pppflow.config import get_settings
    from pppflow.services.reminders import queue_reminders

    due, queued = queue_reminders(date.fromisoformat(as_of), refs, kinds, mail_from=get_settings().mail_from,
                                  **wiring())
    return {"due": due, "queued": len(queued)}


@task(**RETRIES)
def queue_digests(as_of: str) -> int:
    """Queue the day's digest for every partner contact something awaits (once per contact and day)."""
    from pppflow.config import get_settings
    from pppflow.services.digest import queue_partner_digests

    settings = get_settings()
    return len(queue_partner_digests(date.fromisoformat(as_of), base_url=settings.base_url,
                                     mail_from=settings.mail_from, **wiring()))


@task(**RETRIES)
def deliver_batch(kinds: list[str], batch_size: int) -> dict[str, int]:
    """Send one batch of pending messages from the outbox."""
    from pppflow import bootstrap
    from pppflow.services.reminders import deliver_pending

    d = deliver_pending(uow_factory=bootstrap.unit_of_work, mailer=bootstrap.mailer(), now=bootstrap.utcnow(),
                        kinds=kinds, limit=batch_size)
    return {"claimed": d.claimed, "sent": d.sent, "failed": d.failed, "uncertain": d.uncertain}


def run_reminders(as_of: str | None, kinds: tuple[str, ...], batch_size: int) -> dict[str, Any]:
    """Mark missed check-ins (check-in job), queue batch by batch, then deliver batch by batch."""
    from pppflow import bootstrap

    day = (date.fromisoformat(as_of) if as_of else bootstrap.utcnow().date()).isoformat()
    totals: dict[str, Any] = {"as_of": day, "missed": 0, "due": 0, "queued": 0, "sent": 0, "failed": 0,
                              "uncertain": 0}
    if "checkin" in kinds:
        totals["missed"] = mark_missed(day)
    for refs in plan_batches(day, list(kinds), batch_size):
        queued = queue_batch(day, refs, list(kinds))
        totals["due"] += queued["due"]
        totals["queued"] += queued["queued"]
    for _ in range(MAX_DELIVERY_BATCHES):
        delivered = deliver_batch(list(kinds), batch_size)
        totals["sent"] += delivered["sent"]
        totals["failed"] += delivered["failed"]
        totals["uncertain"] += delivered["uncertain"]
        if not delivered["claimed"]:
            break
    if "checkin" in kinds:  # the daily job also mails each partner contact its digest, once a day
        totals["digests"] = {"queued": queue_digests(day), "sent": 0, "failed": 0}
        for _ in range(MAX_DELIVERY_BATCHES):
            delivered = deliver_batch(["digest"], batch_size)
            totals["digests"]["sent"] += delivered["sent"]
            totals["digests"]["failed"] += delivered["failed"]
            if not delivered["claimed"]:
                break
    return totals


@task(**RETRIES)
def prune_outbox() -> int:
    """Remove text and recipients of sent mail older than the retention (PPPFLOW_OUTBOX_RETENTION_DAYS)."""
    from pppflow import bootstrap

    return bootstrap.prune_outbox()


@task(cache_policy=NO_CACHE)
def audit_checkpoint() -> dict[str, Any]:
    """The day's signed checkpoint of the audit chain (log, and mail when PPPFLOW_AUDIT_CHECKPOINT_TO is set)."""
    from pppflow import bootstrap

    return bootstrap.daily_audit_checkpoint()


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
