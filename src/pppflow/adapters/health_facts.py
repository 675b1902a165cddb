"""The facts a health score is computed from, counted in SQL for one partnership or the whole portfolio.

A handful of GROUP BY queries, whatever the number of partnerships: nothing loads an aggregate. Obligation
statuses are today's (their history lives in the audit trail); check-ins, the effort log, admissions and
maturity rounds are read as they stood on `as_of`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Connection, Date, Numeric, and_, case, cast, func, literal, select
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from pppflow.adapters.db.schema import (
    admissions,
    checkins,
    effort_log,
    ledger_entries,
    maturity_rounds,
    obligations,
    partners,
    partnerships,
)
from pppflow.domain.health import HealthFacts

Inactive = Mapping[str, Sequence[str]]
WINDOW_DAYS = 365
p, c, o = partnerships, checkins, obligations


class HealthFactsReader(Protocol):
    def facts(self, as_of: date, inactive: Inactive, *, ref: str | None = None, party: str | None = None,
              refs: Sequence[str] | None = None) -> list[HealthFacts]: ...


def _end_of(day: date) -> datetime:
    """The first moment after `day` (UTC): times before it are on or before that day."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def _days_before(dialect: str, day: date, days: Any) -> Any:
    """SQL: the date `days` (a column) days before `day`; evaluated once per partnership, not per check-in."""
    if dialect == "postgresql":
        return cast(literal(day), Date) - days
    return func.date(day.isoformat(), func.printf("%d days", -days))


def _not_indexed(dialect: str, column: Any) -> Any:
    """SQLite's `+column`: the same value, but no index is chosen for a bound on it. Without statistics (no ANALYZE)
    SQLite would otherwise read every check-in of a date window by the date index and join the partnerships to each."""
    if dialect == "postgresql":
        return column
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def _within(column: Any, ids: Any) -> list[Any]:
    """The filter on a partnership id column: none for the whole portfolio."""
    return [] if ids is None else [column.in_(ids)]


