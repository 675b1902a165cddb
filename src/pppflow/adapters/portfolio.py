"""The portfolio read model: counts and short lists aggregated in SQL, so the dashboard costs the same with
ten or ten thousand partnerships. Read-only; the fake computes the same from a FakeUnitOfWork.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Connection, Index, and_, exists, func, or_, select

from pppflow.adapters.db.schema import checkin_schedules, checkins, obligations, partners, partnerships
from pppflow.domain.checkins.status import OPEN_STATES

OPEN_OBLIGATIONS = ("pending", "breached")
# workflow name -> its final stages (off the agenda, with suspended partnerships)
Inactive = Mapping[str, Sequence[str]]
p, o, c, s = partnerships, obligations, checkins, checkin_schedules
# The dashboard's indexes, registered on the shared metadata (orm.py imports this module), made by migration
# 0004: partnerships per lifecycle and stage counted from the index alone; the open check-ins of a date window
# with their partnership, without reading the check-in rows.
Index("ix_partnerships_workflow_stage", p.c.workflow, p.c.stage)
Index("ix_checkins_status_due_partnership", c.c.status, c.c.due, c.c.partnership_id)


@dataclass(frozen=True)
class Summary:
    """A partnership in a list."""

    ref: str
    name: str
    workflow: str
    stage: str
    return_stage: str | None
    partners: int
    updated_at: datetime | None
    language: str = "en"


@dataclass(frozen=True)
class DatedItem:
    """A check-in, an obligation or a term end on the agenda."""

    ref: str
    name: str
    day: date
    key: str | None = None      # the obligation's key
    title: str | None = None    # the obligation's title
    status: str | None = None   # the stored status


@dataclass(frozen=True)
class Window:
    """How many items fall in a window, and the first of them."""

    total: int
    items: list[DatedItem]


class PortfolioReader(Protocol):
    def stage_counts(self, party: str | None) -> list[tuple[str, str, int]]: ...
    def search(self, *, stage: str | None, workflow: str | None, text: str | None, party: str | None,
               limit: int, offset: int) -> tuple[list[Summary], int]: ...
    def parties(self, ref: str) -> list[str] | None: ...
    def checkins(self, low: date | None, high: date, inactive: Inactive, party: str | None, limit: int,
                 newest_first: bool = False) -> Window: ...
    def obligations(self, low: date | None, high: date, inactive: Inactive, party: str | None, limit: int,
                    newest_first: bool = False) -> Window: ...
    def term_ends(self, low: date, high: date, inactive: Inactive, party: str | None, limit: int) -> Window: ...


def _active(inactive: Inactive, party: str | None) -> Any:
    """SQL: not suspended, not in a final stage; for a partner user, only its organisation's partnerships."""
    conditions: list[ColumnElement[bool]] = [p.c.return_stage.is_(None)]
    for workflow, stages in inactive.items():
        if stages:
            conditions.append(~and_(p.c.workflow == workflow, p.c.stage.in_(list(stages))))
    if party is not None:
        conditions.append(_party(party))
    return and_(*conditions)


def _party(key: str) -> Any:
    return exists().where(partners.c.partnership_id == p.c.id, partners.c.key == key)


def _between(col: Any, low: date | None, high: date) -> Any:
    return col <= high if low is None else col.between(low, high)


