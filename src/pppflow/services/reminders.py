"""Reminder mail, exactly once: what is due on a day goes into the outbox first, then the outbox is delivered.

1. The check-ins job stores `missed` on check-ins not held by their date plus the grace days.
2. Candidates are selected by date with indexes (adapters.agenda); the pure rules (domain.reminders) decide.
3. New reminders are composed and inserted into the outbox (ON CONFLICT DO NOTHING on their key), in their
   own transaction, before anything is sent.
4. Pending rows are claimed with a lease, sent, and marked sent, or failed and retried after a backoff.

Re-running a day, a retried task, or two workers at once never queue or send a reminder twice. A message is marked
`handed` (committed) before it goes to the mail server; if the sender dies before marking it sent, the message turns
`uncertain` when its lease ends and is not sent again unless an operator retries it (`pppflow outbox retry`).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email import policy
from email.parser import Parser
from typing import Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.mail import MailDeliveryError, Mailer, compose, message_id
from pppflow.adapters.mail.outbox import OutboxMessage, OutboxStatus
from pppflow.adapters.workflow_files import LifecycleRegistry
from pppflow.domain.reminders import PartnershipReminderView, ReminderDue, reminders_due
from pppflow.errors import ConflictError, PppflowError
from pppflow.faults import fault_point
from pppflow.services.checkins import inactive_stages

log = logging.getLogger(__name__)

CHECKIN_KINDS = ("checkin", "obligation")
RENEWAL_KINDS = ("renewal",)
BATCH_SIZE = 200
LEASE = timedelta(minutes=15)
BACKOFF_FIRST = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=12)
DEFAULT_MAIL_FROM = "pppflow@localhost"
UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class QueuedReminder:
    """A reminder a run put into the outbox (or, in a dry run, would have)."""

    key: str
    ref: str
    kind: str
    step: str
    send_on: date
    recipients: tuple[str, ...]


@dataclass
class Delivery:
    """What one delivery batch claimed, sent, failed to send, and left uncertain (the sender lost the reply)."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    uncertain: int = 0


