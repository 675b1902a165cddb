"""The in-memory outbox for unit tests: the same claiming, hand-off, retry and pruning rules as `SqlOutbox`."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Sequence
from datetime import datetime

from pppflow.adapters.mail.outbox import UNCERTAIN_NOTE, OutboxMessage, OutboxStatus


class FakeOutbox:
    """In memory, for unit tests; the same claiming rules as the SQL outbox."""

    def __init__(self) -> None:
        self.rows: dict[str, OutboxMessage] = {}

    def existing(self, keys: Sequence[str]) -> set[str]:
        return {k for k in keys if k in self.rows}

    def add(self, messages: Sequence[OutboxMessage]) -> list[str]:
        added = []
        for m in sorted(messages, key=lambda m: m.key):
            if m.key not in self.rows:
                self.rows[m.key] = dataclasses.replace(m, id=len(self.rows) + 1)
                added.append(m.key)
        return added

    def _claimable(self, m: OutboxMessage, now: datetime, kinds: Sequence[str] | None) -> bool:
        return (m.status == OutboxStatus.PENDING and (m.next_attempt_at is None or m.next_attempt_at <= now)
                and (m.claimed_until is None or m.claimed_until < now) and (not kinds or m.kind in kinds))

    def claim(self, *, now: datetime, until: datetime, token: str, limit: int,
              kinds: Sequence[str] | None = None) -> list[OutboxMessage]:
        claimed = [m for m in sorted(self.rows.values(), key=lambda m: m.id or 0)
                   if self._claimable(m, now, kinds)][:limit]
        for m in claimed:
            m.claim_token, m.claimed_until = token, until
        return [dataclasses.replace(m) for m in claimed]

    def _held(self, message_id: int, token: str) -> OutboxMessage | None:
        return next((m for m in self.rows.values() if m.id == message_id and m.claim_token == token), None)

    def expire_hand_offs(self, *, now: datetime) -> int:
        expired = [m for m in self.rows.values() if m.status == OutboxStatus.HANDED
                   and m.claimed_until is not None and m.claimed_until < now]
        for m in expired:
            m.status, m.claim_token, m.claimed_until = OutboxStatus.UNCERTAIN.value, None, None
            m.last_error = UNCERTAIN_NOTE
        return len(expired)

    def mark_handed(self, message_id: int, token: str, *, now: datetime) -> bool:
        m = self._held(message_id, token)
        if m:
            m.status, m.handed_at = OutboxStatus.HANDED.value, now
        return m is not None

    def mark_sent(self, message_id: int, token: str, *, now: datetime) -> bool:
        m = self._held(message_id, token)
        if m:
            m.status, m.sent_at, m.claim_token, m.claimed_until = OutboxStatus.SENT.value, now, None, None
        return m is not None

    def mark_failed(self, message_id: int, token: str, *, error: str, next_attempt_at: datetime) -> bool:
        m = self._held(message_id, token)
        if m:
            m.attempts, m.last_error, m.next_attempt_at = m.attempts + 1, error, next_attempt_at
            m.status, m.handed_at, m.claim_token, m.claimed_until = OutboxStatus.PENDING.value, None, None, None
        return m is not None

    def mark_uncertain(self, message_id: int, token: str, *, error: str) -> bool:
        m = self._held(message_id, token)
        if m:
            m.attempts, m.last_error, m.status = m.attempts + 1, error, OutboxStatus.UNCERTAIN.value
            m.claim_token = m.claimed_until = None
        return m is not None

    def release(self, message_ids: Sequence[int], token: str) -> None:
        for message_id in message_ids:
            m = self._held(message_id, token)
            if m:
                m.claim_token = m.claimed_until = None

    def _wanted(self, m: OutboxMessage, failed: bool, pending: bool, uncertain: bool) -> bool:
        return ((failed and m.has_failed) or (pending and m.status == OutboxStatus.PENDING)
                or (uncertain and m.status == OutboxStatus.UNCERTAIN))

    def list(self, *, failed: bool = False, pending: bool = False, uncertain: bool = False,
             limit: int | None = None) -> list[OutboxMessage]:
        rows = sorted(self.rows.values(), key=lambda m: -(m.id or 0))
        if failed or pending or uncertain:
            rows = [m for m in rows if self._wanted(m, failed, pending, uncertain)]
        return rows[:limit] if limit else rows

    def by_ids(self, message_ids: Sequence[int]) -> builtins.list[OutboxMessage]:
        return [m for m in self.rows.values() if m.id in message_ids]

    def retry(self, message_ids: Sequence[int], *, failed: bool = False, uncertain: bool = False) -> builtins.list[int]:
        def chosen_one(m: OutboxMessage) -> bool:
            if message_ids:
                return m.id in message_ids and self._wanted(m, True, False, True)
            return self._wanted(m, failed, False, uncertain)

        chosen = [m for m in sorted(self.rows.values(), key=lambda m: m.id or 0) if chosen_one(m)]
        for m in chosen:
            m.status, m.next_attempt_at, m.handed_at = OutboxStatus.PENDING.value, None, None
            m.claim_token = m.claimed_until = None
        return [m.id for m in chosen if m.id is not None]

    def prune(self, *, sent_before: datetime, now: datetime) -> int:
        old = [m for m in self.rows.values() if m.status == OutboxStatus.SENT and m.sent_at is not None
               and m.sent_at < sent_before and m.pruned_at is None]
        for m in old:
            m.message, m.recipients, m.subject, m.about, m.pruned_at = None, [], "", "", now
        return len(old)

    def count_pending(self, *, kinds: Sequence[str] | None = None) -> int:
        return sum(m.status == OutboxStatus.PENDING and (not kinds or m.kind in kinds) for m in self.rows.values())
