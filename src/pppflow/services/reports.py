"""Reports: the annual partnership report (PDF/A with its data embedded as `report.json`, nl or en)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pppflow.adapters.assessment_files import AssessmentFiles
from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.documents.reports import ReportRenderer
from pppflow.adapters.documents.store import DocumentStore
from pppflow.domain.annual_report import YearFacts, annual_report
from pppflow.errors import BadInput
from pppflow.services.health import health_trend, partnership_health


@dataclass(frozen=True)
class ReportDocument:
    report: dict[str, Any]
    html: str
    pdf: bytes


def _json(report: dict[str, Any]) -> str:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)

    return json.dumps(report, default=plain, ensure_ascii=False, sort_keys=True, indent=1)


def annual_report_document(ref: str, year: int, *, uow: UnitOfWork, files: AssessmentFiles,
                           renderer: ReportRenderer, now: datetime, lang: str | None = None) -> ReportDocument:
    """The annual report of one partnership for `year` (up to today for the running year)."""
    today = now.date()
    if not 2000 <= year <= today.year:
        raise BadInput(f"--year must be between 2000 and {today.year}, not {year}")
    as_of = min(date(year, 12, 31), today)
    with uow:
        p = uow.partnerships.read(ref)
        language = lang or (p.language if p.language in ("en", "nl") else "en")
        if language not in ("en", "nl"):
            raise BadInput(f"unknown report language {language!r}", details=["one of: en, nl"])
        checkins = [c for c in uow.checkins.list(ref) if c.due.year == year and c.due <= as_of]
        rounds = [r for r in uow.maturity.list(ref) if r.recorded_at.date() <= as_of]
    health = partnership_health(ref, uow=uow, files=files, as_of=as_of)
    trend = [(d, s) for d, s in health_trend(ref, uow=uow, files=files, as_of=as_of) if d.year == year]
    facts = YearFacts(p, year, language, health, trend, files.framework(), rounds, checkins)
    report = annual_report(facts, generated_on=today)
    html = renderer.html("annual_report", report)
    title = f"{p.name}: {'Jaarverslag' if language == 'nl' else 'Annual report'} {year}"
    return ReportDocument(report, html, renderer.pdf(html, data_json=_json(report), title=title))


def report_path(ref: str, year: int, lang: str) -> str:
    """Where a stored annual report lives in the document store."""
    return f"reports/{ref}/annual-{year}-{lang}.pdf"


def store_annual_reports(year: int, *, uow_factory: Callable[[], UnitOfWork], files: AssessmentFiles,
                         renderer: ReportRenderer, store: DocumentStore, now: datetime,
                         refs: list[str] | None = None) -> list[dict[str, Any]]:
    """The annual report of every partnership (or of `refs`), each in its language, written to the document
    store; a rerun writes the same paths again. Returns what was written, per partnership."""
    if refs is None:
        with uow_factory() as uow:
            refs = [p.ref for p in uow.partnerships.list(stage=None)]
    written = []
    for ref in refs:
        doc = annual_report_document(ref, year, uow=uow_factory(), files=files, renderer=renderer, now=now)
        path = report_path(ref, year, doc.report["lang"])
        store.put(path, doc.pdf)
        written.append({"ref": ref, "path": path, "score": doc.report["health"]["score"],
                        "band": doc.report["health"]["band"]})
    return written
