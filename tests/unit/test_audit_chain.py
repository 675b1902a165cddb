"""The hash chain finds the first broken link after an edit, a deletion or a reordering."""

from __future__ import annotations

import dataclasses

from factories import NOW
from pppflow.adapters.audit_trail import FakeAuditTrail
from pppflow.domain.audit import verify_chain
from pppflow.domain.model import AuditEvent


def trail(n: int = 5) -> FakeAuditTrail:
    t = FakeAuditTrail()
    t.append("pact", [AuditEvent("goal.agree", "marieke", NOW, {"agreed_by": []}, {"agreed_by": [f"p{i}"]})
                      for i in range(n)])
    return t


def test_an_untouched_trail_verifies() -> None:
    t = trail()
    report = verify_chain(t.entries(), head=t.head())
    assert report.ok and report.entries == 5


def test_an_edited_entry_is_found() -> None:
    t = trail()
    t.stored[2] = dataclasses.replace(t.stored[2], actor="mallory")
    report = verify_chain(t.entries(), head=t.head())
    assert (report.ok, report.broken_at) == (False, 3)
    assert report.problem == "entry 3 was altered after it was written"


def test_a_deleted_entry_is_found() -> None:
    t = trail()
    del t.stored[1]
    report = verify_chain(t.stored, head=(5, t.stored[-1].hash))
    assert (report.ok, report.broken_at) == (False, 2)


def test_reordered_entries_are_found() -> None:
    t = trail()
    a, b = t.stored[1], t.stored[3]
    t.stored[1] = dataclasses.replace(b, seq=2)
    t.stored[3] = dataclasses.replace(a, seq=4)
    report = verify_chain(t.stored, head=t.head())
    assert (report.ok, report.broken_at) == (False, 2)


def test_deleting_the_last_entries_is_found_through_the_head() -> None:
    t = trail()
    head = t.head()
    del t.stored[-2:]
    report = verify_chain(t.stored, head=head)
    assert (report.ok, report.broken_at) == (False, 4)
    assert "chain head records entry 5" in (report.problem or "")
