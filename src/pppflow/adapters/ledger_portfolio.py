"""The portfolio ledger page's read model: realisation per partnership and the totals, computed in SQL.

Reads only the partnerships' kept totals (`committed_cents`, `realised_cents`, written in the same transaction
as the change that moves them), never the ledger's entries: the page costs the same with 50 or 50,000 entries
per partnership.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Connection, Float, cast, func, nulls_last, select

from pppflow.adapters.db.schema import partnerships as p
from pppflow.adapters.portfolio import _party

Sort = Literal["name", "ref", "stage", "committed", "realised", "rate"]
SORTS: tuple[str, ...] = ("name", "ref", "stage", "committed", "realised", "rate")


@dataclass(frozen=True)
class Realisation:
    """One partnership's committed and realised EUR."""

    ref: str
    name: str
    stage: str
    committed_eur: Decimal | None
    realised_eur: Decimal

    @property
    def rate(self) -> Decimal | None:
        if not self.committed_eur:
            return None
        return (self.realised_eur * 100 / self.committed_eur).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class RealisationPage:
    items: list[Realisation]
    total: int
    committed_eur: Decimal
    realised_eur: Decimal

    @property
    def rate(self) -> Decimal | None:
        if not self.committed_eur:
            return None
        return (self.realised_eur * 100 / self.committed_eur).quantize(Decimal("0.1"))


def _eur(cents: Any) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


def realisation_page(connection: Connection, *, party: str | None, sort: str, descending: bool, limit: int,
                     offset: int) -> RealisationPage:
    """A page of partnerships ordered by `sort`, and the totals over all of them (a partner user: its own)."""
    rate = cast(p.c.realised_cents, Float) / func.nullif(p.c.committed_cents, 0)
    column = {"name": p.c.name, "ref": p.c.ref, "stage": p.c.stage, "committed": p.c.committed_cents,
              "realised": p.c.realised_cents, "rate": rate}[sort]
    order = nulls_last(column.desc() if descending else column.asc())
    where = [_party(party)] if party is not None else []
    rows = connection.execute(select(p.c.ref, p.c.name, p.c.stage, p.c.committed_cents, p.c.realised_cents)
                              .where(*where).order_by(order, p.c.ref).limit(limit).offset(offset)).all()
    count, committed, realised = connection.execute(
        select(func.count(), func.sum(p.c.committed_cents), func.sum(p.c.realised_cents)).where(*where)).one()
    items = [Realisation(r.ref, r.name, r.stage, None if r.committed_cents is None else _eur(r.committed_cents),
                         _eur(r.realised_cents)) for r in rows]
    return RealisationPage(items, int(count), _eur(committed), _eur(realised))
