"""Generating, signing and verifying agreement versions, on fakes."""

from __future__ import annotations

import pytest

from factories import NOW, example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.documents.agreements import FakeAgreementRenderer
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.adapters.workflow_files import load_registry
from pppflow.errors import ConflictError, NotAllowed, RenderError
from pppflow.services import agreements, changes, partnerships

LIFECYCLES = load_registry()
SIGNATORIES = {"noorderpoort": "Anja Bakker", "hanze": "Henk Visser", "techbedrijf": "Joost Meijer",
               "provincie": "Rob Hoekstra"}


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    uow = FakeUnitOfWork()
    ref = partnerships.import_partnership(example_raw(), uow=uow, lifecycles=LIFECYCLES, actor="m", now=NOW).ref
    return uow, ref, FakeAgreementRenderer(), FakeDocumentStore()


def generate(world, **kw):  # type: ignore[no-untyped-def]
    uow, ref, renderer, store = world
    return agreements.generate_agreement(ref, uow_factory=lambda: uow, renderer=renderer, store=store, actor="legal",
                                         lifecycles=load_registry(), now=NOW, **kw)


def agree_all(world) -> None:  # type: ignore[no-untyped-def]
    uow, ref, *_ = world
    for goal in ("modules", "lifelong"):
        for k in SIGNATORIES:
            changes.agree_goal(ref, goal, k, uow=uow, actor="m", now=NOW)


def test_generation_stores_a_version_and_its_files(world) -> None:  # type: ignore[no-untyped-def]
    uow, ref, _renderer, store = world
    g = generate(world)
    assert g.created and g.version.number == 1 and g.version.status == "draft"
    assert set(store.files) == {g.version.document_path, g.version.document_path.replace(".pdf", ".html")}
    assert agreements.sha256(store.files[g.version.document_path]) == g.version.pdf_sha256
    assert [e.action for e in uow.audit.entries(ref)][-1] == "agreement.generate"


def test_unchanged_data_reuses_the_version_and_a_change_makes_a_new_one(world) -> None:  # type: ignore[no-untyped-def]
    first = generate(world)
    again = generate(world)
    assert (again.created, again.version.number, world[2].pdfs) == (False, 1, 1)
    agree_all(world)  # goal agreements are state, not content: but the framework is now complete
    final = generate(world)
    assert (final.created, final.version.number, final.version.status) == (True, 2, "final")
    assert final.version.content_hash == first.version.content_hash
    forced = generate(world, force=True)
    assert forced.version.number == 3
    uow, ref, *_ = world
    assert [v.status for v in uow.partnerships.get(ref).agreements] == ["superseded", "superseded", "final"]


def test_signing_completes_the_version_and_issues_an_executed_copy(world) -> None:  # type: ignore[no-untyped-def]
    uow, ref, renderer, store = world
    agree_all(world)
    v = generate(world).version
    for k, name in SIGNATORIES.items():
        detail = agreements.sign_agreement(ref, None, k, name, uow_factory=lambda: uow, renderer=renderer,
                                           store=store, actor="legal", now=NOW)
    assert detail.version.status == "signed" and detail.unsigned == []
    assert detail.version.signed_document_path in store.files
    executed = store.files[detail.version.signed_document_path]
    found = agreements.verify_document(executed, uow=uow)
    assert (found.genuine, found.ref, found.version, found.copy) == (True, ref, v.number, "executed")
    original = store.files[v.document_path]
    assert agreements.verify_document(original, uow=uow).copy == "version"
    tampered = bytearray(original)
    tampered[-1] ^= 1
    assert agreements.verify_document(bytes(tampered), uow=uow).genuine is False


def test_a_failed_render_or_store_leaves_no_file_and_no_record(world) -> None:  # type: ignore[no-untyped-def]
    uow, ref, _, store = world
    with pytest.raises(RenderError):
        agreements.generate_agreement(ref, uow_factory=lambda: uow, renderer=FakeAgreementRenderer(fail_pdf=True),
                                      store=store, actor="legal", now=NOW, lifecycles=load_registry())
    with pytest.raises(OSError):
        agreements.generate_agreement(ref, uow_factory=lambda: uow, renderer=FakeAgreementRenderer(),
                                      store=FakeDocumentStore(fail_on_put=True), actor="legal", now=NOW,
                                      lifecycles=load_registry())
    assert store.files == {} and uow.partnerships.get(ref).agreements == []


def test_a_change_during_rendering_is_a_conflict_and_removes_the_files(world) -> None:  # type: ignore[no-untyped-def]
    uow, ref, _, store = world

    class ChangingRenderer(FakeAgreementRenderer):
        def pdf(self, html: str, *, attachment_json: str, title: str) -> bytes:
            uow.partnerships.get(ref).obligations[0].title = "changed meanwhile"
            return super().pdf(html, attachment_json=attachment_json, title=title)

    with pytest.raises(ConflictError):
        agreements.generate_agreement(ref, uow_factory=lambda: uow, renderer=ChangingRenderer(), store=store,
                                      actor="legal", now=NOW, lifecycles=load_registry())
    assert store.files == {}


def test_diff_shows_changed_articles(world) -> None:  # type: ignore[no-untyped-def]
    uow, ref, _, store = world
    generate(world)
    uow.partnerships.get(ref).obligations[0].title = "Develop four modules"
    generate(world)
    diffs = agreements.diff_versions(ref, 1, 2, uow=uow, store=store)
    changed = {d.article for d in diffs}
    assert "result_obligations" in changed and "version" in changed
    lines = next(d for d in diffs if d.article == "result_obligations").lines
    assert any(line.startswith("+") and "Develop four modules" in line for line in lines)
    with pytest.raises(NotAllowed):
        agreements.sign_agreement(ref, 1, "hanze", "Henk Visser", uow_factory=lambda: uow,
                                  renderer=FakeAgreementRenderer(), store=store, actor="legal", now=NOW)
