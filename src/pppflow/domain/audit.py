"""The hash chain of the audit trail: each entry's hash covers its content and the previous hash.

Editing, deleting or reordering any stored entry breaks the chain at that entry; `verify_chain` finds
the first broken link. Pure: the adapter stores and streams the entries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """Stable JSON: sorted keys, no spaces, dates as ISO strings, decimals as strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


@dataclass(frozen=True)
class AuditEntry:
    """One stored link of the chain; `before` and `after` are canonical JSON text."""

    seq: int
    partnership_ref: str
    at: str
    actor: str
    action: str
    before: str
    after: str
    reason: str | None
    prev_hash: str
    hash: str
    on_behalf_of: str | None = None  # the partner a coordinator acted for


def entry_hash(seq: int, partnership_ref: str, at: str, actor: str, action: str, before: str, after: str,
               reason: str | None, prev_hash: str, on_behalf_of: str | None = None) -> str:
    """The link's hash; `on_behalf_of` is hashed only when set, so entries older than it verify unchanged."""
    fields: list[Any] = [seq, partnership_ref, at, actor, action, before, after, reason]
    if on_behalf_of is not None:
        fields.append({"on_behalf_of": on_behalf_of})
    body = canonical_json(fields)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def chain_entry(seq: int, prev_hash: str, *, partnership_ref: str, at: datetime, actor: str, action: str,
                before: Any, after: Any, reason: str | None, on_behalf_of: str | None = None) -> AuditEntry:
    """The next link after `prev_hash`."""
    at_text = at.astimezone(UTC).isoformat()
    b, a = canonical_json(before), canonical_json(after)
    digest = entry_hash(seq, partnership_ref, at_text, actor, action, b, a, reason, prev_hash, on_behalf_of)
    return AuditEntry(seq, partnership_ref, at_text, actor, action, b, a, reason, prev_hash, digest, on_behalf_of)


@dataclass(frozen=True)
class ChainReport:
    """The result of a walk: `broken_at` names the first entry found wrong, `checkpoints` how many anchors matched."""

    ok: bool
    entries: int
    broken_at: int | None = None
    problem: str | None = None
    checkpoints: int = 0


HEAD_MISSING = (-1, "")  # what a caller passes as `head` when the chain head row is gone


def verify_chain(entries: Iterable[AuditEntry], *,
                 head: tuple[int, str] | Callable[[], tuple[int, str]] | None = None,
                 anchors: dict[int, str] | None = None) -> ChainReport:
    """Walk every stored entry in order; report the first broken link, a head that does not match the last entry,
    and an anchor (checkpoint: entry number -> hash, kept outside the database) the entries no longer match.

    `head` is the recorded last link (HEAD_MISSING when its row is gone), or a function giving it once the entries
    are exhausted; None checks the links only.
    """
    expected_seq, prev, count = 1, GENESIS, 0
    anchors = anchors or {}
    for e in entries:
        count += 1
        broken = _broken_link(e, expected_seq, prev, anchors)
        if broken:
            return ChainReport(False, count, *broken)
        prev, expected_seq = e.hash, expected_seq + 1
    last = expected_seq - 1
    if callable(head):
        head = head()
    if head is not None:
        wrong = _head_mismatch(head, last, prev)
        if wrong:
            return ChainReport(False, count, *wrong)
    past = [seq for seq in anchors if seq > last]
    if past:
        return ChainReport(False, count, last + 1, f"truncated: checkpoint {max(past)} is past the last entry {last}")
    return ChainReport(True, count, checkpoints=len(anchors))


def _broken_link(e: AuditEntry, expected_seq: int, prev: str, anchors: dict[int, str]) -> tuple[int, str] | None:
    """The entry number and the problem when `e` does not continue the chain; None when it does."""
    if e.seq != expected_seq:
        return expected_seq, f"entry {expected_seq} is missing or out of order (found entry {e.seq} in its place)"
    if e.prev_hash != prev:
        return e.seq, f"entry {e.seq} does not follow entry {e.seq - 1} (an entry was deleted or reordered)"
    recomputed = entry_hash(e.seq, e.partnership_ref, e.at, e.actor, e.action, e.before, e.after, e.reason,
                            e.prev_hash, e.on_behalf_of)
    if recomputed != e.hash:
        return e.seq, f"entry {e.seq} was altered after it was written"
    if e.seq in anchors and anchors[e.seq] != e.hash:
        return e.seq, f"rewritten: entry {e.seq} differs from checkpoint"
    return None


def _head_mismatch(head: tuple[int, str], last: int, prev: str) -> tuple[int, str] | None:
    """The entry number and the problem when the recorded head does not match the last entry (`last`, `prev`)."""
    if head == HEAD_MISSING:
        return last or 1, f"the chain head is missing (deleted); the trail holds {last} entries"
    if head[0] < last:
        return head[0] + 1, (f"entry {head[0] + 1} is past the chain head (it records entry {head[0]}): written "
                             "around the append path, e.g. inserted by hand")
    if head[0] > last:
        return last + 1, (f"the trail ends at entry {last} but the chain head records entry {head[0]}"
                          " (entries at the end were deleted)")
    if head[1] != prev:
        return last, f"the chain head's hash does not match entry {last}"
    return None
