"""Evidence files on ledger entries: attach to an entry, or add an entry with its files, in one transaction each.

The obligations' machinery does the checking and storing (`domain/evidence.check_file`: type from the content, the
size limit; the document store's atomic write, content-addressed by SHA-256). Bad input stores nothing; a file this
call stored is removed again when the records cannot be written (unless another record names it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.documents.store import DocumentStore
from pppflow.adapters.evidence_files import evidence_path
from pppflow.domain.evidence import check_file, clean_name
from pppflow.domain.ledger import EnteredAs, LedgerEntry, NewEntry
from pppflow.domain.ledger_evidence import LedgerEvidenceFile, attach_to_entry, attached_as, files_of, target_entry
from pppflow.domain.model import Partnership
from pppflow.errors import BadInput, NotAllowed, NotFound
from pppflow.services.ledger import checked_entry, store_entry

Upload = tuple[str, bytes]  # the name the client gave, and the bytes


@dataclass(frozen=True)
class CheckedFile:
    sha256: str
    media_type: str
    filename: str
    data: bytes


def check_uploads(uploads: Sequence[Upload], limit: int) -> list[CheckedFile]:
    """Each file checked (BadInput naming `file`), the same file given twice kept once."""
    checked: dict[str, CheckedFile] = {}
    for name, data in uploads:
        sha256, kind = check_file(name, data, limit=limit)
        checked.setdefault(sha256, CheckedFile(sha256, kind, clean_name(name), data))
    return list(checked.values())


@contextmanager
def _kept_in_store(files: list[CheckedFile], *, uow: UnitOfWork, store: DocumentStore) -> Iterator[None]:
    """Put the files in the store; if the block fails, remove those this call added and no record names."""
    added = [f for f in files if not store.exists(evidence_path(f.sha256))]
    for f in added:
        store.put(evidence_path(f.sha256), f.data)
    try:
        yield
    except BaseException:
        for f in added:
            with uow:
                known = uow.evidence.is_known(f.sha256) or uow.ledger_evidence.is_known(f.sha256)
            if not known:
                store.delete(evidence_path(f.sha256))
        raise


def _record(uow: UnitOfWork, p: Partnership, entry: LedgerEntry, f: CheckedFile, *, party: str | None, actor: str,
            now: datetime) -> LedgerEvidenceFile:
    assert entry.id is not None
    record = LedgerEvidenceFile(entry.id, f.sha256, f.filename, f.media_type, len(f.data), actor, attached_as(party),
                                now)
    attach_to_entry(p, entry, record, party=party, actor=actor, now=now)
    if not uow.ledger_evidence.add(p.ref, record):
        raise NotAllowed(f"this file is already attached to ledger entry {entry.id}", details=[f"sha256: {f.sha256}"])
    return record


def _refuse_early(uow: UnitOfWork, ref: str, entry_id: int, f: CheckedFile, *, party: str | None, actor: str,
                  now: datetime) -> None:
    """Every refusal before a byte is stored: unknown entry, another partner's, attached already."""
    with uow:
        p = uow.partnerships.read(ref)
        entry = target_entry(uow.ledger.entries(ref), entry_id)
        attach_to_entry(p, entry, LedgerEvidenceFile(entry_id, f.sha256, f.filename, f.media_type, len(f.data), actor,
                                                     attached_as(party), now), party=party, actor=actor, now=now)
        if any(x.entry_id == entry_id and x.sha256 == f.sha256 for x in uow.ledger_evidence.list(ref)):
            raise NotAllowed(f"this file is already attached to ledger entry {entry_id}",
                             details=[f"sha256: {f.sha256}"])


def attach_entry_file(ref: str, entry_id: int, filename: str, data: bytes, *, uow: UnitOfWork, store: DocumentStore,
                      actor: str, now: datetime, limit: int, party: str | None = None) -> LedgerEvidenceFile:
    """Attach a file to an existing entry (an added, audited record; the entry itself is never changed)."""
    [f] = check_uploads([(filename, data)], limit)
    _refuse_early(uow, ref, entry_id, f, party=party, actor=actor, now=now)
    with _kept_in_store([f], uow=uow, store=store), uow:
        p = uow.partnerships.get(ref)
        record = _record(uow, p, target_entry(uow.ledger.entries(ref), entry_id), f, party=party, actor=actor,
                         now=now)
        uow.commit()
    return record


def add_entry_with_evidence(ref: str, new: NewEntry, uploads: Sequence[Upload], *, uow: UnitOfWork,
                            store: DocumentStore, actor: str, now: datetime, limit: int,
                            entered_as: str = EnteredAs.COORDINATOR) -> tuple[LedgerEntry, list[LedgerEvidenceFile]]:
    """Record a contribution with its evidence files: the entry and every file, or nothing."""
    files = check_uploads(uploads, limit)
    party = new.partner if entered_as == EnteredAs.PARTNER else None
    with uow:  # a bad entry stores no file
        checked_entry(uow.partnerships.read(ref), new, actor=actor, now=now, entered_as=entered_as)
    with _kept_in_store(files, uow=uow, store=store), uow:
        p = uow.partnerships.get(ref)
        entry = store_entry(uow, p, checked_entry(p, new, actor=actor, now=now, entered_as=entered_as),
                            "ledger.add", actor=actor, now=now)
        records = [_record(uow, p, entry, f, party=party, actor=actor, now=now) for f in files]
        uow.commit()
    return entry, records


def evidence_by_entry(ref: str, *, uow: UnitOfWork) -> dict[int, list[LedgerEvidenceFile]]:
    """Each entry's evidence files; a reversing entry lists its target's too."""
    with uow:
        uow.partnerships.read(ref)
        entries, files = uow.ledger.entries(ref), uow.ledger_evidence.list(ref)
    return {e.id: found for e in entries if e.id is not None and (found := files_of(e, files))}


def entry_evidence(ref: str, entry_id: int, *, uow: UnitOfWork) -> list[LedgerEvidenceFile]:
    """The evidence files of one entry (BadInput naming ENTRY_ID for an unknown entry)."""
    with uow:
        uow.partnerships.read(ref)
        entry = target_entry(uow.ledger.entries(ref), entry_id)
        return files_of(entry, uow.ledger_evidence.list(ref))


def entry_evidence_content(ref: str, entry_id: int, sha256: str, *, uow: UnitOfWork,
                           store: DocumentStore) -> tuple[LedgerEvidenceFile, bytes]:
    """One file of an entry's evidence and its bytes; NotFound unless it is this entry's (or its target's)."""
    try:
        files = entry_evidence(ref, entry_id, uow=uow)
    except BadInput:
        files = []
    found = next((f for f in files if f.sha256 == sha256.lower()), None)
    if found is None:
        raise NotFound(f"ledger entry {entry_id} of {ref!r} has no evidence file {sha256!r}")
    return found, store.get(evidence_path(found.sha256))
