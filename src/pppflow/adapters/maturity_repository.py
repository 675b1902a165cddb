"""Maturity rounds of one partnership: the SQL repository (Core statements on the unit of work's session) and a
fake. Rounds are only ever added; the newest round of a partner supersedes its earlier ones."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from pppflow.adapters.db.repository import not_found
from pppflow.adapters.db.schema import maturity_rounds, partnerships
from pppflow.domain.maturity import Answer, MaturityRound


class MaturityRounds(Protocol):
    def add(self, ref: str, rnd: MaturityRound, level_percent: int) -> int: ...
    def list(self, ref: str) -> list[MaturityRound]: ...


def _round(row: Mapping[str, Any]) -> MaturityRound:
    answers = tuple(Answer(a["key"], int(a["station"]), a["level"], a.get("evidence") or "")
                    for a in row["answers"])
    return MaturityRound(str(row["partner_key"]), str(row["framework"]), answers, str(row["recorded_by"]),
                         row["recorded_at"], row["on_behalf_of"], int(row["number"]))


class SqlMaturityRounds:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _id(self, ref: str) -> int:
        pid = self.session.connection().execute(select(partnerships.c.id).where(partnerships.c.ref == ref)).scalar()
        if pid is None:
            raise not_found(ref)
        return int(pid)

    def add(self, ref: str, rnd: MaturityRound, level_percent: int) -> int:
        """Store a round under the next number of its partnership; returns that number."""
        conn = self.session.connection()
        pid = self._id(ref)
        number = int(conn.execute(select(func.coalesce(func.max(maturity_rounds.c.number), 0))
                                  .where(maturity_rounds.c.partnership_id == pid)).scalar_one()) + 1
        conn.execute(insert(maturity_rounds).values(
            partnership_id=pid, number=number, partner_key=rnd.partner_key, framework=rnd.framework,
            answers=[{"key": a.key, "station": a.station, "level": a.level, "evidence": a.evidence}
                     for a in rnd.answers],
            level_percent=level_percent, recorded_by=rnd.recorded_by, on_behalf_of=rnd.on_behalf_of,
            recorded_at=rnd.recorded_at))
        return number

    def list(self, ref: str) -> list[MaturityRound]:
        """Every round of the partnership, oldest first."""
        pid = self._id(ref)
        rows = self.session.connection().execute(
            select(maturity_rounds).where(maturity_rounds.c.partnership_id == pid)
            .order_by(maturity_rounds.c.number)).mappings()
        return [_round(dict(r)) for r in rows]


class FakeMaturityRounds:
    def __init__(self) -> None:
        self.rounds: dict[str, list[MaturityRound]] = {}

    def add(self, ref: str, rnd: MaturityRound, level_percent: int) -> int:
        kept = self.rounds.setdefault(ref, [])
        number = len(kept) + 1
        kept.append(MaturityRound(rnd.partner_key, rnd.framework, rnd.answers, rnd.recorded_by, rnd.recorded_at,
                                  rnd.on_behalf_of, number))
        return number

    def list(self, ref: str) -> list[MaturityRound]:
        return list(self.rounds.get(ref, []))


__all__ = ["FakeMaturityRounds", "MaturityRounds", "SqlMaturityRounds", "datetime"]
