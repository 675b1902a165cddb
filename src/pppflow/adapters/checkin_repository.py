"""Check-ins and the effort log of one partnership: the SQL repository and an in-memory fake.

The SQL one runs Core statements on the unit of work's connection (no autoflush), so a use case writes its
check-ins first and the partnership row (its version) at commit: every writer locks in that order.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from pppflow.adapters.db.repository import not_found
from pppflow.adapters.db.schema import checkin_schedules, checkins, effort_log, insert_skipping_duplicates, partnerships
from pppflow.domain.checkins.progress import CheckIn, EffortEntry
from pppflow.domain.checkins.status import OPEN_STATES, CheckinState


class CheckinRepository(Protocol):
    """The dated check-ins and the effort log of one partnership, by its reference."""

    def schedule(self, ref: str, dates: Sequence[date], term_end: date | None, *, now: datetime) -> list[date]: ...
    def is_planned(self, ref: str) -> bool: ...
    def unschedule(self, ref: str, dues: Sequence[date]) -> list[date]: ...
    def list(self, ref: str, *, open_only: bool = False) -> list[CheckIn]: ...
    def mark_held(self, ref: str, due: date, *, held_on: date, notes: str | None, feedback: str | None,
                  actor: str, now: datetime) -> bool: ...
    def mark_missed(self, ref: str, dues: Sequence[date]) -> builtins.list[date]: ...
    def close(self, ref: str) -> builtins.list[date]: ...
    def log_effort(self, ref: str, due: date, entries: Sequence[EffortEntry], *, actor: str,
                   now: datetime) -> None: ...
    def effort_log(self, ref: str) -> builtins.list[tuple[date, EffortEntry]]: ...


class SqlCheckinRepository:
    """Check-ins by partnership reference, on the session's connection."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def connection(self) -> Connection:
        return self.session.connection()

    def _id(self, ref: str) -> int:
        pid = self.connection.execute(select(partnerships.c.id).where(partnerships.c.ref == ref)).scalar()
        if pid is None:
            raise not_found(ref)
        return int(pid)

    def schedule(self, ref: str, dates: Sequence[date], term_end: date | None, *, now: datetime) -> list[date]:
        """Add the dates not scheduled yet and note the end of the term; returns the dates added."""
        pid = self._id(ref)
        dialect = self.connection.dialect.name
        added: list[date] = []
        if dates:
            rows = [{"partnership_id": pid, "due": d, "status": CheckinState.SCHEDULED.value} for d in dates]
            stmt = insert_skipping_duplicates(dialect, checkins, ["partnership_id", "due"]).returning(checkins.c.due)
            added = sorted(self.connection.execute(stmt, rows).scalars().all())
        upsert = insert_skipping_duplicates(dialect, checkin_schedules, ["partnership_id"])
        self.connection.execute(upsert, {"partnership_id": pid, "term_end": term_end, "scheduled_at": now})
        self.connection.execute(update(checkin_schedules).where(checkin_schedules.c.partnership_id == pid)
                                .values(term_end=term_end))
        return added

    def is_planned(self, ref: str) -> bool:
        """Whether the partnership's check-ins were planned (it entered a scheduling stage)."""
        return self.connection.execute(select(checkin_schedules.c.partnership_id)
                                       .where(checkin_schedules.c.partnership_id == self._id(ref))).first() is not None

    def unschedule(self, ref: str, dues: Sequence[date]) -> list[date]:
        """Drop planned check-ins that are still `scheduled`; returns the dates dropped."""
        if not dues:
            return []
        result = self.connection.execute(
            delete(checkins).where(checkins.c.partnership_id == self._id(ref), checkins.c.due.in_(list(dues)),
                                   checkins.c.status == CheckinState.SCHEDULED.value).returning(checkins.c.due))
        return sorted(result.scalars().all())

    def list(self, ref: str, *, open_only: bool = False) -> list[CheckIn]:
        """The check-ins of a partnership by date (none for an unknown reference)."""
        of_ref = select(partnerships.c.id).where(partnerships.c.ref == ref).scalar_subquery()
        query = select(checkins).where(checkins.c.partnership_id == of_ref).order_by(checkins.c.due)
        if open_only:
            query = query.where(checkins.c.status.in_(OPEN_STATES))
        return [CheckIn(ref, r.due, r.status, r.held_on, r.notes, r.feedback, r.recorded_by, r.recorded_at)
                for r in self.connection.execute(query)]

    def mark_held(self, ref: str, due: date, *, held_on: date, notes: str | None, feedback: str | None,
                  actor: str, now: datetime) -> bool:
        """Record the check-in of `due` as held; False when it was no longer open."""
        result = self.connection.execute(
            update(checkins)
            .where(checkins.c.partnership_id == self._id(ref), checkins.c.due == due,
                   checkins.c.status.in_(OPEN_STATES))
            .values(status=CheckinState.HELD.value, held_on=held_on, notes=notes, feedback=feedback,
                    recorded_by=actor, recorded_at=now))
        return result.rowcount == 1

    def mark_missed(self, ref: str, dues: Sequence[date]) -> builtins.list[date]:
        """Mark scheduled check-ins missed; returns those this call changed (another worker may have)."""
        pid = self._id(ref)
        changed = []
        for due in sorted(dues):
            result = self.connection.execute(
                update(checkins)
                .where(checkins.c.partnership_id == pid, checkins.c.due == due,
                       checkins.c.status == CheckinState.SCHEDULED.value)
                .values(status=CheckinState.MISSED.value))
            if result.rowcount == 1:
                changed.append(due)
        return changed

    def close(self, ref: str) -> builtins.list[date]:
        """Close every open check-in (the partnership ended); returns their dates."""
        result = self.connection.execute(
            update(checkins).where(checkins.c.partnership_id == self._id(ref), checkins.c.status.in_(OPEN_STATES))
            .values(status=CheckinState.CLOSED.value).returning(checkins.c.due))
        return sorted(result.scalars().all())

    def log_effort(self, ref: str, due: date, entries: Sequence[EffortEntry], *, actor: str,
                   now: datetime) -> None:
        if not entries:
            return
        pid = self._id(ref)
        checkin_id = self.connection.execute(
            select(checkins.c.id).where(checkins.c.partnership_id == pid, checkins.c.due == due)).scalar_one()
        self.connection.execute(insert(effort_log), [
            {"partnership_id": pid, "checkin_id": checkin_id, "obligation_key": e.obligation,
             "activities": list(e.activities), "hours": e.hours, "recorded_by": actor, "recorded_at": now}
            for e in entries])

    def effort_log(self, ref: str) -> builtins.list[tuple[date, EffortEntry]]:
        query = (select(checkins.c.due, effort_log.c.obligation_key, effort_log.c.activities, effort_log.c.hours)
                 .select_from(effort_log.join(checkins, checkins.c.id == effort_log.c.checkin_id))
                 .where(effort_log.c.partnership_id == self._id(ref)).order_by(checkins.c.due, effort_log.c.id))
        return [(r.due, EffortEntry(r.obligation_key, tuple(r.activities), r.hours))
                for r in self.connection.execute(query)]


