"""Word export: the .docx of a version holds every article heading, every party and the signature blocks."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from factories import example_raw
from pppflow.adapters.documents.docx_export import agreement_docx
from pppflow.adapters.documents.renderer import render_html
from pppflow.domain.agreement.diff import articles_from_html
from test_agreement_templates import context_for


@pytest.fixture(scope="module", params=["nl", "en"])
def rendered(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    html = render_html(context_for(example_raw(), request.param, final=True)).html
    return html, agreement_docx(html, lang=request.param, title="pact v1")


def test_every_article_heading_party_and_signature_block_is_in_the_docx(rendered: tuple[str, bytes]) -> None:
    html, data = rendered
    document = docx.Document(io.BytesIO(data))
    blocks = list(document.iter_inner_content())
    headings = [b.text for b in blocks if hasattr(b, "style") and b.style.name.startswith("Heading")]
    # every section with an id (the cover has none) starts with its heading
    titles = [lines[0] for anchor, lines in articles_from_html(html).items()
              if lines and not anchor.startswith("section-")]
    assert len(titles) >= 15 and all(t in headings for t in titles), (titles, headings)
    assert any(b.style.name == "Title" and b.text == example_raw()["name"] for b in blocks if hasattr(b, "style"))
    text = "\n".join(b.text for b in blocks if hasattr(b, "text"))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    for partner in example_raw()["partners"]:
        assert partner["name"] in text
        assert partner["signatory"]["name"] in cells  # the signature block's table
    assert any(b.style.name == "List Number" for b in blocks if hasattr(b, "style"))
    assert "CONCEPT" not in text and "DRAFT" not in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_libreoffice_converts_the_docx_to_pdf_with_the_text(rendered: tuple[str, bytes], tmp_path: Path) -> None:
    _, data = rendered
    (tmp_path / "a.docx").write_bytes(data)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "a.docx")], check=True, capture_output=True, timeout=120)
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "a.pdf").pages)
    assert example_raw()["partners"][0]["name"] in text
