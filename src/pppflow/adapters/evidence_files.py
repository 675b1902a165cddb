"""The records of evidence files (the files themselves are in the document store, named by SHA-256): SQL on the
unit of work's session, and an in-memory fake."""

from __future__ import annotations

from typing import Any, Protocol, cast

from sqlalchemy import CursorResult, select
from sqlalchemy.orm import Session

from pppflow.adapters.db.schema import evidence_files, insert_skipping_duplicates, partnerships
from pppflow.domain.evidence import EvidenceFile

COLUMNS = ("obligation", "sha256", "filename", "media_type", "size", "attached_by", "attached_at")


def evidence_path(sha256: str) -> str:
    """Where a file lives in the document store: content-addressed."""
    return f"evidence/{sha256[:2]}/{sha256}"


class EvidenceFiles(Protocol):
    def add(self, ref: str, file: EvidenceFile) -> bool: ...
    def list(self, ref: str, obligation: str | None = None) -> list[EvidenceFile]: ...
    def find(self, ref: str, obligation: str, sha256: str) -> EvidenceFile | None: ...
    def is_known(self, sha256: str) -> bool: ...


class SqlEvidenceFiles:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _pid(self, ref: str) -> Any:
        return select(partnerships.c.id).where(partnerships.c.ref == ref).scalar_subquery()

    def add(self, ref: str, file: EvidenceFile) -> bool:
        """Store the record; False when this file was already attached to this obligation."""
        dialect = self.session.get_bind().dialect.name
        stmt = insert_skipping_duplicates(dialect, evidence_files, ["partnership_id", "obligation", "sha256"])
        values = {c: getattr(file, c) for c in COLUMNS}
        result = self.session.execute(stmt.values(partnership_id=self._pid(ref), **values))
        return bool(cast("CursorResult[Any]", result).rowcount)  # DML gives a CursorResult; typed as Result

    def list(self, ref: str, obligation: str | None = None) -> list[EvidenceFile]:
        e = evidence_files.c
        query = select(*(e[c] for c in COLUMNS)).where(e.partnership_id == self._pid(ref)).order_by(e.id)
        if obligation is not None:
            query = query.where(e.obligation == obligation)
        return [EvidenceFile(**r._mapping) for r in self.session.execute(query)]

    def find(self, ref: str, obligation: str, sha256: str) -> EvidenceFile | None:
        return next((f for f in self.list(ref, obligation) if f.sha256 == sha256), None)

    def is_known(self, sha256: str) -> bool:
        return self.session.execute(select(evidence_files.c.id).where(evidence_files.c.sha256 == sha256)
                                    .limit(1)).first() is not None


class FakeEvidenceFiles:
    def __init__(self, partnerships_: Any) -> None:
        self.partnerships = partnerships_
        self.files: dict[str, list[EvidenceFile]] = {}

    def add(self, ref: str, file: EvidenceFile) -> bool:
        items = self.files.setdefault(ref, [])
        if any((f.obligation, f.sha256) == (file.obligation, file.sha256) for f in items):
            return False
        items.append(file)
        return True

    def list(self, ref: str, obligation: str | None = None) -> list[EvidenceFile]:
        return [f for f in self.files.get(ref, []) if obligation is None or f.obligation == obligation]

    def find(self, ref: str, obligation: str, sha256: str) -> EvidenceFile | None:
        return next((f for f in self.list(ref, obligation) if f.sha256 == sha256), None)

    def is_known(self, sha256: str) -> bool:
        return any(f.sha256 == sha256 for items in self.files.values() for f in items)
