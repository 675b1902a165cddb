"""The records of evidence files on ledger entries (the files are in the document store, content-addressed like the
obligations' evidence): SQL on the unit of work's session, and an in-memory fake. Append-only: no update or delete
here, and the database refuses them (migration 0017)."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from pppflow.adapters.db.schema import insert_skipping_duplicates, ledger_evidence_files, partnerships
from pppflow.domain.ledger_evidence import LedgerEvidenceFile

COLUMNS = ("entry_id", "sha256", "filename", "media_type", "size", "attached_by", "attached_as", "attached_at")


class LedgerEvidence(Protocol):
    def add(self, ref: str, file: LedgerEvidenceFile) -> bool: ...
    def list(self, ref: str) -> list[LedgerEvidenceFile]: ...
    def is_known(self, sha256: str) -> bool: ...


class SqlLedgerEvidence:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _pid(self, ref: str) -> Any:
        return select(partnerships.c.id).where(partnerships.c.ref == ref).scalar_subquery()

    def add(self, ref: str, file: LedgerEvidenceFile) -> bool:
        """Store the record; False when this file was already attached to this entry."""
        dialect = self.session.get_bind().dialect.name
        stmt = insert_skipping_duplicates(dialect, ledger_evidence_files, ["entry_id", "sha256"])
        values = {c: getattr(file, c) for c in COLUMNS}
        result = self.session.execute(stmt.values(partnership_id=self._pid(ref), **values))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def list(self, ref: str) -> list[LedgerEvidenceFile]:
        """The partnership's files on ledger entries, in the order they were attached."""
        t = ledger_evidence_files.c
        query = select(*(t[c] for c in COLUMNS)).where(t.partnership_id == self._pid(ref)).order_by(t.id)
        return [LedgerEvidenceFile(**r._mapping) for r in self.session.execute(query)]

    def is_known(self, sha256: str) -> bool:
        t = ledger_evidence_files.c
        return self.session.execute(select(t.id).where(t.sha256 == sha256).limit(1)).first() is not None


class FakeLedgerEvidence:
    def __init__(self) -> None:
        self.files: dict[str, list[LedgerEvidenceFile]] = {}

    def add(self, ref: str, file: LedgerEvidenceFile) -> bool:
        items = self.files.setdefault(ref, [])
        if any((f.entry_id, f.sha256) == (file.entry_id, file.sha256) for f in items):
            return False
        items.append(file)
        return True

    def list(self, ref: str) -> list[LedgerEvidenceFile]:
        return list(self.files.get(ref, []))

    def is_known(self, sha256: str) -> bool:
        return any(f.sha256 == sha256 for items in self.files.values() for f in items)
