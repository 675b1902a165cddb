"""Versions per language: a courtesy translation never supersedes nor is signed; a bilingual version is signed whole."""

from __future__ import annotations

import pytest

from factories import NOW, agreement_version, draft, example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.documents.agreements import FakeAgreementRenderer
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.agreement import versions as av
from pppflow.domain.agreement.languages import governing_language, parse_languages
from pppflow.domain.guards import agreement_signed
from pppflow.domain.interchange import partnership_to_spec
from pppflow.domain.spec import parse_spec
from pppflow.errors import BadInput, NotAllowed, SpecInvalid
from pppflow.services import agreements, changes, partnerships

SIGNATORIES = {"noorderpoort": "Anja Bakker", "hanze": "Henk Visser", "techbedrijf": "Joost Meijer",
               "provincie": "Rob Hoekstra"}


def sign_all(p, number: int) -> None:  # type: ignore[no-untyped-def]
    for key, name in SIGNATORIES.items():
        av.sign(p, number, key, name, None, actor="t", now=NOW)


class TestDomain:
    def test_a_translation_does_not_supersede_its_original_and_takes_its_status(self) -> None:
        p = draft()  # language nl
        original = agreement_version(p)
        translation = agreement_version(p, language="en", translation_of=original.number)
        assert [(v.number, v.status) for v in p.agreements] == [(1, "final"), (2, "final")]
        assert av.latest_signable(p).number == 1
        assert p.events[-1].after["translation_of"] == 1
        sign_all(p, 1)
        assert (original.status, translation.status) == ("signed", "signed")
        assert av.signatures(p, translation) == []  # nobody signs a translation: it follows its original

    def test_signing_a_translation_is_refused_naming_the_original(self) -> None:
        p = draft()
        agreement_version(p)
        agreement_version(p, language="en", translation_of=1)
        with pytest.raises(NotAllowed) as err:
            av.sign(p, 2, "hanze", "Henk Visser", None, actor="t", now=NOW)
        assert err.value.message == "version 2 is a translation of version 1 and cannot be signed"
        assert "sign version 1 (the Dutch original): the Dutch text governs" in err.value.details

    def test_a_new_original_supersedes_the_old_one_and_its_translations(self) -> None:
        p = draft()
        agreement_version(p)
        agreement_version(p, language="en", translation_of=1)
        agreement_version(p, language="nl,en")  # bilingual, holding the governing language: an original
        assert [v.status for v in p.agreements] == ["superseded", "superseded", "final"]
        assert av.latest_signable(p).number == 3

    def test_the_guard_looks_at_originals_only(self) -> None:
        p = draft()
        agreement_version(p)
        agreement_version(p, language="en", translation_of=1)
        reasons = av.signed_agreement_reasons(p)
        assert "version 1 is not yet signed for 'hanze' (Henk Visser)" in reasons
        assert not any("version 2" in r for r in reasons)
        sign_all(p, 1)
        assert av.signed_agreement_reasons(p) == [] == agreement_signed(p)

    def test_a_translation_without_a_current_original_is_refused(self) -> None:
        p = draft()
        with pytest.raises(NotAllowed, match=r"no current version in the governing language \(nl\)"):
            av.original_to_translate(p, content=av.content_hash(p), epoch=p.agreement_epoch)
        agreement_version(p)
        p.obligations[0].title = "Another title"  # the original no longer has today's content
        with pytest.raises(NotAllowed):
            av.original_to_translate(p, content=av.content_hash(p), epoch=p.agreement_epoch)

    def test_the_spec_may_name_another_governing_language(self) -> None:
        raw = example_raw()
        p = draft(raw)
        assert governing_language(p) == "nl" and "agreement" not in partnership_to_spec(p)  # hash unchanged
        raw["agreement"] = {"governing_language": "en"}
        p = draft(raw)
        assert governing_language(p) == "en"
        assert partnership_to_spec(p)["agreement"] == {"governing_language": "en"}
        raw["agreement"] = {"governing_language": "de"}
        with pytest.raises(SpecInvalid) as err:
            parse_spec(raw)
        assert any(d.startswith("agreement.governing_language") for d in err.value.details)

    @pytest.mark.parametrize("value, expected", [(None, ("nl",)), ("en", ("en",)), ("nl,en", ("nl", "en")),
                                                 (["en", "nl"], ("en", "nl")), (" nl , en ", ("nl", "en"))])
    def test_languages_are_parsed_in_the_order_given(self, value, expected) -> None:  # type: ignore[no-untyped-def]
        assert parse_languages(value, "nl") == expected

    @pytest.mark.parametrize("value", ["fr", "nl,nl", "nl,", "nl;en", ["nl", 3]])
    def test_bad_languages_are_bad_input(self, value) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(BadInput):
            parse_languages(value, "nl")


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    uow = FakeUnitOfWork()
    ref = partnerships.import_partnership(example_raw(), uow=uow, lifecycles=load_registry(), actor="m", now=NOW).ref
    for goal in ("modules", "lifelong"):
        for k in SIGNATORIES:
            changes.agree_goal(ref, goal, k, uow=uow, actor="m", now=NOW)
    return uow, ref, FakeAgreementRenderer(), FakeDocumentStore()


