"""WeasyPrint side of agreement rendering: a URL fetcher confined to the template's assets, and PDF/A output.

Importing this module imports WeasyPrint (over a second): import it lazily, as `agreement_renderer` does.
WeasyPrint's default fetcher reads any local file and makes HTTP requests; `<link rel="attachment"
href="file:///etc/passwd">` in a template would embed that file. `SafeFetcher` serves only stylesheets,
fonts and images that lie inside the assets directory (after resolving symlinks) and refuses every other URL.
"""

from __future__ import annotations

import mimetypes
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from pppflow.errors import RenderError

ALLOWED_SUFFIXES = frozenset({".css", ".woff", ".woff2", ".ttf", ".otf", ".png", ".jpg", ".jpeg", ".gif", ".svg"})
PDF_VARIANT = "pdf/a-3b"
ATTACHMENT_NAME = "agreement.json"


class SafeFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types: its URLFetcher is Any
    """A URL fetcher that serves only asset files inside one directory and refuses everything else."""

    def __init__(self, assets_dir: Path) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=False)
        self.root = Path(assets_dir).resolve()
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path:
        """Map a URL to a file inside the assets directory, or raise ValueError."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused URL outside the template assets: {url[:200]}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.root) or path.suffix.lower() not in ALLOWED_SUFFIXES or not path.is_file():
            raise ValueError(f"refused URL outside the template assets: {url[:200]}")
        return path

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            path = self.resolve(url)
        except ValueError:
            self.refused.append(url)
            raise
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        content_type = f"{mime}; charset=utf-8" if mime == "text/css" else mime
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})


def write_pdf(html: str, *, assets_dir: Path, attachment_json: str, title: str,
              attachment_name: str = ATTACHMENT_NAME,
              description: str = "Machine-readable data of this agreement") -> bytes:
    """Lay out the HTML and write PDF/A-3b bytes with the JSON attached (`agreement.json` unless named otherwise);
    errors become RenderError."""
    fetcher = SafeFetcher(assets_dir)
    # Tagged PDF/A-3b: WeasyPrint 70 cannot declare PDF/A and PDF/UA in one file; archival (PDF/A, with the
    # embedded agreement.json) is the legal requirement, so the tags (headings, lists, tables, reading order, Lang)
    # come with PDF/A-3b rather than PDF/UA-1 (see README, "Accessible PDFs").
    options: dict[str, Any] = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}
    try:
        document = HTML(string=html, base_url=fetcher.root.as_uri() + "/", url_fetcher=fetcher).render(**options)
        document.metadata.title = title
        attachment = Attachment(
            string=attachment_json.encode("utf-8"),
            name=attachment_name,
            description=description,
            relationship="Data",
            url_fetcher=fetcher,
        )
        with warnings.catch_warnings():
            # WeasyPrint 70 opens its sRGB profile for PDF/A without closing it; the warning is its, not ours.
            warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
            pdf: bytes = document.write_pdf(attachments=[attachment], **options)  # bytes: no target given
            return pdf
    except Exception as exc:  # WeasyPrint raises many unrelated types (ValueError, OSError, AssertionError...)
        raise RenderError(f"could not render the agreement PDF: {type(exc).__name__}: {exc}") from exc
