"""Generate a funder report for a period, store it as a version (hash, who, when) and return its bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.documents.store import DocumentStore
from pppflow.domain.funder_report import FORMATS, LANGUAGES, FunderReportVersion, build_report
from pppflow.domain.ledger import rate_table
from pppflow.domain.ledger_summary import summarise
from pppflow.errors import BadInput


@dataclass(frozen=True)
class GeneratedReport:
    version: FunderReportVersion
    data: bytes
    report: dict[str, Any]


def report_data(ref: str, period_end: date, *, uow: UnitOfWork, lang: str | None = None) -> dict[str, Any]:
    """The report's content as plain values (the language: `lang`, else the scheme's, else the partnership's)."""
    with uow:
        p = uow.partnerships.read(ref)
        lang = lang or ((p.funding or {}).get("terms") or {}).get("language") or p.language
        if lang not in LANGUAGES:
            raise BadInput(f"--lang: must be one of {', '.join(LANGUAGES)}", details=[f"--lang: {lang!r}"])
        if p.term_start and period_end < p.term_start:
            raise BadInput(f"--period-end: {period_end} is before the term starts ({p.term_start})",
                           details=[f"--period-end: on or after {p.term_start}"])
        summary = summarise(p, uow.ledger.entries(ref), rate_table(p), as_of=period_end, upto=period_end)
        return build_report(p, summary, uow.checkins.list(ref), uow.checkins.effort_log(ref),
                            period_end=period_end, lang=lang)


def generate_funder_report(ref: str, period_end: date, *, uow_factory: Callable[[], UnitOfWork], renderer: Any,
                           store: DocumentStore, actor: str, now: datetime, lang: str | None = None,
                           fmt: str = "pdf") -> GeneratedReport:
    """Build, render and store the report; its version is recorded (and audited) only once its file is stored."""
    from pppflow.adapters.documents.funder_report_files import render

    if fmt not in FORMATS:
        raise BadInput(f"--format: must be one of {', '.join(FORMATS)}", details=[f"--format: {fmt!r}"])
    report = report_data(ref, period_end, uow=uow_factory(), lang=lang)
    data = render(report, fmt, renderer)
    sha = hashlib.sha256(data).hexdigest()
    path = f"funder-reports/{ref}/{period_end.isoformat()}-{report['lang']}-{sha[:16]}.{fmt}"
    existed = store.exists(path)
    store.put(path, data)
    try:
        with (uow := uow_factory()):
            p = uow.partnerships.get(ref)
            version = uow.ledger.add_report(ref, FunderReportVersion(period_end, report["lang"], fmt, sha, path,
                                                                     actor, now))
            p.record("funder_report.generate", actor=actor, now=now, before=None,
                     after={"number": version.number, "period_end": period_end, "language": report["lang"],
                            "format": fmt, "sha256": sha, "path": path})
            uow.commit()
    except BaseException:
        if not existed:
            store.delete(path)
        raise
    return GeneratedReport(version, data, report)


def list_funder_reports(ref: str, *, uow: UnitOfWork) -> list[FunderReportVersion]:
    with uow:
        uow.partnerships.read(ref)
        return uow.ledger.reports(ref)
