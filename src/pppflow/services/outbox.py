"""Looking after the outbox: send failed or uncertain messages again on request, prune old sent mail."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.mail import Mailer
from pppflow.adapters.mail.outbox import OutboxStatus
from pppflow.errors import BadInput, NotAllowed, NotFound

UowFactory = Callable[[], UnitOfWork]


@dataclass
class Retry:
    """What `retry_messages` queued again and what the delivery that followed did."""

    retried: list[int] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    uncertain: int = 0


def retry_messages(message_ids: Sequence[int], *, failed: bool = False, uncertain: bool = False,
                   uow_factory: UowFactory, mailer: Mailer, now: datetime) -> Retry:
    """Make the named messages (or every failed / uncertain one) pending now, then deliver what is pending.

    An unknown id is NotFound; a message already sent or still waiting its turn is NotAllowed; nothing is changed then.
    """
    from pppflow.services.reminders import deliver_pending

    if not message_ids and not (failed or uncertain):
        raise BadInput("name the messages to retry (their ID from `outbox list`), or use --failed or --uncertain")
    with uow_factory() as uow:
        if message_ids:
            known = {m.id: m for m in uow.outbox.by_ids(message_ids)}
            missing = [i for i in message_ids if i not in known]
            if missing:
                raise NotFound(f"the outbox has no message {', '.join(map(str, missing))}")
            stuck = [m for m in known.values() if not (m.has_failed or m.status == OutboxStatus.UNCERTAIN)]
            if stuck:
                raise NotAllowed("only failed or uncertain messages can be retried",
                                 details=[f"message {m.id} is {m.status}" for m in stuck])
        result = Retry(uow.outbox.retry(list(message_ids), failed=failed, uncertain=uncertain))
        uow.commit()
    while result.retried:
        d = deliver_pending(uow_factory=uow_factory, mailer=mailer, now=now)
        result.sent, result.failed, result.uncertain = (result.sent + d.sent, result.failed + d.failed,
                                                        result.uncertain + d.uncertain)
        if not d.claimed:
            break
    return result


def prune_sent(*, uow_factory: UowFactory, now: datetime, retention_days: int) -> int:
    """Remove text and recipients of mail sent more than `retention_days` ago; keys and dates stay (a rerun of an
    old day then queues nothing again). Returns how many messages were pruned."""
    with uow_factory() as uow:
        pruned = uow.outbox.prune(sent_before=now - timedelta(days=retention_days), now=now)
        uow.commit()
    return pruned
