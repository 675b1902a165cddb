"""The annual partnership report: real Jinja2 + WeasyPrint PDF/A, its text, its data, its language."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from typing import Any

import pypdf
import pytest

from pppflow.adapters.assessment_files import AssessmentFiles
from pppflow.adapters.documents.reports import FakeReportRenderer, WeasyReportRenderer, report_words
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.domain.maturity import answers_template
from pppflow.services import checkins, maturity, reports
from scheduling import REF, afternoon, agreed

FILES = AssessmentFiles()
NOW = datetime(2028, 1, 15, 6, tzinfo=UTC)


@pytest.fixture
def year_2027(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles)     # monthly check-ins from 15 January 2027, Dutch
    checkins.record_checkin(REF, uow=uow_factory(), actor="m", now=afternoon(date(2027, 1, 15)))
    for partner, level in (("hanze", "mature"), ("provincie", "beginner")):
        doc = answers_template(FILES.framework(), partner, "en")
        for a in doc["answers"]:
            a["level"] = level
        maturity.record_round(REF, partner, doc, uow=uow_factory(), files=FILES, actor="m",
                              now=datetime(2027, 3, 1, tzinfo=UTC), on_behalf=True)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.slow
def test_the_report_holds_the_stations_and_the_score_in_its_language(uow_factory: Any, year_2027: None,
                                                                     database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("one database is enough for the rendering; the data is read the same way")
    doc = reports.annual_report_document(REF, 2027, uow=uow_factory(), files=FILES, renderer=WeasyReportRenderer(),
                                         now=NOW)
    reader = pypdf.PdfReader(io.BytesIO(doc.pdf))
    assert "pdfaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    embedded = json.loads(reader.attachments["report.json"][0])
    assert embedded["health"]["score"] == doc.report["health"]["score"] and embedded["year"] == 2027
    text = " ".join(_text(doc.pdf).split())
    assert "Jaarverslag van het partnerschap" in text
    for station in FILES.framework().stations:
        assert station.words("nl") in text
    assert f"Gezondheidsscore op 2027-12-31: {doc.report['health']['score']} / 100" in text
    assert "11 van de laatste 12 afstemmingsmomenten zijn niet gehouden" in text
    assert "hanze zegt volwassen, provincie zegt beginnend bij shared vision" in text
    english = reports.annual_report_document(REF, 2027, uow=uow_factory(), files=FILES,
                                             renderer=WeasyReportRenderer(), now=NOW, lang="en")
    english_text = " ".join(_text(english.pdf).split())
    assert "Annual partnership report" in english_text
    assert "11 of the last 12 check-ins were missed" in english_text


def test_the_dutch_words_are_dutch() -> None:
    en, nl = report_words("en"), report_words("nl")

    def leaves(d: Any, path: str = "") -> dict[str, str]:
        if isinstance(d, dict):
            return {k: v for key, value in d.items() for k, v in leaves(value, f"{path}.{key}").items()}
        return {path: str(d)}

    english, dutch = leaves(en), leaves(nl)
    assert english.keys() == dutch.keys()
    same = [k for k in english if english[k] == dutch[k] and english[k] not in ("{year}", "Partners", "Status",
                                                                                 "Partner", "Station")]
    assert same == []


def test_the_yearly_job_stores_every_report_and_a_rerun_rewrites_the_same_files(uow_factory: Any,
                                                                               year_2027: None) -> None:
    store = FakeDocumentStore()
    written = reports.store_annual_reports(2027, uow_factory=uow_factory, files=FILES, renderer=FakeReportRenderer(),
                                           store=store, now=NOW)
    assert [w["path"] for w in written] == [f"reports/{REF}/annual-2027-nl.pdf"]
    again = reports.store_annual_reports(2027, uow_factory=uow_factory, files=FILES, renderer=FakeReportRenderer(),
                                         store=store, now=NOW)
    assert again == written and len(store.files) == 1