@dataclass
class ReminderRun:
    """What one run found, queued and delivered; `waiting` are pending rows left (retries after a backoff)."""

    as_of: date
    kinds: tuple[str, ...]
    dry_run: bool
    due: int = 0
    queued: list[QueuedReminder] = field(default_factory=list)
    missed: int = 0
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    uncertain: int = 0


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 5 minutes, doubling, at most 12 hours."""
    doublings: int = 2 ** max(attempts - 1, 0)
    return min(BACKOFF_FIRST * doublings, BACKOFF_MAX)


def reminder_batches(as_of: date, kinds: Sequence[str], *, uow_factory: UowFactory, lifecycles: LifecycleRegistry,
                     batch_size: int = BATCH_SIZE) -> list[list[str]]:
    """The references of the partnerships with candidates on `as_of`, in batches."""
    with uow_factory() as uow:
        refs = uow.agenda.reminder_refs(as_of, kinds, inactive_stages(lifecycles))
    return [refs[i:i + batch_size] for i in range(0, len(refs), batch_size)]


def queue_reminders(as_of: date, refs: Sequence[str], kinds: Sequence[str], *, uow_factory: UowFactory,
                    lifecycles: LifecycleRegistry, now: datetime, mail_from: str = DEFAULT_MAIL_FROM,
                    dry_run: bool = False) -> tuple[int, list[QueuedReminder]]:
    """Put the reminders due for these partnerships into the outbox, in one transaction.

    Returns how many are due (including those queued before) and the ones this call queued; a dry run
    returns the ones it would queue and writes nothing.
    """
    with uow_factory() as uow:
        views = uow.agenda.reminder_views(as_of, refs, kinds, inactive_stages(lifecycles))
        due = [(r, v) for v in views for r in reminders_due(v, as_of) if r.kind in kinds]
        known = uow.outbox.existing([r.key for r, _ in due])
        new = [(r, v) for r, v in due if r.key not in known]
        if dry_run:
            return len(due), [queued_view(r) for r, _ in new]
        inserted = set(uow.outbox.add([outbox_message(r, v, mail_from=mail_from, now=now) for r, v in new]))
        uow.commit()
    return len(due), [queued_view(r) for r, _ in new if r.key in inserted]


def queued_view(r: ReminderDue) -> QueuedReminder:
    """The short record of a reminder a run queued."""
    return QueuedReminder(r.key, r.partnership_ref, r.kind, r.step, r.send_on, tuple(x.email for x in r.recipients))


def outbox_message(r: ReminderDue, view: PartnershipReminderView, *, mail_from: str, now: datetime) -> OutboxMessage:
    """The outbox row of a due reminder with its composed e-mail; one that cannot be composed is `failed`."""
    row = OutboxMessage(key=r.key, partnership_ref=r.partnership_ref, kind=r.kind, step=r.step, about=r.subject,
                        send_on=r.send_on, recipients=[{"name": x.name, "email": x.email, "role": x.role}
                                                       for x in r.recipients],
                        subject="", message_id=message_id(r.key, mail_from), message=None, created_at=now)
    try:
        mail = compose(r, mail_from=mail_from, coordinator_email=view.coordinator_email or None,
                       partnership_name=view.name, now=now, language=view.language)
    except PppflowError as exc:
        row.status, row.last_error, row.subject = OutboxStatus.FAILED.value, describe(exc), f"{r.kind} {r.step}"
        return row
    # unfolded: Python's parser keeps a fold's space inside an encoded word, so a folded header would not
    # read back the same; the mailer folds again when it sends
    row.subject, row.message = str(mail["Subject"]), mail.as_string(policy=mail.policy.clone(max_line_length=None))
    return row


def deliver_pending(*, uow_factory: UowFactory, mailer: Mailer, now: datetime,
                    kinds: Sequence[str] | None = None, limit: int = BATCH_SIZE) -> Delivery:
    """Claim up to `limit` pending messages; for each, record the hand-off, send, and mark it sent, failed (retried
    after a backoff) or uncertain (the server may have it: never resent automatically), each in its own
    transaction."""
    token = uuid.uuid4().hex
    try:
        expired = int(_on_outbox(uow_factory, lambda o: o.expire_hand_offs(now=now)))
    except ConflictError:
        expired = 0  # another worker holds the write lock; a later claim expires them
    batch = _claim(uow_factory, now=now, token=token, limit=limit, kinds=kinds)
    result = Delivery(claimed=len(batch), uncertain=expired)
    handed: set[int] = set()
    try:
        for m in batch:
            assert m.id is not None and m.message is not None
            if not _on_outbox(uow_factory, lambda o, m=m: o.mark_handed(m.id, token, now=now)):
                continue  # the lease was lost to another worker: it is theirs now
            handed.add(m.id)  # from here on it is sent, failed or uncertain, never simply released
            try:
                mailer.send(Parser(policy=policy.default).parsestr(m.message))
            except MailDeliveryError as exc:
                log.warning("message %s not sent (attempt %d): %s", m.key, m.attempts + 1, describe(exc))
                if exc.uncertain:
                    _on_outbox(uow_factory, lambda o, m=m, exc=exc: o.mark_uncertain(
                        m.id, token, error=describe(exc)))
                    result.uncertain += 1
                else:
                    _on_outbox(uow_factory, lambda o, m=m, exc=exc: o.mark_failed(
                        m.id, token, error=describe(exc), next_attempt_at=now + backoff(m.attempts + 1)))
                    result.failed += 1
            else:
                _on_outbox(uow_factory, lambda o, m=m: o.mark_sent(m.id, token, now=now),
                           fault="before_commit")
                result.sent += 1
    finally:
        left = [m.id for m in batch if m.id not in handed]
        if left:
            _on_outbox(uow_factory, lambda o: o.release(left, token))
    return result


def _claim(uow_factory: UowFactory, *, now: datetime, token: str, limit: int,
           kinds: Sequence[str] | None) -> list[OutboxMessage]:
    for attempt in range(5):
        try:
            with uow_factory() as uow:
                batch = uow.outbox.claim(now=now, until=now + LEASE, token=token, limit=limit, kinds=kinds)
                uow.commit()
            return batch
        except ConflictError:
            time.sleep(0.05 * 2 ** attempt)  # another worker holds SQLite's write lock
    return []


def _on_outbox(uow_factory: UowFactory, change: Callable[..., Any], *, fault: str | None = None) -> Any:
    with uow_factory() as uow:
        done = change(uow.outbox)
        if fault:
            fault_point(fault)
        uow.commit()
    return done


def describe(exc: PppflowError) -> str:
    """An error with its details on one line, as stored in `last_error`."""
    return "; ".join([exc.message, *exc.details])


def send_due_reminders(as_of: date, *, uow_factory: UowFactory, mailer: Mailer, now: datetime,
                       lifecycles: LifecycleRegistry, dry_run: bool = False, batch_size: int = BATCH_SIZE,
                       mail_from: str = DEFAULT_MAIL_FROM) -> ReminderRun:
    """Check-in reminders and escalations, obligation reminders: mark missed check-ins, queue, deliver."""
    from pppflow.services.reminder_day import run_reminder_day

    return run_reminder_day(as_of, CHECKIN_KINDS, uow_factory=uow_factory, mailer=mailer, now=now,
                            lifecycles=lifecycles, dry_run=dry_run, batch_size=batch_size, mail_from=mail_from)


def send_renewal_notices(as_of: date, *, uow_factory: UowFactory, mailer: Mailer, now: datetime,
                         lifecycles: LifecycleRegistry, dry_run: bool = False, batch_size: int = BATCH_SIZE,
                         mail_from: str = DEFAULT_MAIL_FROM) -> ReminderRun:
    """Notices before the end of the term to the coordinator and every signatory: queue, deliver."""
    from pppflow.services.reminder_day import run_reminder_day

    return run_reminder_day(as_of, RENEWAL_KINDS, uow_factory=uow_factory, mailer=mailer, now=now,
                            lifecycles=lifecycles, dry_run=dry_run, batch_size=batch_size, mail_from=mail_from)


def outbox_messages(*, uow: UnitOfWork, failed: bool = False, pending: bool = False, uncertain: bool = False,
                    limit: int | None = 200) -> list[OutboxMessage]:
    """The outbox, newest first; `failed`: given up or waiting for a retry; `pending`: not sent yet; `uncertain`:
    handed over by a sender that stopped before recording the result."""
    with uow:
        return uow.outbox.list(failed=failed, pending=pending, uncertain=uncertain, limit=limit)
