"""Progress records of partners: stored beside the aggregate (a partnership collects many); SQL and fake."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pppflow.adapters.db.schema import partnerships, progress_records
from pppflow.domain.partner_progress import ProgressRecord
from pppflow.errors import PartnershipNotFound


class ProgressRecords(Protocol):
    def add(self, ref: str, record: ProgressRecord) -> None: ...
    def list(self, ref: str, *, obligation: str | None = None) -> list[ProgressRecord]: ...


def _record(r: Mapping[str, Any]) -> ProgressRecord:
    return ProgressRecord(str(r["obligation_key"]), str(r["partner_key"]), str(r["kind"]),
                          tuple(r["activities"] or ()), r["hours"], r["evidence"],
                          str(r["recorded_by"]), r["on_behalf_of"], r["recorded_at"])


class SqlProgressRecords:
    """Inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _id(self, ref: str) -> int:
        pid = self.session.execute(select(partnerships.c.id).where(partnerships.c.ref == ref)).scalar()
        if pid is None:
            raise PartnershipNotFound(f"no partnership with reference {ref!r}")
        return int(pid)

    def add(self, ref: str, record: ProgressRecord) -> None:
        self.session.execute(insert(progress_records).values(
            partnership_id=self._id(ref), obligation_key=record.obligation, partner_key=record.partner,
            kind=record.kind, activities=list(record.activities), hours=record.hours, evidence=record.evidence,
            recorded_by=record.recorded_by, on_behalf_of=record.on_behalf_of, recorded_at=record.recorded_at))

    def list(self, ref: str, *, obligation: str | None = None) -> list[ProgressRecord]:
        t = progress_records
        query = select(t).join(partnerships, partnerships.c.id == t.c.partnership_id) \
            .where(partnerships.c.ref == ref).order_by(t.c.recorded_at, t.c.id)
        if obligation is not None:
            query = query.where(t.c.obligation_key == obligation)
        return [_record(dict(r._mapping)) for r in self.session.execute(query)]


class FakeProgressRecords:
    def __init__(self) -> None:
        self.stored: list[tuple[str, ProgressRecord]] = []

    def add(self, ref: str, record: ProgressRecord) -> None:
        self.stored.append((ref, record))

    def list(self, ref: str, *, obligation: str | None = None) -> list[ProgressRecord]:
        return [r for x, r in self.stored if x == ref and obligation in (None, r.obligation)]
