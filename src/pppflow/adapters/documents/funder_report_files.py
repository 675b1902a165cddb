"""The funder report in its formats: JSON, CSV, XLSX (openpyxl, exact decimals) and PDF/A with the data embedded.

The PDF goes through the agreements' pipeline: an autoescaped Jinja template shipped with pppflow, and WeasyPrint
with the same URL fetcher, so nothing outside the template's folder is ever read. Heavy libraries are imported
inside the functions that need them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from pppflow.domain.funder_report import CSV_COLUMNS, finance_rows

REPORT_DIR = Path(__file__).resolve().parents[2] / "reports"
ATTACHMENT_NAME = "funder-report.json"
NUMERIC = {"committed", "realised", "difference", "rate", "committed_eur", "realised_eur"}


def to_json(report: dict[str, Any]) -> bytes:
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")


def to_csv(report: dict[str, Any]) -> bytes:
    """The finances as rows (decimals as written, '.' as the separator) for finance departments."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(finance_rows(report))
    return out.getvalue().encode("utf-8")


def to_xlsx(report: dict[str, Any]) -> bytes:
    """A workbook: Finances (numbers as exact decimals), Activities and Objectives."""
    from openpyxl import Workbook

    labels = report["labels"]
    wb = Workbook()
    ws = wb.worksheets[0]  # the new workbook's one (active) sheet
    ws.title = "Finances"
    ws.append(list(CSV_COLUMNS))
    for row in finance_rows(report):
        ws.append([Decimal(v) if k in NUMERIC and v not in ("", None) else v for k, v in row.items()])
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00" if CSV_COLUMNS[cell.column - 1].endswith("_eur") else "General"
    acts = wb.create_sheet("Activities")
    acts.append([labels["obligations"], labels["partner"], labels["due"], labels["status"], labels["evidence"]])
    for o in report["activities"]["obligations"]:
        acts.append([o["title"], o["owner"], o["due"], o["status"], o["evidence"]])
    acts.append([])
    acts.append([labels["checkins"], labels["held"], len(report["activities"]["checkins"]["held"])])
    acts.append([labels["checkins"], labels["missed"], len(report["activities"]["checkins"]["missed"])])
    acts.append([labels["effort"], labels["total"], Decimal(report["activities"]["effort_hours_total"])])
    goals = wb.create_sheet("Objectives")
    goals.append([labels["objectives"], labels["indicators"], labels["target"], labels["owners"]])
    for g in report["objectives"]:
        goals.append([g["statement"], "; ".join(g["indicators"]), g["target_date"], ", ".join(g["owners"])])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def report_html(report: dict[str, Any]) -> str:
    """The report's HTML from the shipped, autoescaped template."""
    from pppflow.adapters.documents.jinja_env import default_environment, render_template

    env = default_environment(REPORT_DIR)
    return render_template(env, REPORT_DIR, "funder_report.html.j2", {"r": report, "l": report["labels"]})


class ReportRenderer(Protocol):
    def pdf(self, report: dict[str, Any]) -> bytes: ...


class WeasyReportRenderer:
    """PDF/A-3b with the report's JSON attached, through the agreements' safe WeasyPrint pipeline."""

    def pdf(self, report: dict[str, Any]) -> bytes:
        from pppflow.adapters.documents.pdf import write_pdf  # imports WeasyPrint (slow), so only when needed

        return write_pdf(report_html(report), assets_dir=REPORT_DIR, attachment_json=to_json(report).decode("utf-8"),
                         title=f"{report['labels']['title']}: {report['name']}", attachment_name=ATTACHMENT_NAME,
                         description="Machine-readable data of this funder report")


class FakeReportRenderer:
    """A pseudo-PDF holding the HTML's hash and the JSON, for unit tests."""

    def pdf(self, report: dict[str, Any]) -> bytes:
        html = report_html(report)
        return b"%PDF-1.7 fake\n" + hashlib.sha256(html.encode()).hexdigest().encode() + b"\n" + to_json(report)


def render(report: dict[str, Any], fmt: str, renderer: ReportRenderer) -> bytes:
    """The report's bytes in one format."""
    if fmt == "pdf":
        return renderer.pdf(report)
    return {"json": to_json, "csv": to_csv, "xlsx": to_xlsx}[fmt](report)
