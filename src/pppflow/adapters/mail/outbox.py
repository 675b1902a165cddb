"""The outbox of reminder mail: every message is a row, keyed uniquely by what it is about, before it is sent.

Workers claim pending rows with a lease (`claim_token`, `claimed_until`): on PostgreSQL with
`SELECT ... FOR UPDATE SKIP LOCKED`, on SQLite under the database's single write lock. The claiming UPDATE
re-checks that a row is still claimable, so two workers never hold the same row; a worker that dies leaves
its rows to be claimed again when the lease ends.

Before a message goes to the mail transport it is marked `handed` in a committed transaction. A worker that dies
before marking it sent leaves it `handed`; when the lease ends the next claim turns it `uncertain` (it may have
arrived; `expire_hand_offs`, run before each claim) instead of sending it again. Only `retry` (an operator) sends an
uncertain message again.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import Connection, and_, func, or_, select, update
from sqlalchemy.orm import Session

from pppflow.adapters.db.schema import insert_skipping_duplicates, outbox
from pppflow.errors import ConflictError

CHUNK = 500


class OutboxStatus(StrEnum):
    """Where a message stands; a failed attempt leaves it pending with `last_error` until its retry."""

    PENDING = "pending"   # to be sent; after a failed attempt it waits until next_attempt_at
    HANDED = "handed"     # being handed to the mail transport by the worker holding the lease
    SENT = "sent"
    UNCERTAIN = "uncertain"  # the sender died (or lost the reply) after handing it over: it may have arrived
    FAILED = "failed"     # cannot be sent as it is (e.g. a bad address): never retried


@dataclass
class OutboxMessage:
    """One reminder e-mail and its delivery state; `message` is the composed e-mail as text."""

    key: str
    partnership_ref: str
    kind: str
    step: str
    about: str
    send_on: date
    recipients: list[dict[str, str]]
    subject: str
    message_id: str
    message: str | None
    created_at: datetime
    status: str = OutboxStatus.PENDING.value
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    handed_at: datetime | None = None
    pruned_at: datetime | None = None
    id: int | None = None
    claim_token: str | None = field(default=None, repr=False)
    claimed_until: datetime | None = field(default=None, repr=False)

    @property
    def has_failed(self) -> bool:
        """Given up, or waiting to be retried after a failed attempt."""
        return self.status == OutboxStatus.FAILED or (self.status == OutboxStatus.PENDING and bool(self.last_error))


class OutboxRepository(Protocol):
    """Queue (unique keys), claim with a lease, mark sent or failed, list."""

    def existing(self, keys: Sequence[str]) -> set[str]: ...
    def add(self, messages: Sequence[OutboxMessage]) -> list[str]: ...
    def claim(self, *, now: datetime, until: datetime, token: str, limit: int,
              kinds: Sequence[str] | None = None) -> list[OutboxMessage]: ...
    def expire_hand_offs(self, *, now: datetime) -> int: ...
    def mark_handed(self, message_id: int, token: str, *, now: datetime) -> bool: ...
    def mark_sent(self, message_id: int, token: str, *, now: datetime) -> bool: ...
    def mark_failed(self, message_id: int, token: str, *, error: str, next_attempt_at: datetime) -> bool: ...
    def mark_uncertain(self, message_id: int, token: str, *, error: str) -> bool: ...
    def release(self, message_ids: Sequence[int], token: str) -> None: ...
    def list(self, *, failed: bool = False, pending: bool = False, uncertain: bool = False,
             limit: int | None = None) -> list[OutboxMessage]: ...
    def by_ids(self, message_ids: Sequence[int]) -> builtins.list[OutboxMessage]: ...
    def retry(self, message_ids: Sequence[int], *, failed: bool = False,
              uncertain: bool = False) -> builtins.list[int]: ...
    def prune(self, *, sent_before: datetime, now: datetime) -> int: ...
    def count_pending(self, *, kinds: Sequence[str] | None = None) -> int: ...


def _claimable(now: datetime, kinds: Sequence[str] | None) -> Any:
    t = outbox.c
    condition = and_(t.status == OutboxStatus.PENDING.value,
                     or_(t.next_attempt_at.is_(None), t.next_attempt_at <= now),
                     or_(t.claimed_until.is_(None), t.claimed_until < now))
    return and_(condition, t.kind.in_(list(kinds))) if kinds else condition


@contextmanager
def _busy() -> Iterator[None]:
    """SQLite's write lock held too long by another worker is a conflict the caller may retry."""
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:
        if "locked" in str(exc.orig) or "could not serialize" in str(exc.orig):
            raise ConflictError("the outbox is busy with another worker", details=["retry"]) from exc
        raise


