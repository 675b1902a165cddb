"""A bilingual version: both languages' articles with the same numbers, the governing-language clause, still a tagged
PDF/A-3b with the primary language set; a courtesy translation says what it translates."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from factories import example_raw
from pppflow.adapters.documents.renderer import default_templates_dir, html_to_pdf, render_html
from pppflow.domain.agreement.view_model import build_editions
from pppflow.errors import TemplateError
from test_agreement_accessible import structure_types
from test_agreement_pdf import Pdf

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:HarfBuzz-Subset will be required:DeprecationWarning")]


def render(languages: list[str], **options: Any) -> tuple[str, bytes]:
    spec = example_raw()
    context = build_editions(spec, languages=languages, version=2, stage="framework_agreed", signed=False,
                             signoffs=[], generated_on=date(2026, 11, 23), final=True, **options)
    html = render_html(context).html
    return html, html_to_pdf(html, assets_dir=default_templates_dir(), attachment_json=json.dumps(spec, default=str),
                             title=context["name"])


@pytest.fixture(scope="module")
def bilingual() -> tuple[str, bytes]:
    return render(["nl", "en"])


def test_both_languages_with_the_same_article_numbers(bilingual: tuple[str, bytes]) -> None:
    pdf = Pdf(bilingual[1])
    assert pdf.has("Artikel 8 Resultaatsverplichtingen", "Artikel 9 Inspanningsverplichtingen")
    assert pdf.has("Article 8 Obligations of result", "Article 9 Obligations of effort")
    assert pdf.text.index("Artikel 8 Resultaatsverplichtingen") < pdf.text.index("Article 8 Obligations of result")


def test_the_governing_language_clause_in_each_language(bilingual: tuple[str, bytes]) -> None:
    pdf = Pdf(bilingual[1])
    assert pdf.has("Deze Overeenkomst is opgesteld in het Nederlands en het Engels. De Partners ondertekenen beide "
                   "teksten tezamen; bij verschil tussen de teksten is de Nederlandse tekst beslissend.")
    assert pdf.has("This Agreement is drawn up in Dutch and English. The Partners sign both texts together; if they "
                   "differ, the Dutch text prevails.")
    assert not pdf.has("This Agreement is drawn up in English.")


def test_each_language_part_is_marked_and_anchors_are_unique(bilingual: tuple[str, bytes]) -> None:
    html = bilingual[0]
    assert '<html lang="nl">' in html
    assert html.count('<div class="edition" lang="nl">') == 1 and html.count('<div class="edition" lang="en">') == 1
    assert 'id="nl-sec-goals"' in html and 'id="en-sec-goals"' in html and 'href="#en-sec-goals"' in html


def test_still_tagged_pdf_a_3b_with_the_primary_language(bilingual: tuple[str, bytes]) -> None:
    with pikepdf.open(io.BytesIO(bilingual[1])) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) is True and "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "nl"
        types = structure_types(pdf)
        assert types.count("H1") == 2 and types.count("H2") >= 20  # a cover title and the articles per language
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
        assert "agreement.json" in pdf.attachments


def test_a_translation_names_its_original_and_is_not_for_signature() -> None:
    html, _ = render(["en"], governing_language="nl", translation_of=1)
    assert "Translation – not for signature" in html
    assert ("This document is a translation of version 1 of this Agreement, drawn up in Dutch. Only that version is "
            "signed; if the texts differ, the Dutch text prevails.") in html


def test_an_organisation_template_that_renders_one_language_is_refused(tmp_path: Path) -> None:
    (tmp_path / "collaboration_agreement.html.j2").write_text("<html><body>{{ agreement.name }}</body></html>")
    context = build_editions(example_raw(), languages=["nl", "en"], version=1, stage="draft", signed=False,
                             signoffs=[], generated_on=date(2026, 11, 23))
    with pytest.raises(TemplateError, match="loops over `editions`"):
        render_html(context, templates_dir=tmp_path)
    single = build_editions(example_raw(), languages=["nl"], version=1, stage="draft", signed=False, signoffs=[],
                            generated_on=date(2026, 11, 23))
    assert "Smart Industry" in render_html(single, templates_dir=tmp_path).html