def generate(world, **kw):  # type: ignore[no-untyped-def]
    uow, ref, renderer, store = world
    return agreements.generate_agreement(ref, uow_factory=lambda: uow, renderer=renderer, store=store, actor="legal",
                                         lifecycles=load_registry(), now=NOW, **kw)


class TestService:
    def test_a_courtesy_translation_is_kept_beside_the_original(self, world) -> None:  # type: ignore[no-untyped-def]
        uow, ref, renderer, store = world
        with pytest.raises(NotAllowed, match="governing language"):
            generate(world, lang="en")  # nothing to translate yet
        assert store.files == {}
        original = generate(world).version
        translation = generate(world, lang="en").version
        assert (translation.number, translation.translation_of, translation.status) == (2, 1, "final")
        assert translation.content_hash == original.content_hash
        again = generate(world)  # the Dutch original is still current: reused, not superseded
        assert (again.created, again.version.number) == (False, 1)
        assert (generate(world, lang="en").created, renderer.pdfs) == (False, 2)
        versions = uow.partnerships.get(ref).agreements
        assert [(v.number, v.language, v.status, v.translation_of) for v in versions] == [
            (1, "nl", "final", None), (2, "en", "final", 1)]

    def test_a_bilingual_version_is_one_signable_original(self, world) -> None:  # type: ignore[no-untyped-def]
        uow, ref, renderer, store = world
        g = generate(world, lang=["nl", "en"])
        assert (g.version.language, g.version.translation_of, g.version.status) == ("nl,en", None, "final")
        html = store.files[g.version.document_path.replace(".pdf", ".html")].decode()
        assert '<h2>languages</h2><p>["nl", "en"]</p>' in html  # the fake renders the view model's keys
        for partner, name in SIGNATORIES.items():
            d = agreements.sign_agreement(ref, 1, partner, name, uow_factory=lambda: uow, renderer=renderer,
                                          store=store, actor="legal", now=NOW)
        assert d.version.status == "signed" and d.version.signed_document_path in store.files

    def test_a_spec_that_names_english_governing_generates_english_first(self) -> None:
        raw = example_raw()  # a Dutch partnership
        raw["agreement"] = {"governing_language": "en"}
        uow = FakeUnitOfWork()
        ref = partnerships.import_partnership(raw, uow=uow, lifecycles=load_registry(), actor="m", now=NOW).ref
        world = (uow, ref, FakeAgreementRenderer(), FakeDocumentStore())
        with pytest.raises(NotAllowed, match=r"governing language \(en\)"):
            generate(world, lang="nl")  # Dutch is now a translation, and there is no original yet
        original = generate(world).version  # by default: the governing language
        assert (original.language, original.translation_of) == ("en", None)
        assert generate(world, lang="nl").version.translation_of == 1
