"""Evidence files attached to an obligation: which files are accepted, and who may attach them.

A file's type is decided by its content (magic bytes, or UTF-8 text without control characters), never by
its name: an executable renamed `report.pdf` is refused. Files are content-addressed by their SHA-256.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from pppflow.domain.model import Partnership
from pppflow.errors import BadInput, Forbidden

PDF, PNG, JPEG, TEXT = "application/pdf", "image/png", "image/jpeg", "text/plain"
MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_NAME = 200


@dataclass(frozen=True)
class EvidenceFile:
    """One attached file: what it is, where it came from, who attached it."""

    obligation: str
    sha256: str
    filename: str
    media_type: str
    size: int
    attached_by: str
    attached_at: datetime


def media_type(data: bytes) -> str | None:
    """PDF, PNG, JPEG by their magic bytes; plain text if it is UTF-8 without control characters; else None."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return TEXT if text and not CONTROL.search(text) else None


def clean_name(filename: str) -> str:
    """The last part of the name the client gave, without control characters; `evidence` when none is left."""
    name = CONTROL.sub("", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:MAX_NAME] or "evidence"


def check_file(filename: str, data: bytes, *, limit: int) -> tuple[str, str]:
    """The file's SHA-256 and media type; BadInput (naming `file`) when it is empty, too big or of another type."""
    if not data:
        raise BadInput("the evidence file is empty", details=["file: empty"])
    if len(data) > limit:
        raise BadInput("the evidence file is too big",
                       details=[f"file: {len(data):,} bytes; at most {limit:,} bytes (PPPFLOW_EVIDENCE_MAX_BYTES)"])
    kind = media_type(data)
    if kind is None:
        raise BadInput(f"{clean_name(filename)!r} is not a PDF, PNG, JPEG or plain-text file",
                       details=["file: the type is read from the content, not the name"])
    return hashlib.sha256(data).hexdigest(), kind


def attach_evidence(p: Partnership, key: str, file: EvidenceFile, *, party: str | None, actor: str,
                    now: datetime) -> None:
    """Record the attachment on the partnership (audited); a partner attaches only to obligations it owns."""
    obligation = p.obligation(key)
    if party is not None:
        p.partner(party)
        if obligation.owner != party:
            raise Forbidden(f"obligation {key!r} is owned by {obligation.owner!r}, not by {party!r}",
                             details=["a partner attaches evidence to its own obligations only"])
    after = {"obligation": key, "sha256": file.sha256, "filename": file.filename, "media_type": file.media_type,
             "size": file.size}
    if party is not None:
        after["partner"] = party
    p.record("obligation.evidence_file", actor=actor, now=now, before=None, after=after)
