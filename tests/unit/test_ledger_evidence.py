"""Evidence files on ledger entries (services over fakes): all or nothing with the entry, a stored file removed again
when its record cannot be written, a partner only on its own entries, a reversal carrying its target's files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from factories import draft
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.domain.ledger import NewEntry
from pppflow.errors import BadInput, ConflictError, Forbidden
from pppflow.services import ledger
from pppflow.services.ledger_evidence import add_entry_with_evidence, attach_entry_file, evidence_by_entry

NOW = datetime(2028, 6, 1, 9, 0, tzinfo=UTC)
PDF = b"%PDF-1.7\n% invoice\n%%EOF\n"
LIMIT = 1000


def new(**kw: Any) -> NewEntry:
    base: dict[str, Any] = {"partner": "techbedrijf", "phase": "investment", "kind": "equipment", "quantity": "1",
                            "unit": "items", "value": "900", "on": date(2027, 3, 1)}
    return NewEntry(**{**base, **kw})


def add(uow: Any, store: Any, uploads: list[tuple[str, bytes]], **kw: Any) -> Any:
    return add_entry_with_evidence("pact", new(**kw), uploads, uow=uow, store=store, actor="marieke", now=NOW,
                                   limit=LIMIT)


def test_an_entry_and_its_files_are_stored_together_the_same_file_once() -> None:
    uow, store = FakeUnitOfWork([draft(ref="pact")]), FakeDocumentStore()
    e, files = add(uow, store, [("invoice.pdf", PDF), ("copy.pdf", PDF), ("note.txt", b"installed\n")])
    assert [f.filename for f in files] == ["invoice.pdf", "note.txt"] and len(store.files) == 2
    assert uow.committed == 1 and [a.action for a in uow.audit.stored] == [
        "ledger.add", "ledger.evidence_file", "ledger.evidence_file"]
    assert [f.entry_id for f in evidence_by_entry("pact", uow=uow)[e.id]] == [e.id, e.id]


@pytest.mark.parametrize("uploads, change", [([("tool.pdf", b"\x7fELF" + bytes(8))], {}),
                                             ([("big.txt", b"x" * (LIMIT + 1))], {}),
                                             ([("invoice.pdf", PDF)], {"quantity": "0"})])
def test_a_bad_file_or_a_bad_entry_stores_nothing(uploads: list[tuple[str, bytes]], change: dict[str, Any]) -> None:
    uow, store = FakeUnitOfWork([draft(ref="pact")]), FakeDocumentStore()
    with pytest.raises(BadInput):
        add(uow, store, uploads, **change)
    assert uow.committed == 0 and not uow.ledger.rows and not store.files


def test_a_file_stored_for_a_transaction_that_fails_is_removed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    uow, store = FakeUnitOfWork([draft(ref="pact")]), FakeDocumentStore()

    def lost_race() -> None:
        raise ConflictError("another process changed this partnership at the same time; nothing was saved")

    monkeypatch.setattr(uow, "commit", lost_race)
    uow.ledger_evidence.add = lambda ref, file: True  # type: ignore[method-assign]  # the fake keeps no record
    with pytest.raises(ConflictError):
        add(uow, store, [("invoice.pdf", PDF)])
    assert not store.files


def test_a_partner_attaches_only_to_its_own_entries_and_a_reversal_carries_the_files() -> None:
    uow, store = FakeUnitOfWork([draft(ref="pact")]), FakeDocumentStore()
    e = ledger.add_entry("pact", new(), uow=uow, actor="marieke", now=NOW)
    with pytest.raises(Forbidden, match="a contribution of 'techbedrijf', not of 'hanze'"):
        attach_entry_file("pact", e.id, "invoice.pdf", PDF, uow=uow, store=store, actor="hanna", now=NOW,
                          limit=LIMIT, party="hanze")
    assert not store.files and uow.committed == 1
    f = attach_entry_file("pact", e.id, "invoice.pdf", PDF, uow=uow, store=store, actor="joost", now=NOW,
                          limit=LIMIT, party="techbedrijf")
    assert f.attached_as == "partner" and uow.ledger.rows[0][1] == e  # the entry itself is unchanged
    fix = ledger.correct_entry("pact", e.id, "wrong invoice", uow=uow, actor="marieke", now=NOW)
    assert [x.filename for x in evidence_by_entry("pact", uow=uow)[fix.id]] == ["invoice.pdf"]
