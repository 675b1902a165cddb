"""Funder reports: content per objective and activity, finances that reconcile exactly in every format, versions."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from factories import example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.documents.funder_report_files import FakeReportRenderer
from pppflow.adapters.documents.store import FakeDocumentStore
from pppflow.domain.checkins.progress import EffortEntry
from pppflow.domain.ledger import NewEntry
from pppflow.errors import BadInput
from pppflow.services import ledger, partnerships
from pppflow.services.funder_reports import generate_funder_report

NOW = datetime(2028, 4, 10, 9, 0, tzinfo=UTC)
D = date
PERIOD_END = D(2028, 2, 1)


@pytest.fixture
def funded(lifecycles: Any) -> FakeUnitOfWork:
    raw = example_raw()
    raw["funding"] = {"scheme": "rif-mbo", "public_contribution": 105000}
    raw["rates"] = [{"unit": "hours", "eur": "62.50"}]
    uow = FakeUnitOfWork()
    p = partnerships.import_partnership(raw, uow=uow, lifecycles=lifecycles, actor="m", now=NOW)
    for new in (NewEntry("provincie", "investment", "cash", "50000.01", "EUR", D(2027, 3, 1)),
                NewEntry("noorderpoort", "investment", "staff_release", "120.5", "hours", D(2027, 5, 1)),
                NewEntry("techbedrijf", "investment", "equipment", "2", "items", D(2027, 6, 1), value="30000"),
                NewEntry("provincie", "investment", "cash", "99999", "EUR", D(2028, 3, 1))):  # after the period
        ledger.add_entry(p.ref, new, uow=uow, actor="m", now=NOW)
    uow.checkins.schedule(p.ref, [D(2027, 1, 15), D(2027, 2, 15), D(2028, 3, 15)], None, now=NOW)
    uow.checkins.mark_held(p.ref, D(2027, 2, 15), held_on=D(2027, 2, 16), notes=None, feedback=None, actor="m",
                           now=NOW)
    uow.checkins.log_effort(p.ref, D(2027, 2, 15), [EffortEntry("research", ("visit",), Decimal("7.5"))], actor="m",
                            now=NOW)
    return uow


def _generate(uow: FakeUnitOfWork, fmt: str, store: FakeDocumentStore | None = None, lang: str | None = None) -> Any:
    return generate_funder_report("smart-industry-technician-pact", PERIOD_END, uow_factory=lambda: uow,
                                  renderer=FakeReportRenderer(), store=store or FakeDocumentStore(), actor="marieke",
                                  now=NOW, lang=lang, fmt=fmt)


def test_the_report_holds_objectives_activities_and_the_finances_of_the_period(funded: FakeUnitOfWork) -> None:
    r = _generate(funded, "json").report
    assert r["lang"] == "nl" and r["labels"]["finances"] == "Financiën"  # the scheme's language
    assert [g["key"] for g in r["objectives"]] == ["modules", "lifelong"]
    assert r["objectives"][0]["indicators"][0] == "Three new modules taught from September 2027"
    assert r["activities"]["checkins"] == {"held": ["2027-02-15"], "missed": ["2027-01-15"]}
    assert r["activities"]["effort_hours"] == {"research": "7.5"}
    assert "funder-report-m13" in [o["key"] for o in r["activities"]["obligations"]]
    # 50,000.01 cash + 120.5 h × 62.50 + 30,000 equipment; the entry after the period end is not in it
    assert r["finances"]["totals"]["realised_eur"] == "87531.26"
    assert r["co_financing"]["required_share"] == "66.7" and r["co_financing"]["realised_share"] is not None
    assert _generate(funded, "json", lang="en").report["labels"]["finances"] == "Finances"


def test_every_format_reconciles_exactly_with_the_ledger_summary(funded: FakeUnitOfWork) -> None:
    from openpyxl import load_workbook

    summary = ledger.ledger_summary("smart-industry-technician-pact", uow=funded, as_of=PERIOD_END,
                                    upto=PERIOD_END).view()
    expected = Decimal(summary["totals"]["realised_eur"])
    per_partner = {k: Decimal(m["realised_eur"]) for k, m in summary["by_partner"].items()}

    as_json = json.loads(_generate(funded, "json").data)
    assert sum(Decimal(x["realised_eur"]) for x in as_json["finances"]["lines"]) == expected

    rows = list(csv.DictReader(io.StringIO(_generate(funded, "csv").data.decode())))
    assert sum(Decimal(x["realised_eur"]) for x in rows if x["section"] == "line") == expected
    assert {x["partner"]: Decimal(x["realised_eur"]) for x in rows if x["section"] == "by_partner"} == per_partner
    assert [Decimal(x["realised_eur"]) for x in rows if x["section"] == "total"] == [expected]

    ws = load_workbook(io.BytesIO(_generate(funded, "xlsx").data))["Finances"]
    header = [c.value for c in ws[1]]
    col, section = header.index("realised_eur"), header.index("section")
    lines = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[section] == "line"]
    assert sum(Decimal(str(r[col])) for r in lines) == expected  # openpyxl reads floats back: via str, exactly

    pdf = _generate(funded, "pdf").data
    embedded = json.loads(pdf.split(b"\n", 2)[2])  # the fake PDF carries the same JSON the real one embeds
    assert embedded["finances"] == summary


def test_each_report_is_stored_as_a_version_with_its_hash_and_audited(funded: FakeUnitOfWork) -> None:
    import hashlib

    store = FakeDocumentStore()
    first, second = _generate(funded, "csv", store), _generate(funded, "pdf", store)
    assert (first.version.number, second.version.number) == (1, 2)
    assert store.files[second.version.document_path] == second.data
    assert second.version.sha256 == hashlib.sha256(second.data).hexdigest()
    assert (second.version.created_by, second.version.created_at) == ("marieke", NOW)
    assert [e.action for e in funded.audit.stored][-2:] == ["funder_report.generate"] * 2


@pytest.mark.parametrize(("kw", "option"), [({"fmt": "docx"}, "--format"), ({"lang": "de"}, "--lang")])
def test_bad_options_are_refused_and_nothing_is_stored(funded: FakeUnitOfWork, kw: dict[str, str],
                                                      option: str) -> None:
    store = FakeDocumentStore()
    with pytest.raises(BadInput, match=option):
        generate_funder_report("smart-industry-technician-pact", PERIOD_END, uow_factory=lambda: funded,
                               renderer=FakeReportRenderer(), store=store, actor="m", now=NOW,
                               **{"fmt": "json", **kw})
    assert store.files == {} and funded.ledger.reports("smart-industry-technician-pact") == []