UNCERTAIN_NOTE = ("the sender stopped after handing this message to the mail server and before recording it sent: "
                  "it may have arrived; not resent unless retried")


def _retry_filters(failed: bool, uncertain: bool) -> list[Any]:
    t = outbox.c
    out = []
    if failed:
        out.append(or_(t.status == OutboxStatus.FAILED.value,
                       and_(t.status == OutboxStatus.PENDING.value, t.last_error.is_not(None))))
    if uncertain:
        out.append(t.status == OutboxStatus.UNCERTAIN.value)
    return out


def _row(r: Any) -> OutboxMessage:
    values = dict(r._mapping)
    return OutboxMessage(**{f.name: values[f.name] for f in dataclasses.fields(OutboxMessage)})


class SqlOutbox:
    """The outbox table, on the unit of work's connection."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def connection(self) -> Connection:
        return self.session.connection()

    def existing(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), CHUNK):
            chunk = list(keys[start:start + CHUNK])
            found |= set(self.connection.execute(select(outbox.c.key).where(outbox.c.key.in_(chunk))).scalars())
        return found

    def add(self, messages: Sequence[OutboxMessage]) -> list[str]:
        """Insert, skipping keys already there (another worker's); returns the keys this call inserted."""
        if not messages:
            return []
        rows = [{k: v for k, v in dataclasses.asdict(m).items() if k != "id"}
                for m in sorted(messages, key=lambda m: m.key)]  # one order everywhere: no deadlock
        stmt = insert_skipping_duplicates(self.connection.dialect.name, outbox, ["key"]).returning(outbox.c.key)
        with _busy():
            return list(self.connection.execute(stmt, rows).scalars())

    def claim(self, *, now: datetime, until: datetime, token: str, limit: int,
              kinds: Sequence[str] | None = None) -> list[OutboxMessage]:
        """Lease up to `limit` claimable rows to `token`; rows another worker holds are skipped."""
        condition = _claimable(now, kinds)
        with _busy():
            ids = list(self.connection.execute(select(outbox.c.id).where(condition).order_by(outbox.c.id)
                                               .limit(limit).with_for_update(skip_locked=True)).scalars())
            if not ids:
                return []
            self.connection.execute(update(outbox).where(outbox.c.id.in_(ids), condition)
                                    .values(claim_token=token, claimed_until=until))
            rows = self.connection.execute(select(outbox).where(outbox.c.claim_token == token)
                                           .order_by(outbox.c.id))
            return [_row(r) for r in rows]

    def expire_hand_offs(self, *, now: datetime) -> int:
        """Messages handed over by a sender whose lease ended without a result become uncertain; how many."""
        with _busy():
            result = self.connection.execute(
                update(outbox).where(outbox.c.status == OutboxStatus.HANDED.value, outbox.c.claimed_until < now)
                .values(status=OutboxStatus.UNCERTAIN.value, claim_token=None, claimed_until=None,
                        last_error=UNCERTAIN_NOTE))
        return int(result.rowcount)

    def mark_handed(self, message_id: int, token: str, *, now: datetime) -> bool:
        """Note the hand-off before it happens; the lease stays with the worker."""
        with _busy():
            result = self.connection.execute(
                update(outbox).where(outbox.c.id == message_id, outbox.c.claim_token == token)
                .values(status=OutboxStatus.HANDED.value, handed_at=now))
        return result.rowcount == 1

    def mark_sent(self, message_id: int, token: str, *, now: datetime) -> bool:
        return self._update(message_id, token, status=OutboxStatus.SENT.value, sent_at=now)

    def mark_failed(self, message_id: int, token: str, *, error: str, next_attempt_at: datetime) -> bool:
        return self._update(message_id, token, status=OutboxStatus.PENDING.value, handed_at=None,
                            attempts=outbox.c.attempts + 1, last_error=error, next_attempt_at=next_attempt_at)

    def mark_uncertain(self, message_id: int, token: str, *, error: str) -> bool:
        return self._update(message_id, token, status=OutboxStatus.UNCERTAIN.value, attempts=outbox.c.attempts + 1,
                            last_error=error)

    def _update(self, message_id: int, token: str, **values: Any) -> bool:
        with _busy():
            result = self.connection.execute(
                update(outbox).where(outbox.c.id == message_id, outbox.c.claim_token == token)
                .values(claim_token=None, claimed_until=None, **values))
        return result.rowcount == 1

    def by_ids(self, message_ids: Sequence[int]) -> list[OutboxMessage]:
        return [_row(r) for r in self.connection.execute(select(outbox).where(outbox.c.id.in_(list(message_ids))))]

    def retry(self, message_ids: Sequence[int], *, failed: bool = False, uncertain: bool = False) -> list[int]:
        """Make these messages (or every failed / uncertain one) pending and due now; returns their ids."""
        t = outbox.c
        condition = or_(*_retry_filters(failed, uncertain)) if not message_ids else and_(
            t.id.in_(list(message_ids)), or_(*_retry_filters(True, True)))
        with _busy():
            ids = list(self.connection.execute(select(t.id).where(condition).order_by(t.id)).scalars())
            if ids:
                self.connection.execute(update(outbox).where(t.id.in_(ids))
                                        .values(status=OutboxStatus.PENDING.value, next_attempt_at=None,
                                                handed_at=None, claim_token=None, claimed_until=None))
        return ids

    def prune(self, *, sent_before: datetime, now: datetime) -> int:
        """Remove the text and recipients of messages sent before `sent_before`; their rows and keys stay."""
        t = outbox.c
        with _busy():
            result = self.connection.execute(
                update(outbox).where(t.status == OutboxStatus.SENT.value, t.sent_at < sent_before,
                                     t.pruned_at.is_(None))
                .values(message=None, recipients=[], subject="", about="", pruned_at=now))
        return int(result.rowcount)

    def release(self, message_ids: Sequence[int], token: str) -> None:
        with _busy():
            self.connection.execute(update(outbox).where(outbox.c.id.in_(list(message_ids)),
                                                         outbox.c.claim_token == token)
                                    .values(claim_token=None, claimed_until=None))

    def list(self, *, failed: bool = False, pending: bool = False, uncertain: bool = False,
             limit: int | None = None) -> list[OutboxMessage]:
        """Newest first; `failed`, `pending` and `uncertain` filter (several: any of them)."""
        t = outbox.c
        wanted = _retry_filters(failed, uncertain)
        if pending:
            wanted.append(t.status == OutboxStatus.PENDING.value)
        query = select(outbox).order_by(t.id.desc())
        if wanted:
            query = query.where(or_(*wanted))
        if limit:
            query = query.limit(limit)
        return [_row(r) for r in self.connection.execute(query)]

    def count_pending(self, *, kinds: Sequence[str] | None = None) -> int:
        condition = outbox.c.status == OutboxStatus.PENDING.value
        if kinds:
            condition = and_(condition, outbox.c.kind.in_(list(kinds)))
        return int(self.connection.execute(select(func.count()).select_from(outbox).where(condition)).scalar_one())


from pppflow.adapters.mail.outbox_fake import FakeOutbox  # noqa: E402  one import path for callers

__all__ = ["FakeOutbox", "OutboxMessage", "OutboxRepository", "OutboxStatus", "SqlOutbox"]
