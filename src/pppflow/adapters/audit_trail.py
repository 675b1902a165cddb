"""The append-only, hash-chained audit trail: SQL and in-memory implementations."""

from __future__ import annotations

from collections.abc import Generator
from typing import Protocol

from sqlalchemy import Connection, bindparam, func, insert, select, update

from pppflow.adapters.db.schema import audit_chain_head, audit_entries
from pppflow.domain.audit import GENESIS, HEAD_MISSING, AuditEntry, chain_entry
from pppflow.domain.model import AuditEvent
from pppflow.errors import AuditChainDamaged

# Built once: a statement object reused is not keyed and looked up in the compiled cache again on every append.
_HEAD = select(audit_chain_head.c.seq, audit_chain_head.c.hash).where(audit_chain_head.c.id == 1)
_LAST = select(audit_entries.c.seq, audit_entries.c.hash).order_by(audit_entries.c.seq.desc()).limit(1)
_HEAD_AND_LAST = _HEAD.add_columns(
    _LAST.with_only_columns(audit_entries.c.seq).scalar_subquery().label("last_seq"),
    _LAST.with_only_columns(audit_entries.c.hash).scalar_subquery().label("last_hash"))
_INSERT = insert(audit_entries)
_MOVE_HEAD = update(audit_chain_head).where(audit_chain_head.c.id == 1).values(
    seq=bindparam("new_seq"), hash=bindparam("new_hash"))

DAMAGED_DETAILS = ["nothing was saved; the audit verify check names the damaged entry (an administrator's job)"]


class AuditTrail(Protocol):
    def append(self, partnership_ref: str, events: list[AuditEvent]) -> list[AuditEntry]: ...
    def entries(self, partnership_ref: str | None = None, *, upto: int | None = None,
                after: int = 0) -> Generator[AuditEntry, None, None]: ...
    def head(self) -> tuple[int, str]: ...
    def latest(self, partnership_ref: str, limit: int) -> tuple[list[AuditEntry], int]: ...


def _link(events: list[AuditEvent], ref: str, seq: int, prev: str) -> list[AuditEntry]:
    out = []
    for e in events:
        seq += 1
        entry = chain_entry(seq, prev, partnership_ref=ref, at=e.at, actor=e.actor, action=e.action,
                            before=e.before, after=e.after, reason=e.reason, on_behalf_of=e.on_behalf_of)
        out.append(entry)
        prev = entry.hash
    return out


class SqlAuditTrail:
    """Appends inside the caller's transaction, holding the chain head's row lock until commit."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def head(self) -> tuple[int, str]:
        """The recorded last link; HEAD_MISSING when its row was deleted."""
        row = self.connection.execute(_HEAD).one_or_none()
        return (row.seq, row.hash) if row else HEAD_MISSING

    def _head_and_last(self) -> tuple[tuple[int, str] | None, tuple[int, str]]:
        """The chain head (None when its row is missing) and the last stored entry ((0, GENESIS) when none).

        PostgreSQL: the head's row is locked first and the last entry read after, in a statement of its own, so
        it sees what the writer that held the lock committed. SQLite: one statement; the writer already holds the
        database's write lock (or a stale read cannot write), so the two cannot disagree."""
        if self.connection.dialect.name == "sqlite":
            row = self.connection.execute(_HEAD_AND_LAST).one_or_none()
            if row is None:
                return None, (0, GENESIS)
            return (row.seq, row.hash), (row.last_seq, row.last_hash) if row.last_seq is not None else (0, GENESIS)
        head = self.connection.execute(_HEAD.with_for_update()).one_or_none()
        last = self.connection.execute(_LAST).one_or_none()
        return ((head.seq, head.hash) if head else None), ((last.seq, last.hash) if last else (0, GENESIS))

    def append(self, partnership_ref: str, events: list[AuditEvent]) -> list[AuditEntry]:
        """Link the events after the head; refuses (AuditChainDamaged) when the head is not the last entry."""
        if not events:
            return []
        head, last = self._head_and_last()
        if head is None:
            raise AuditChainDamaged("the audit trail is damaged: its chain head is missing", details=DAMAGED_DETAILS,
                                    hint="verify_audit")
        if last != head:
            raise AuditChainDamaged(f"the audit trail is damaged: its chain head records entry {head[0]} but the "
                                    f"last stored entry is {last[0]}", details=DAMAGED_DETAILS, hint="verify_audit")
        entries = _link(events, partnership_ref, *head)
        self.connection.execute(_INSERT, [e.__dict__ for e in entries])
        self.connection.execute(_MOVE_HEAD, {"new_seq": entries[-1].seq, "new_hash": entries[-1].hash})
        return entries

    def entries(self, partnership_ref: str | None = None, *, upto: int | None = None,
                after: int = 0) -> Generator[AuditEntry, None, None]:
        """Entries in chain order (numbered after `after`, up to `upto`), streamed; close the iterator if you stop
        early."""
        query = select(audit_entries).order_by(audit_entries.c.seq)
        if after:
            query = query.where(audit_entries.c.seq > after)
        if partnership_ref is not None:
            query = query.where(audit_entries.c.partnership_ref == partnership_ref)
        if upto is not None:
            query = query.where(audit_entries.c.seq <= upto)
        result = self.connection.execute(query.execution_options(yield_per=1000))
        try:
            for row in result:
                yield AuditEntry(**row._mapping)
        finally:
            result.close()

    def latest(self, partnership_ref: str, limit: int) -> tuple[list[AuditEntry], int]:
        """The newest `limit` (at least 1) entries of a partnership up to the chain head, newest first, and how
        many it has in all; an entry written past the head (by hand) is not history."""
        t = audit_entries
        upto = select(audit_chain_head.c.seq).where(audit_chain_head.c.id == 1).scalar_subquery()
        rows = self.connection.execute(select(t, func.count().over().label("total"))  # counted before the LIMIT
                                       .where(t.c.partnership_ref == partnership_ref, t.c.seq <= upto)
                                       .order_by(t.c.seq.desc()).limit(limit)).all()
        entries = [AuditEntry(**{k: v for k, v in row._mapping.items() if k != "total"}) for row in rows]
        return entries, int(rows[0].total) if rows else 0


class FakeAuditTrail:
    """In memory, for unit tests; chains exactly like the SQL trail."""

    def __init__(self) -> None:
        self.stored: list[AuditEntry] = []

    def head(self) -> tuple[int, str]:
        return (self.stored[-1].seq, self.stored[-1].hash) if self.stored else (0, GENESIS)

    def append(self, partnership_ref: str, events: list[AuditEvent]) -> list[AuditEntry]:
        seq, prev = self.head()
        entries = _link(events, partnership_ref, seq, prev)
        self.stored += entries
        return entries

    def latest(self, partnership_ref: str, limit: int) -> tuple[list[AuditEntry], int]:
        mine = [e for e in self.stored if e.partnership_ref == partnership_ref]
        return mine[::-1][:limit], len(mine)

    def entries(self, partnership_ref: str | None = None, *, upto: int | None = None,
                after: int = 0) -> Generator[AuditEntry, None, None]:
        yield from [e for e in self.stored if partnership_ref in (None, e.partnership_ref)
                    and (upto is None or e.seq <= upto) and e.seq > after]