class SqlPortfolio:
    """Aggregates on the unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def stage_counts(self, party: str | None) -> list[tuple[str, str, int]]:
        query = select(p.c.workflow, p.c.stage, func.count()).group_by(p.c.workflow, p.c.stage)
        if party is not None:
            query = query.where(_party(party))
        return [(r[0], r[1], int(r[2])) for r in self.connection.execute(query)]

    def search(self, *, stage: str | None, workflow: str | None, text: str | None, party: str | None,
               limit: int, offset: int) -> tuple[list[Summary], int]:
        where = []
        if stage:
            where.append(p.c.stage == stage)
        if workflow:
            where.append(p.c.workflow == workflow)
        if text:
            needle = text.strip().lower()
            where.append(or_(func.lower(p.c.name).contains(needle, autoescape=True),
                             p.c.ref.contains(needle, autoescape=True)))
        if party is not None:
            where.append(_party(party))
        total = self.connection.execute(select(func.count()).select_from(p).where(*where)).scalar_one()
        count = select(func.count()).where(partners.c.partnership_id == p.c.id).scalar_subquery()
        rows = self.connection.execute(
            select(p.c.ref, p.c.name, p.c.workflow, p.c.stage, p.c.return_stage, count.label("n"), p.c.updated_at,
                   p.c.language)
            .where(*where).order_by(p.c.ref).limit(limit).offset(offset))
        return [Summary(r.ref, r.name, r.workflow, r.stage, r.return_stage, int(r.n), r.updated_at, r.language)
                for r in rows], int(total)

    def parties(self, ref: str) -> list[str] | None:
        rows = self.connection.execute(
            select(p.c.id, partners.c.key).select_from(p.outerjoin(partners, partners.c.partnership_id == p.c.id))
            .where(p.c.ref == ref)).all()
        return [r.key for r in rows if r.key is not None] if rows else None

    def _window(self, base: Any, order: Any, limit: int, row: Any) -> Window:
        """The first `limit` rows and, in the same query, how many there are in all."""
        rows = self.connection.execute(base.add_columns(func.count().over().label("total")).order_by(*order)
                                       .limit(limit)).all()
        return Window(int(rows[0].total) if rows else 0, [row(r) for r in rows])

    def checkins(self, low: date | None, high: date, inactive: Inactive, party: str | None, limit: int,
                 newest_first: bool = False) -> Window:
        base = (select(p.c.ref, p.c.name, c.c.due, c.c.status).select_from(c.join(p, p.c.id == c.c.partnership_id))
                .where(c.c.status.in_(OPEN_STATES), _between(c.c.due, low, high), _active(inactive, party)))
        return self._window(base, (c.c.due.desc() if newest_first else c.c.due, p.c.ref), limit,
                            lambda r: DatedItem(r.ref, r.name, r.due, status=r.status))

    def obligations(self, low: date | None, high: date, inactive: Inactive, party: str | None, limit: int,
                    newest_first: bool = False) -> Window:
        base = (select(p.c.ref, p.c.name, o.c.due, o.c.key, o.c.title, o.c.status)
                .select_from(o.join(p, p.c.id == o.c.partnership_id))
                .where(o.c.status.in_(OPEN_OBLIGATIONS), o.c.due.is_not(None), _between(o.c.due, low, high),
                       _active(inactive, party)))
        return self._window(base, (o.c.due.desc() if newest_first else o.c.due, p.c.ref, o.c.key), limit,
                            lambda r: DatedItem(r.ref, r.name, r.due, r.key, r.title, r.status))

    def term_ends(self, low: date, high: date, inactive: Inactive, party: str | None, limit: int) -> Window:
        base = (select(p.c.ref, p.c.name, s.c.term_end).select_from(s.join(p, p.c.id == s.c.partnership_id))
                .where(s.c.term_end.between(low, high), _active(inactive, party)))
        return self._window(base, (s.c.term_end, p.c.ref), limit, lambda r: DatedItem(r.ref, r.name, r.term_end))


class FakePortfolio:
    """The same answers from a FakeUnitOfWork's partnerships and check-ins, for unit tests."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def _all(self, party: str | None = None) -> list[Any]:
        return [x for x in self.uow.partnerships.list() if party is None or party in x.partner_keys]

    def _active(self, inactive: Inactive, party: str | None) -> list[Any]:
        return [x for x in self._all(party) if x.return_stage is None and x.stage not in inactive.get(x.workflow, ())]

    def stage_counts(self, party: str | None) -> list[tuple[str, str, int]]:
        counts: dict[tuple[str, str], int] = {}
        for x in self._all(party):
            counts[(x.workflow, x.stage)] = counts.get((x.workflow, x.stage), 0) + 1
        return [(w, st, n) for (w, st), n in counts.items()]

    def search(self, *, stage: str | None, workflow: str | None, text: str | None, party: str | None,
               limit: int, offset: int) -> tuple[list[Summary], int]:
        needle = (text or "").strip().lower()
        found = [x for x in self._all(party) if (not stage or x.stage == stage)
                 and (not workflow or x.workflow == workflow) and (needle in x.name.lower() or needle in x.ref)]
        return [Summary(x.ref, x.name, x.workflow, x.stage, x.return_stage, len(x.partners), x.updated_at,
                        x.language)
                for x in found[offset:offset + limit]], len(found)

    def parties(self, ref: str) -> list[str] | None:
        found = [x for x in self._all() if x.ref == ref]
        return found[0].partner_keys if found else None

    @staticmethod
    def _in(day: date, low: date | None, high: date) -> bool:
        return day <= high and (low is None or day >= low)

    def checkins(self, low: date | None, high: date, inactive: Inactive, party: str | None, limit: int,
                 newest_first: bool = False) -> Window:
        items = [DatedItem(x.ref, x.name, ci.due, status=ci.status) for x in self._active(inactive, party)
                 for ci in self.uow.checkins.list(x.ref, open_only=True) if self._in(ci.due, low, high)]
        items.sort(key=lambda i: (i.day, i.ref), reverse=newest_first)
        return Window(len(items), items[:limit])

    def obligations(self, low: date | None, high: date, inactive: Inactive, party: str | None, limit: int,
                    newest_first: bool = False) -> Window:
        items = [DatedItem(x.ref, x.name, b.due, b.key, b.title, b.status) for x in self._active(inactive, party)
                 for b in x.obligations if b.status in OPEN_OBLIGATIONS and b.due and self._in(b.due, low, high)]
        items.sort(key=lambda i: (i.day, i.ref), reverse=newest_first)
        return Window(len(items), items[:limit])

    def term_ends(self, low: date, high: date, inactive: Inactive, party: str | None, limit: int) -> Window:
        ends = self.uow.checkins.term_ends
        items = sorted((DatedItem(x.ref, x.name, ends[x.ref]) for x in self._active(inactive, party)
                        if ends.get(x.ref) and self._in(ends[x.ref], low, high)), key=lambda i: (i.day, i.ref))
        return Window(len(items), items[:limit])
