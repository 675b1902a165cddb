"""Agreement wording: a final version says it awaits signature, and a Dutch document and diff are Dutch throughout."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
import yaml

from factories import example_raw
from pppflow.adapters.documents.renderer import default_templates_dir, render_html
from pppflow.domain.agreement.diff import CHANGE_WORDS, diff_articles
from test_agreement_templates import context_for


def _words(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_words(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_words(v) for v in node)) if node else set()
    if not isinstance(node, str):
        return set()
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}", " ", node))}  # not {placeholders}


def english_only_words() -> set[str]:
    """Words of the English clause file (and of the English diff) that the Dutch clause file does not use."""
    clauses = default_templates_dir() / "clauses"
    en = _words(yaml.safe_load((clauses / "en.yaml").read_text(encoding="utf-8")))
    nl = _words(yaml.safe_load((clauses / "nl.yaml").read_text(encoding="utf-8")))
    return (en | _words(CHANGE_WORDS["en"])) - nl


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) and len(node) > 2 else []


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def english_in(text: str, spec: dict[str, Any]) -> list[str]:
    """English words in text, after removing the partnership's own data (its names and descriptions, as typed)."""
    text = re.sub(r"\s+", " ", text)
    for value in sorted(_strings(spec), key=len, reverse=True):
        text = text.replace(re.sub(r"\s+", " ", value), " ")
    english = english_only_words()
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() in english})


@pytest.mark.parametrize(("lang", "final_text", "draft_mark"), [
    ("en", "Final – for signature", "DRAFT"), ("nl", "Definitief – ter ondertekening", "CONCEPT")])
def test_final_unsigned_version_says_for_signature_and_has_no_watermark(lang: str, final_text: str,
                                                                       draft_mark: str) -> None:
    final = render_html(context_for(example_raw(), lang, final=True)).html
    assert final_text in final and 'class="watermark"' not in final
    draft = render_html(context_for(example_raw(), lang)).html
    assert final_text not in draft and f'<div class="watermark" aria-hidden="true">{draft_mark}</div>' in draft
    signed = render_html(context_for(example_raw(), lang, signed=True, final=True)).html
    assert final_text not in signed and 'class="watermark"' not in signed


def test_every_word_of_a_dutch_agreement_is_dutch() -> None:
    spec = example_raw()
    spec["term"]["renewal"] = "automatic"
    spec["term"]["months"] = 12
    text = visible_text(render_html(context_for(spec, "nl", final=True)).html)
    assert "12 maanden" in text
    assert english_in(text, spec) == []
    assert english_in("voor 12 months (changed)", spec) == ["changed", "months"]  # the scan finds English


def test_dutch_diff_is_dutch_with_headings_separated_from_their_numbers() -> None:
    spec = example_raw()
    old = render_html(context_for(spec, "nl", final=True)).html
    spec["term"]["months"] = 48
    spec["obligations"] = spec["obligations"][:-1]
    new = render_html(context_for(spec, "nl", version=2, final=True)).html
    diffs = diff_articles(old, new, old_label="v1", new_label="v2", lang="nl")
    assert {d.change_label for d in diffs} == {"gewijzigd"}
    titles = [d.article for d in diffs]
    assert any(re.fullmatch(r"Artikel \d+ Duur, verlenging en beëindiging", t) for t in titles), titles
    assert not any(re.search(r"Artikel \d+[A-Za-z]", t) for t in titles)
    shown = " ".join(f"{d.article} ({d.change_label}) " + " ".join(d.lines) for d in diffs)
    assert english_in(shown, example_raw()) == []  # the removed obligation is in the original data


@pytest.mark.parametrize(("lang", "registered", "entity"), [
    ("nl", "ingeschreven in het handelsregister van de Kamer van Koophandel onder nummer 01234567",
     "De Samenwerkingsorganisatie is <strong>Coöperatie Smart Industry U.A.</strong>, ingeschreven in het "
     "handelsregister van de Kamer van Koophandel onder nummer 76543210."),
    ("en", "registered with the Chamber of Commerce under number 01234567",
     "The Partnership Organisation is <strong>Coöperatie Smart Industry U.A.</strong>, registered with the "
     "Chamber of Commerce under number 76543210.")])
def test_parties_print_address_and_registration_and_the_entity_is_named(lang: str, registered: str,
                                                                        entity: str) -> None:
    from pppflow.domain.interchange import partnership_from_spec, partnership_to_spec
    from pppflow.domain.spec import parse_spec

    spec = example_raw()
    spec["legal_form"] = "cooperative"
    spec["entity"] = {"name": "Coöperatie Smart Industry U.A.", "registration_number": "76543210"}
    spec["partners"][2].update(address="Industrieweg 1, 9700 AA Groningen", registration_number="01234567")
    html = render_html(context_for(spec, lang, final=True)).html
    party = next(line for line in html.splitlines() if spec["partners"][2]["name"] in line and "signatory" not in line
                 and "cover-party" not in line and "<li>" in line)
    assert registered in party and "Industrieweg 1, 9700 AA Groningen" in party
    assert entity in html
    # the fields survive the round trip through the model (import, export)
    p = partnership_from_spec(parse_spec(spec), ref="x", initial_stage="draft", now=__import__("factories").NOW)
    out = partnership_to_spec(p)
    assert out["entity"] == spec["entity"] and out["partners"][2]["registration_number"] == "01234567"
    assert "entity" not in partnership_to_spec(partnership_from_spec(parse_spec(example_raw()), ref="y",
                                                                      initial_stage="draft",
                                                                      now=__import__("factories").NOW))