class SqlHealthFacts:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def facts(self, as_of: date, inactive: Inactive, *, ref: str | None = None, party: str | None = None,
              refs: Sequence[str] | None = None) -> list[HealthFacts]:
        """Facts of every partnership not in a final stage (or of `ref`, or of `refs`), as of the end of `as_of`."""
        where: list[Any] = []
        for workflow, stages in inactive.items():
            if stages:
                where.append(~and_(p.c.workflow == workflow, p.c.stage.in_(list(stages))))
        if ref is not None or refs is not None:
            where = [p.c.ref.in_([ref] if ref is not None else list(refs or []))]
        if party is not None:
            where.append(select(partners.c.id).where(partners.c.partnership_id == p.c.id,
                                                     partners.c.key == party).exists())
        rows = self.connection.execute(select(p.c.id, p.c.ref, p.c.name, p.c.stage, p.c.workflow, p.c.committed_cents,
                                              p.c.term_start, p.c.term_months).where(*where)).all()
        base = {r.id: HealthFacts(r.ref, r.name, r.stage, r.workflow) for r in rows}
        for r in rows:
            base[r.id].committed_eur = committed_to_date(r.committed_cents, r.term_start, r.term_months, as_of)
        if not base:
            return []
        # The whole portfolio is counted without a filter (rows of partnerships not listed are dropped here):
        # an IN over a filtered subquery costs more than the rows it saves.
        restricted = ref is not None or refs is not None or party is not None
        ids = select(p.c.id).where(*where).scalar_subquery() if restricted else None
        self._checkins(base, ids, as_of)
        self._obligations(base, ids, as_of)
        self._effort(base, ids, as_of)
        self._admissions(base, ids, as_of)
        self._maturity(base, ids, as_of)
        self._realised(base, ids, as_of)
        return list(base.values())

    def _rows(self, statement: Any) -> Sequence[Any]:
        """All rows at once (one fetch, not one call per row)."""
        return self.connection.execute(statement).all()

    def _checkins(self, base: dict[int, HealthFacts], ids: Any, as_of: date) -> None:
        # Due in the last 12 months and past its grace days (due < as_of - grace_days): held on or before as_of,
        # or not. Driven by the partnerships, each threshold computed once, the check-ins read from the index
        # (partnership_id, due, status, held_on) alone.
        dialect = self.connection.dialect.name
        due = _not_indexed(dialect, c.c.due)
        window = and_(c.c.partnership_id == p.c.id, due > as_of - timedelta(days=WINDOW_DAYS), due <= as_of,
                      c.c.due < _days_before(dialect, as_of, p.c.grace_days))
        held = and_(c.c.status == "held", c.c.held_on <= as_of)
        rows = self._rows(
            select(p.c.id, func.count(), func.sum(case((held, 1), else_=0)))
            .select_from(p.join(c, window)).where(*_within(p.c.id, ids)).group_by(p.c.id))
        for pid, due, n_held in rows:
            if pid in base:
                base[pid].checkins_due, base[pid].checkins_held = int(due), int(n_held or 0)

    def _obligations(self, base: dict[int, HealthFacts], ids: Any, as_of: date) -> None:
        rows = self._rows(
            select(o.c.partnership_id, func.count(), func.min(o.c.due))
            .where(*_within(o.c.partnership_id, ids), o.c.status.in_(("pending", "breached")), o.c.due < as_of)
            .group_by(o.c.partnership_id))
        for pid, n, oldest in rows:
            if pid in base:
                base[pid].overdue_obligations = int(n)
                base[pid].oldest_overdue_days = (as_of - oldest).days if oldest else 0
        effort_rows = self._rows(
            select(o.c.partnership_id, func.count())
            .where(*_within(o.c.partnership_id, ids), o.c.type == "effort", o.c.status != "waived")
            .group_by(o.c.partnership_id))
        for pid, n in effort_rows:
            if pid in base:
                base[pid].effort_obligations = int(n)

    def _effort(self, base: dict[int, HealthFacts], ids: Any, as_of: date) -> None:
        # Hours per (partnership, obligation) logged at check-ins held in the window first, then only those
        # groups are matched with the effort obligations: one lookup per obligation, not per log entry.
        e = effort_log
        logged = (select(e.c.partnership_id, e.c.obligation_key,
                         func.sum(cast(e.c.hours, Numeric(14, 2))).label("hours"))
                  .select_from(e.join(c, c.c.id == e.c.checkin_id))
                  .where(*_within(e.c.partnership_id, ids), c.c.held_on > as_of - timedelta(days=WINDOW_DAYS),
                         c.c.held_on <= as_of)
                  .group_by(e.c.partnership_id, e.c.obligation_key).subquery())
        rows = self._rows(
            select(logged.c.partnership_id, func.count(), func.sum(logged.c.hours))
            .join(o, and_(o.c.partnership_id == logged.c.partnership_id, o.c.key == logged.c.obligation_key))
            .where(o.c.type == "effort", o.c.status != "waived")
            .group_by(logged.c.partnership_id))
        for pid, n, hours in rows:
            if pid in base:
                base[pid].effort_logged = int(n)
                base[pid].effort_hours = Decimal(str(round(float(hours or 0), 2)))

    def _admissions(self, base: dict[int, HealthFacts], ids: Any, as_of: date) -> None:
        a = admissions
        rows = self._rows(
            select(a.c.partnership_id, func.count(), func.min(a.c.requested_at))
            .where(*_within(a.c.partnership_id, ids), a.c.status == "pending",
                   a.c.requested_at < _end_of(as_of))
            .group_by(a.c.partnership_id))
        for pid, n, oldest in rows:
            if pid in base:
                base[pid].open_requests = int(n)
                base[pid].oldest_request_days = max(0, (as_of - oldest.date()).days) if oldest else 0

    def _maturity(self, base: dict[int, HealthFacts], ids: Any, as_of: date) -> None:
        m = maturity_rounds
        until = _end_of(as_of)
        latest = (select(m.c.partnership_id, m.c.partner_key, func.max(m.c.number).label("number"))
                  .where(*_within(m.c.partnership_id, ids), m.c.recorded_at < until)
                  .group_by(m.c.partnership_id, m.c.partner_key).subquery())
        rows = self._rows(
            select(m.c.partnership_id, func.avg(m.c.level_percent), func.count())
            .join(latest, and_(latest.c.partnership_id == m.c.partnership_id, latest.c.number == m.c.number))
            .group_by(m.c.partnership_id))
        for pid, mean, partners_assessed in rows:
            if pid in base:
                base[pid].maturity_rounds = int(partners_assessed)
                base[pid].maturity_level = float(mean) / 100


    def _realised(self, base: dict[int, HealthFacts], ids: Any, as_of: date) -> None:
        """EUR realised up to `as_of` from the ledger (corrections included, as negative entries)."""
        le = ledger_entries
        rows = self._rows(
            select(le.c.partnership_id, func.sum(le.c.value_cents))
            .where(*_within(le.c.partnership_id, ids), le.c.entry_date <= as_of).group_by(le.c.partnership_id))
        realised: dict[int, int] = dict(tuple(row) for row in rows)
        for pid, facts in base.items():
            if facts.committed_eur is not None:
                facts.realised_eur = Decimal(int(realised.get(pid) or 0)) / 100


def committed_to_date(cents: int | None, start: date | None, months: int | None, as_of: date) -> Decimal | None:
    """The EUR committed for the whole term, in proportion to the part of the term passed by `as_of`."""
    if not cents:
        return None
    total = Decimal(int(cents)) / 100
    if not start or not months:
        return total
    if as_of < start:
        return Decimal(0)
    end_days = months * 365.25 / 12
    share = min(Decimal(1), Decimal((as_of - start).days) / Decimal(str(end_days)))
    return (total * share).quantize(Decimal("0.01"))


class FakeHealthFacts:
    """Facts set by a test, per reference."""

    def __init__(self) -> None:
        self.by_ref: dict[str, HealthFacts] = {}

    def facts(self, as_of: date, inactive: Inactive, *, ref: str | None = None, party: str | None = None,
              refs: Sequence[str] | None = None) -> list[HealthFacts]:
        wanted = [ref] if ref is not None else refs
        if wanted is not None:
            return [self.by_ref[r] for r in wanted if r in self.by_ref]
        return list(self.by_ref.values())
