"""Signed checkpoints of the audit chain: anchors kept outside the database, so truncation and rewriting show.

A hash chain proves nothing about its own end: delete the last entries, set the head to match, and every link
still verifies. A checkpoint records (entry number, its hash, time) signed with HMAC-SHA256 under a key that is
not in the database; `verify_chain` compares the stored entries with every checkpoint. Pure: the adapter keeps
the key and the log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from pppflow.domain.audit import canonical_json
from pppflow.errors import BadInput


@dataclass(frozen=True)
class Checkpoint:
    """The chain's last entry `seq` and its `hash` at time `at`; `mac` signs the three."""

    seq: int
    hash: str
    at: str
    mac: str

    def line(self) -> str:
        """One line of JSON, as kept in the checkpoint log and written by `--out`."""
        return canonical_json(asdict(self))


def _mac(seq: int, digest: str, at: str, key: bytes) -> str:
    body = canonical_json({"seq": seq, "hash": digest, "at": at})
    return hmac.new(key, f"pppflow-audit-checkpoint\n{body}".encode(), hashlib.sha256).hexdigest()


def sign_checkpoint(seq: int, digest: str, *, now: datetime, key: bytes) -> Checkpoint:
    """A checkpoint of entry `seq` with hash `digest`, signed with `key`."""
    at = now.astimezone(UTC).isoformat()
    return Checkpoint(seq, digest, at, _mac(seq, digest, at, key))


def is_genuine(c: Checkpoint, key: bytes) -> bool:
    """Whether `key` signed this checkpoint (compared in constant time)."""
    return hmac.compare_digest(c.mac, _mac(c.seq, c.hash, c.at, key))


def parse_checkpoints(text: str, source: str) -> list[Checkpoint]:
    """The checkpoints of a file or log, one JSON object a line; a bad line is BadInput naming `source:line`."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            c = Checkpoint(int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["mac"]))
        except (ValueError, KeyError, TypeError):
            raise BadInput(f"{source}:{number}: not a pppflow audit checkpoint",
                           details=['expected one JSON object a line with "seq", "hash", "at" and "mac"']) from None
        if c.seq < 0:
            raise BadInput(f"{source}:{number}: a checkpoint's entry number cannot be negative")
        found.append(c)
    return found


def anchors(checkpoints: list[Checkpoint], key: bytes | None) -> tuple[dict[int, str], str | None]:
    """Entry number -> hash of every checkpoint, or the problem that makes them unusable (a bad signature, a
    missing key, two checkpoints that disagree)."""
    if not checkpoints:
        return {}, None
    if key is None:
        return {}, "the checkpoint key is missing, so the checkpoints cannot be checked (restore audit.key from " \
                   "its backup)"
    out: dict[int, str] = {}
    for c in checkpoints:
        if not is_genuine(c, key):
            return {}, f"checkpoint {c.seq} of {c.at} has a bad signature (forged, or signed with another key)"
        if out.get(c.seq, c.hash) != c.hash:
            return {}, f"two signed checkpoints disagree about entry {c.seq}"
        out[c.seq] = c.hash
    return {k: v for k, v in out.items() if k > 0}, None