class FakeCheckinRepository:
    """In memory, for unit tests of the services."""

    def __init__(self) -> None:
        self.items: dict[str, dict[date, CheckIn]] = {}
        self.term_ends: dict[str, date | None] = {}
        self.efforts: list[tuple[str, date, EffortEntry]] = []

    def schedule(self, ref: str, dates: Sequence[date], term_end: date | None, *, now: datetime) -> list[date]:
        mine = self.items.setdefault(ref, {})
        added = sorted({d for d in dates if d not in mine})
        for d in added:
            mine[d] = CheckIn(ref, d)
        self.term_ends[ref] = term_end
        return added

    def is_planned(self, ref: str) -> bool:
        return ref in self.term_ends

    def unschedule(self, ref: str, dues: Sequence[date]) -> list[date]:
        mine = self.items.get(ref, {})
        dropped = sorted(d for d in set(dues) if d in mine and mine[d].status == CheckinState.SCHEDULED)
        for d in dropped:
            del mine[d]
        return dropped

    def list(self, ref: str, *, open_only: bool = False) -> list[CheckIn]:
        return [c for _, c in sorted(self.items.get(ref, {}).items()) if c.is_open or not open_only]

    def mark_held(self, ref: str, due: date, *, held_on: date, notes: str | None, feedback: str | None,
                  actor: str, now: datetime) -> bool:
        current = self.items.get(ref, {}).get(due)
        if current is None or not current.is_open:
            return False
        self.items[ref][due] = dataclasses.replace(current, status=CheckinState.HELD.value, held_on=held_on,
                                                   notes=notes, feedback=feedback, recorded_by=actor,
                                                   recorded_at=now)
        return True

    def mark_missed(self, ref: str, dues: Sequence[date]) -> builtins.list[date]:
        changed = []
        for due in sorted(dues):
            current = self.items.get(ref, {}).get(due)
            if current is not None and current.status == CheckinState.SCHEDULED:
                self.items[ref][due] = dataclasses.replace(current, status=CheckinState.MISSED.value)
                changed.append(due)
        return changed

    def close(self, ref: str) -> builtins.list[date]:
        mine = self.items.get(ref, {})
        closed = sorted(d for d, c in mine.items() if c.is_open)
        for d in closed:
            mine[d] = dataclasses.replace(mine[d], status=CheckinState.CLOSED.value)
        return closed

    def log_effort(self, ref: str, due: date, entries: Sequence[EffortEntry], *, actor: str,
                   now: datetime) -> None:
        self.efforts += [(ref, due, e) for e in entries]

    def effort_log(self, ref: str) -> builtins.list[tuple[date, EffortEntry]]:
        return [(due, e) for r, due, e in self.efforts if r == ref]
