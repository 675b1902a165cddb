"""A version's agreement as a Word document (python-docx), for counterparties to redline.

Built from the version's stored HTML, so it holds the same text: the cover, every article heading, paragraphs,
numbered clauses, tables (contributions, signature blocks). The running header and footer, the watermark and the
table of contents (page references) are print layout and are left out. Importing this module imports python-docx:
import it lazily.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from docx import Document

_SKIP_CLASSES = {"running-header", "running-footer", "watermark", "contents"}
_BLOCKS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}


class _DocxBuilder(HTMLParser):
    """Walks the agreement HTML and writes headings, paragraphs, list items and tables into a Document."""

    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = Document()
        self.doc.core_properties.language = lang
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self._text: list[str] = []
        self._block: str | None = None
        self._lists: list[str] = []
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None

    @property
    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        void = tag in ("br", "img", "meta", "link", "input", "hr")
        skipped = tag in ("style", "script", "head") or bool(classes & _SKIP_CLASSES)
        if not void:
            self._stack.append((tag, skipped))
        if self._skipping:
            return
        if tag in ("ol", "ul"):
            self._lists.append(tag)
        elif tag == "table":
            self._flush()
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []
        elif tag in _BLOCKS or tag in ("p", "li"):
            self._flush()
            self._block = tag
        elif tag == "br":
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        skipping = self._skipping
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if skipping:
            return
        if tag == "span":  # "Artikel 8" and its title are two spans
            (self._cell if self._cell is not None else self._text).append(" ")
        elif tag in ("ol", "ul") and self._lists:
            self._flush()
            self._lists.pop()
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(_clean("".join(self._cell)))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self._table(self._rows)
            self._rows = None
        elif tag in _BLOCKS or tag in ("p", "li"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        (self._cell if self._cell is not None else self._text).append(data)

    def _flush(self) -> None:
        text = _clean("".join(self._text))
        self._text = []
        block, self._block = self._block, None
        if not text:
            return
        if block in _BLOCKS:
            self.doc.add_heading(text, level=_BLOCKS[block])
        elif block == "li":
            self.doc.add_paragraph(text, style="List Number" if self._lists[-1:] == ["ol"] else "List Bullet")
        else:
            self.doc.add_paragraph(text)

    def _table(self, rows: list[list[str]]) -> None:
        rows = [r for r in rows if any(r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                table.cell(i, j).text = value


def _clean(text: str) -> str:
    return "\n".join(re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")).strip()


def agreement_docx(html: str, *, lang: str, title: str) -> bytes:
    """The agreement HTML as .docx bytes."""
    builder = _DocxBuilder(lang)
    builder.doc.core_properties.title = title
    builder.feed(html)
    builder.close()
    builder._flush()
    out = io.BytesIO()
    builder.doc.save(out)
    return out.getvalue()
