"""Report documents (the annual partnership report) through the agreements' pipeline: the shipped Jinja2
environment (autoescape, strict undefined) and WeasyPrint PDF/A-3b behind the same URL fetcher allow-list, with
the report's data embedded as `report.json`. A fake for unit tests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Protocol

import yaml

from pppflow.adapters.documents.jinja_env import default_environment, render_template
from pppflow.adapters.documents.renderer import default_templates_dir, html_to_pdf
from pppflow.errors import BadInput

ATTACHMENT_NAME = "report.json"


class ReportRenderer(Protocol):
    def html(self, name: str, report: dict[str, Any]) -> str: ...
    def pdf(self, html: str, *, data_json: str, title: str) -> bytes: ...


def report_words(lang: str) -> dict[str, Any]:
    """The words of the reports in one language (agreement_templates/reports/words/<lang>.yaml)."""
    if lang not in ("en", "nl"):
        raise BadInput(f"unknown report language {lang!r}", details=["one of: en, nl"])
    path = default_templates_dir() / "reports" / "words" / f"{lang}.yaml"
    words: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return words


class WeasyReportRenderer:
    """The shipped report templates; the PDF layout bounded by `time_limit` seconds (a killed worker process)."""

    def __init__(self, time_limit: float | None = None) -> None:
        self.time_limit = time_limit

    def html(self, name: str, report: dict[str, Any]) -> str:
        directory = default_templates_dir()
        return render_template(default_environment(directory), directory, f"reports/{name}.html.j2",
                               {"report": report, "t": report_words(report["lang"])})

    def pdf(self, html: str, *, data_json: str, title: str) -> bytes:
        return html_to_pdf(html, assets_dir=default_templates_dir().resolve(), attachment_json=data_json,
                           title=title, attachment_name=ATTACHMENT_NAME, time_limit=self.time_limit)


class FakeReportRenderer:
    """The report as JSON inside minimal HTML; a pseudo-PDF."""

    def html(self, name: str, report: dict[str, Any]) -> str:
        return f"<html><body><h1>{name}</h1><pre>{json.dumps(report, default=str, sort_keys=True)}</pre></body></html>"

    def pdf(self, html: str, *, data_json: str, title: str) -> bytes:
        return b"%PDF-1.7 fake\n" + hashlib.sha256(html.encode() + data_json.encode()).hexdigest().encode()


__all__ = ["FakeReportRenderer", "Path", "ReportRenderer", "WeasyReportRenderer", "report_words"]
