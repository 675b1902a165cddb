"""The agreement renderer behind a small interface: Jinja2 + WeasyPrint for real, a fake for unit tests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Protocol

from pppflow.adapters.documents.renderer import RenderedHtml, default_templates_dir, html_to_pdf, render_html


class AgreementRenderer(Protocol):
    def html(self, context: dict[str, Any]) -> RenderedHtml: ...
    def pdf(self, html: str, *, attachment_json: str, title: str) -> bytes: ...


class WeasyAgreementRenderer:
    """The shipped templates, or an organisation's own folder (rendered in the sandbox)."""

    def __init__(self, templates_dir: Path | None = None, *, time_limit: float | None = None) -> None:
        self.templates_dir = templates_dir
        self.time_limit = time_limit  # None: the PPPFLOW_RENDER_TIME_LIMIT setting

    def html(self, context: dict[str, Any]) -> RenderedHtml:
        return render_html(context, templates_dir=self.templates_dir)

    def warm_up(self) -> None:
        """Before a batch: compile the shipped template and start the PDF worker server (WeasyPrint imported)."""
        from pppflow.adapters.documents.jinja_env import default_environment
        from pppflow.adapters.documents.render_worker import start_worker_server
        from pppflow.adapters.documents.renderer import TEMPLATE_NAME

        if self.templates_dir is None:
            default_environment(default_templates_dir()).get_template(TEMPLATE_NAME)
        start_worker_server()

    def pdf(self, html: str, *, attachment_json: str, title: str) -> bytes:
        assets = (self.templates_dir or default_templates_dir()).resolve()
        if self.time_limit is None:
            from pppflow.config import get_settings

            self.time_limit = get_settings().render_time_limit
        return html_to_pdf(html, assets_dir=assets, attachment_json=attachment_json, title=title,
                           time_limit=self.time_limit)


class FakeAgreementRenderer:
    """Deterministic HTML from the view model and a pseudo-PDF; counts what it was asked to do."""

    def __init__(self, *, fail_pdf: bool = False) -> None:
        self.fail_pdf = fail_pdf
        self.pdfs = 0

    def html(self, context: dict[str, Any]) -> RenderedHtml:
        sections = "".join(f'<section class="article" id="sec-{k}"><h2>{k}</h2><p>{json.dumps(v, default=str)}</p>'
                           f"</section>" for k, v in sorted(context.items()) if k != "generated_on_text")
        return RenderedHtml(f"<html><body>{sections}</body></html>", "fake.html.j2", "f" * 64)

    def pdf(self, html: str, *, attachment_json: str, title: str) -> bytes:
        if self.fail_pdf:
            from pppflow.errors import RenderError

            raise RenderError("the fake renderer was told to fail")
        self.pdfs += 1
        return b"%PDF-1.7 fake\n" + hashlib.sha256(html.encode() + attachment_json.encode()).hexdigest().encode()
