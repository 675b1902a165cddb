"""Languages of agreement versions from the CLI: one bilingual version; a courtesy translation beside its original."""

from __future__ import annotations

import pytest

from test_agreement_cli import REF, SIGNATORIES, framework_agreed

pytestmark = pytest.mark.slow


def test_bilingual_version_translation_and_signing(cli) -> None:  # type: ignore[no-untyped-def]
    framework_agreed(cli)  # a Dutch partnership: Dutch governs
    r = cli("agreement", "generate", REF, "--lang", "en")
    assert r.code == 1 and "no current version in the governing language (nl)" in r.err
    assert cli("agreement", "generate", REF, "--lang", "nl,fr").code == 2
    assert cli("agreement", "generate", REF, "--lang", "nl,nl").code == 2

    r = cli("agreement", "generate", REF, "--lang", "nl,en", "--json")
    assert r.code == 0, r.err
    assert (r.json()["version"], r.json()["language"], r.json()["status"]) == (1, "nl,en", "final")

    r = cli("agreement", "generate", REF, "--lang", "en", "--json")  # a courtesy translation
    assert r.code == 0, r.err
    assert (r.json()["version"], r.json()["translation_of"], r.json()["status"]) == (2, 1, "final")
    listed = cli("agreement", "list", REF, "--json").json()
    assert [(v["version"], v["language"], v["status"], v["translation_of"]) for v in listed] == [
        (1, "nl,en", "final", None), (2, "en", "final", 1)]  # the original is not superseded
    table = cli("agreement", "list", REF).out
    assert "final, translation of v1" in table and "nl,en" in table

    r = cli("agreement", "sign", REF, "2", "--partner", "hanze", "--name", "Henk Visser", "--method", "wet-ink")
    assert r.code == 1
    assert "version 2 is a translation of version 1 and cannot be signed" in r.err
    assert "sign version 1" in r.err
    for partner, name in SIGNATORIES.items():
        r = cli("agreement", "sign", REF, "1", "--partner", partner, "--name", name, "--method", "wet-ink")
        assert r.code == 0, r.err
    listed = cli("agreement", "list", REF, "--json").json()
    assert [v["status"] for v in listed] == ["signed", "signed"]  # the translation follows its original
    assert cli("partnership", "advance", REF, "start_investment").code == 0
