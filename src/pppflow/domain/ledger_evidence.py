"""Evidence files on ledger entries: an added, audited record beside an entry, never an edit of it.

The files themselves are checked and named as the obligations' evidence is (`domain/evidence.check_file`: type from
the content, a size limit, SHA-256). A reversing entry carries the link to its target's evidence: `files_of`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pppflow.domain.ledger import EnteredAs, LedgerEntry
from pppflow.domain.model import Partnership
from pppflow.errors import BadInput, Forbidden


@dataclass(frozen=True)
class LedgerEvidenceFile:
    """One file attached to one ledger entry: what it is, who attached it and as what."""

    entry_id: int
    sha256: str
    filename: str
    media_type: str
    size: int
    attached_by: str
    attached_as: str
    attached_at: datetime


def attached_as(party: str | None) -> str:
    """`partner` when a partner's user attaches for its own organisation, else `coordinator`."""
    return EnteredAs.PARTNER.value if party is not None else EnteredAs.COORDINATOR.value


def target_entry(entries: list[LedgerEntry], entry_id: int) -> LedgerEntry:
    """The entry evidence is attached to; BadInput naming ENTRY_ID when the ledger has none."""
    found = next((e for e in entries if e.id == entry_id), None)
    if found is None:
        raise BadInput(f"ENTRY_ID: the ledger has no entry {entry_id}", details=["ENTRY_ID: unknown entry"])
    return found


def attach_to_entry(p: Partnership, entry: LedgerEntry, file: LedgerEvidenceFile, *, party: str | None,
                    actor: str, now: datetime) -> None:
    """Record the attachment in the partnership's audit trail; a partner attaches only to its own entries."""
    if party is not None and entry.partner != party:
        raise Forbidden(f"ledger entry {entry.id} is a contribution of {entry.partner!r}, not of {party!r}",
                        details=["a partner attaches evidence to its own organisation's entries only"])
    p.record("ledger.evidence_file", actor=actor, now=now, before=None, after={
        "entry_id": entry.id, "partner": entry.partner, "sha256": file.sha256, "filename": file.filename,
        "media_type": file.media_type, "size": file.size, "attached_as": file.attached_as})


def files_of(entry: LedgerEntry, files: list[LedgerEvidenceFile]) -> list[LedgerEvidenceFile]:
    """The evidence of an entry: its own files, and for a reversing entry also those of the entry it reverses."""
    ids = {entry.id} | ({entry.corrects} if entry.corrects is not None else set())
    return [f for f in files if f.entry_id in ids]


def evidence_view(f: LedgerEvidenceFile) -> dict[str, object]:
    """A file's record as plain values."""
    return {"entry_id": f.entry_id, "sha256": f.sha256, "filename": f.filename, "media_type": f.media_type,
            "size": f.size, "attached_by": f.attached_by, "attached_as": f.attached_as,
            "attached_at": f.attached_at.isoformat()}
