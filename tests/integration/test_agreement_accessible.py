"""Agreement PDFs are tagged PDF/A-3b: marked, with a structure tree, the document language and H1/H2 headings."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest

from factories import example_raw
from test_agreement_pdf import render_pdf

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:HarfBuzz-Subset will be required:DeprecationWarning")]


def structure_types(pdf: pikepdf.Pdf) -> list[str]:
    """Every structure element's type, in document order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node and node.get("/Type", pikepdf.Name.StructElem) == pikepdf.Name.StructElem:
                found.append(str(node.S).lstrip("/"))
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_agreement_pdf_is_tagged_with_language_and_headings(lang: str) -> None:
    with pikepdf.open(io.BytesIO(render_pdf(example_raw(), lang))) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == lang
        types = structure_types(pdf)
        assert types.count("H1") == 1 and types.count("H2") >= 10
        assert {"P", "Table", "TR", "TH", "TD"} <= set(types)
        assert types.index("H1") < types.index("H2")  # reading order: the title comes first
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
        assert "agreement.json" in pdf.attachments
