"""Evidence files: attach a file to an obligation (checked by content, stored content-addressed, its SHA-256 in
the audit trail), list them, and read one back for those who may see the partnership."""

from __future__ import annotations

from datetime import datetime

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.documents.store import DocumentStore
from pppflow.adapters.evidence_files import evidence_path
from pppflow.domain.evidence import EvidenceFile, attach_evidence, check_file, clean_name
from pppflow.errors import NotAllowed, NotFound


def attach_file(ref: str, key: str, filename: str, data: bytes, *, uow: UnitOfWork, store: DocumentStore,
                actor: str, now: datetime, limit: int, party: str | None = None) -> EvidenceFile:
    """Check the file, store it atomically under its SHA-256, then record it (audited) in one transaction.

    Bad input stores nothing; if the record cannot be written, a file stored by this call is removed again.
    """
    sha256, kind = check_file(filename, data, limit=limit)
    file = EvidenceFile(key, sha256, clean_name(filename), kind, len(data), actor, now)
    with uow:  # refuse before writing anything: unknown obligation, another partner's, already attached
        p = uow.partnerships.read(ref)
        attach_evidence(p, key, file, party=party, actor=actor, now=now)
        if uow.evidence.find(ref, key, sha256) is not None:
            raise NotAllowed(f"this file is already attached to obligation {key!r}", details=[f"sha256: {sha256}"])
    path = evidence_path(sha256)
    existed = store.exists(path)
    if not existed:
        store.put(path, data)
    try:
        with uow:
            p = uow.partnerships.get(ref)
            attach_evidence(p, key, file, party=party, actor=actor, now=now)
            if not uow.evidence.add(ref, file):
                raise NotAllowed(f"this file is already attached to obligation {key!r}",
                                 details=[f"sha256: {sha256}"])
            uow.commit()
    except BaseException:
        if not existed:
            with uow:
                known = uow.evidence.is_known(sha256) or uow.ledger_evidence.is_known(sha256)
            if not known:
                store.delete(path)
        raise
    return file


def evidence_files(ref: str, *, uow: UnitOfWork, key: str | None = None) -> list[EvidenceFile]:
    """The files attached to a partnership's obligations (or to one), oldest first."""
    with uow:
        p = uow.partnerships.read(ref)
        if key is not None:
            p.obligation(key)
        return uow.evidence.list(ref, key)


def evidence_content(ref: str, key: str, sha256: str, *, uow: UnitOfWork,
                     store: DocumentStore) -> tuple[EvidenceFile, bytes]:
    """One attached file and its bytes; NotFound unless it is attached to this obligation of this partnership."""
    with uow:
        uow.partnerships.read(ref)
        found = uow.evidence.find(ref, key, sha256.lower())
    if found is None:
        raise NotFound(f"obligation {key!r} of {ref!r} has no evidence file {sha256!r}")
    return found, store.get(evidence_path(found.sha256))
