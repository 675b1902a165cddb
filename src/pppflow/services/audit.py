"""Verify the audit trail's hash chain against its head and its checkpoints; write signed checkpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from pppflow.adapters.audit_anchor import CheckpointStore
from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.mail import Mailer, message_id
from pppflow.domain.audit import HEAD_MISSING, AuditEntry, ChainReport, verify_chain
from pppflow.domain.audit_checkpoint import Checkpoint, anchors, sign_checkpoint
from pppflow.errors import AuditChainDamaged

CHECKPOINT_KIND = "audit"
UowFactory = Callable[[], UnitOfWork]


def verify_audit(*, uow: UnitOfWork, checkpoints: Sequence[Checkpoint] = (), key: bytes | None = None) -> ChainReport:
    """Walk every entry in order; check the head against the last entry and the entries against the checkpoints."""
    known, problem = anchors(list(checkpoints), key)
    with uow:
        read: dict[str, tuple[int, str]] = {}

        def walk() -> Iterator[AuditEntry]:
            last = 0
            with closing(uow.audit.entries()) as first:
                for e in first:
                    last = e.seq
                    yield e
            # read after the walk: a head past the last entry seen means entries committed meanwhile (the head
            # and its entries commit together), so those are read too; nothing committed later is looked at
            read["head"] = head = uow.audit.head()
            if head != HEAD_MISSING and head[0] > last:
                with closing(uow.audit.entries(after=last, upto=head[0])) as rest:
                    yield from rest

        report = verify_chain(walk(), head=lambda: read["head"], anchors=known)
    if problem and report.ok:
        return ChainReport(False, report.entries, None, problem)
    return report


def write_checkpoint(*, uow_factory: UowFactory, store: CheckpointStore, now: datetime, mailer: Mailer | None = None,
                     mail_to: str | None = None, mail_from: str = "pppflow@localhost") -> Checkpoint:
    """Sign the chain's last entry and append it to the checkpoint log; mail it through the outbox when asked (and
    deliver checkpoint mail still pending from earlier runs).

    Refuses (AuditChainDamaged) to anchor a trail that does not verify.
    """
    key = store.key(create=True)
    assert key is not None
    report = verify_audit(uow=uow_factory(), checkpoints=store.logged(), key=key)
    if not report.ok:
        raise AuditChainDamaged(f"the audit trail does not verify, so no checkpoint was written: {report.problem}",
                                details=["the audit verify check names the damaged entry"], hint="verify_audit")
    with uow_factory() as uow:
        head = uow.audit.head()
    checkpoint = sign_checkpoint(head[0], head[1], now=now, key=key)
    store.append(checkpoint)
    if mail_to:
        queue_checkpoint_mail(checkpoint, uow_factory=uow_factory, mail_to=mail_to, mail_from=mail_from, now=now)
    if mailer is not None:  # this one, and any earlier one that could not be sent then
        from pppflow.services.reminders import deliver_pending

        deliver_pending(uow_factory=uow_factory, mailer=mailer, now=now, kinds=[CHECKPOINT_KIND])
    return checkpoint


def queue_checkpoint_mail(checkpoint: Checkpoint, *, uow_factory: UowFactory, mail_to: str, mail_from: str,
                          now: datetime) -> None:
    """Queue the checkpoint as an e-mail in the outbox, once per checkpoint."""
    from pppflow.adapters.mail.outbox import OutboxMessage

    key = f"audit:{checkpoint.seq}:{checkpoint.at}:checkpoint:{checkpoint.seq}"
    mail = EmailMessage()
    mail["Subject"] = f"pppflow audit checkpoint: entry {checkpoint.seq}"
    mail["From"] = mail_from
    mail["To"] = mail_to
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = message_id(key, mail_from)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content("Keep this message somewhere the pppflow database cannot reach. Saved as a file, the line\n"
                     "below lets `pppflow audit verify --checkpoint FILE` show whether entries up to this one were\n"
                     "deleted or rewritten since.\n\n" + checkpoint.line() + "\n")
    row = OutboxMessage(key=key, partnership_ref="", kind=CHECKPOINT_KIND, step="checkpoint",
                        about=f"entry {checkpoint.seq}", send_on=now.date(),
                        recipients=[{"name": "", "email": mail_to, "role": "to"}], subject=str(mail["Subject"]),
                        message_id=str(mail["Message-ID"]), message=mail.as_string(), created_at=now)
    with uow_factory() as uow:
        uow.outbox.add([row])
        uow.commit()
