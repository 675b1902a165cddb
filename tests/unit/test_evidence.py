"""Evidence files with fakes: the type is read from the content, the size is bounded, a partner attaches to its
own obligations only; a refused file stores nothing, an accepted one is audited with its SHA-256."""

from __future__ import annotations

import hashlib
import json

import pytest

from factories import NOW, draft
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.domain.evidence import media_type
from pppflow.errors import BadInput, Forbidden, NotAllowed, NotFound
from pppflow.services.evidence import attach_file, evidence_content, evidence_files

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(200)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(20)
JPEG = b"\xff\xd8\xff\xe0" + bytes(20)


@pytest.mark.parametrize(("data", "kind"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"),
                                            ("Notulen: één module af.\n".encode(), "text/plain"), (ELF, None),
                                            (b"MZ\x90\x00\x03", None), (b"\xff\xfe bad utf-8", None)])
def test_the_type_is_read_from_the_content(data: bytes, kind: str | None) -> None:
    assert media_type(data) == kind


def attach(uow: FakeUnitOfWork, store: FakeDocumentStore, data: bytes = PDF, **kw):  # type: ignore[no-untyped-def]
    args = {"uow": uow, "store": store, "actor": "hanna", "now": NOW, "limit": 1000} | kw
    return attach_file("pact", kw.pop("key", "research"), kw.pop("name", "report.pdf"), data,
                       **{k: v for k, v in args.items() if k not in ("key", "name")})


def test_an_attached_file_is_stored_by_its_sha256_and_audited() -> None:
    uow, store = FakeUnitOfWork([draft()]), FakeDocumentStore()
    attached = attach(uow, store, party="hanze")
    sha = hashlib.sha256(PDF).hexdigest()
    assert attached.sha256 == sha and store.files == {f"evidence/{sha[:2]}/{sha}": PDF}
    [entry] = uow.audit.entries("pact")
    after = json.loads(entry.after)
    assert entry.action == "obligation.evidence_file" and after["sha256"] == sha
    assert after["partner"] == "hanze" and entry.actor == "hanna"
    assert [f.filename for f in evidence_files("pact", uow=uow, key="research")] == ["report.pdf"]
    assert evidence_content("pact", "research", sha, uow=uow, store=store)[1] == PDF
    with pytest.raises(NotFound):
        evidence_content("pact", "assignments", sha, uow=uow, store=store)
    with pytest.raises(NotAllowed, match="already attached"):
        attach(uow, store, party="hanze")


@pytest.mark.parametrize(("data", "kw", "error"), [
    (ELF, {"name": "report.pdf"}, BadInput),           # an executable renamed .pdf
    (PDF + bytes(1000), {}, BadInput),                  # over the size limit
    (b"", {}, BadInput),
    (PDF, {"party": "noorderpoort"}, Forbidden),       # research is hanze's obligation
    (PDF, {"key": "nope"}, NotFound),
])
def test_a_refused_file_stores_nothing(data: bytes, kw: dict, error: type) -> None:  # type: ignore[type-arg]
    uow, store = FakeUnitOfWork([draft()]), FakeDocumentStore()
    with pytest.raises(error):
        attach(uow, store, data, **kw)
    assert store.files == {} and uow.evidence.files == {} and list(uow.audit.entries("pact")) == []


def test_a_failed_record_removes_the_file_it_stored() -> None:
    uow, store = FakeUnitOfWork([draft()]), FakeDocumentStore()

    def broken(ref: str, file: object) -> bool:
        raise OSError("the database is gone")

    uow.evidence.add = broken  # type: ignore[method-assign]
    with pytest.raises(OSError):
        attach(uow, store)
    assert store.files == {}
