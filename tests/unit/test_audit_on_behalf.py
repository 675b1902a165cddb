"""`on_behalf_of` in the audit chain: hashed only when set, so entries written before it verify unchanged."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime

from pppflow.domain.audit import GENESIS, canonical_json, chain_entry, verify_chain

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_an_entry_without_on_behalf_of_hashes_exactly_as_before() -> None:
    e = chain_entry(1, GENESIS, partnership_ref="pact", at=AT, actor="coco", action="goal.agree",
                    before={"agreed_by": []}, after={"agreed_by": ["hanze"]}, reason=None)
    old_body = canonical_json([1, "pact", AT.isoformat(), "coco", "goal.agree", e.before, e.after, None])
    assert e.hash == hashlib.sha256(f"{GENESIS}\n{old_body}".encode()).hexdigest()  # the pre-0009 formula


def test_on_behalf_of_is_covered_by_the_hash() -> None:
    first = chain_entry(1, GENESIS, partnership_ref="pact", at=AT, actor="hanna", action="goal.agree",
                        before=None, after={"goal": "modules"}, reason=None)
    second = chain_entry(2, first.hash, partnership_ref="pact", at=AT, actor="coco", action="goal.agree",
                         before=None, after={"goal": "modules"}, reason=None, on_behalf_of="provincie")
    assert second.on_behalf_of == "provincie" and verify_chain([first, second]).ok
    forged = dataclasses.replace(second, on_behalf_of=None)  # hide that the coordinator acted for provincie
    report = verify_chain([first, forged])
    assert (report.ok, report.broken_at) == (False, 2)
