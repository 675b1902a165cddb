"""Funding schemes as data: loading (refused by path), the co-financing guard, report moments as obligations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from factories import example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.workflow_files import load_registry
from pppflow.domain.guards import GUARDS
from pppflow.domain.ledger import NewEntry
from pppflow.errors import BadInput, DefinitionInvalid, SpecInvalid
from pppflow.services import ledger, partnerships

NOW = datetime(2027, 11, 23, 9, 0, tzinfo=UTC)


def funded(public: int = 152069) -> dict[str, Any]:
    raw = example_raw()
    raw["funding"] = {"scheme": "rif-mbo", "public_contribution": public}
    return raw


def imported(raw: dict[str, Any], lifecycles: Any) -> tuple[Any, FakeUnitOfWork]:
    uow = FakeUnitOfWork()
    p = partnerships.import_partnership(raw, uow=uow, lifecycles=lifecycles, actor="m", now=NOW)
    return p, uow


def test_the_shipped_rif_mbo_scheme(lifecycles: Any) -> None:
    s = lifecycles.schemes["rif-mbo"]
    assert (s.public_share, s.co_financing_share, s.language) == ("1/3", "2/3", "nl")
    assert (s.report_moments.after_start_months, s.report_moments.after_end_months) == ([13, 25, 37], [2])


def test_committed_co_financing_below_the_scheme_blocks_with_the_reason(lifecycles: Any) -> None:
    p, _ = imported(funded(), lifecycles)
    # 60,000 equipment + 150,000 cash committed (hours have no rate: not counted) against 152,069 public
    assert GUARDS["co_financing_committed"].check(p) == [
        "committed co-financing is 58.0 % of the budget; rif-mbo requires at least 66.7 % "
        "(2 commitment(s) without an EUR valuation not counted)"]
    exactly_two_thirds, _ = imported(funded(105000), lifecycles)  # 210,000 of 315,000
    assert GUARDS["co_financing_committed"].check(exactly_two_thirds) == []
    unfunded, _ = imported(example_raw(), lifecycles)
    assert GUARDS["co_financing_committed"].check(unfunded) == []


def test_report_moments_become_result_obligations_of_the_coordinators_organisation(lifecycles: Any) -> None:
    raw = funded()
    raw["coordinator"]["email"] = "m.jansen@noorderpoort.example"
    p, _ = imported(raw, lifecycles)
    reports = [(o.key, o.owner, o.type, o.due) for o in p.obligations if o.key.startswith("funder-report")]
    assert reports == [("funder-report-m13", "noorderpoort", "result", date(2028, 2, 1)),
                       ("funder-report-m25", "noorderpoort", "result", date(2029, 2, 1)),
                       ("funder-report-m37", "noorderpoort", "result", date(2030, 2, 1)),
                       ("funder-report-final", "noorderpoort", "result", date(2030, 3, 1))]
    exported = partnerships.export_partnership(p.ref, uow=FakeUnitOfWork([p]))
    assert exported["funding"] == {"scheme": "rif-mbo", "public_contribution": 152069}  # the terms stay inside
    again, _ = imported(exported, lifecycles)  # importing the export does not add the reports twice
    assert [o.key for o in again.obligations] == [o.key for o in p.obligations]


def test_an_unknown_scheme_is_refused_by_path(lifecycles: Any) -> None:
    raw = funded()
    raw["funding"]["scheme"] = "nope"
    with pytest.raises(SpecInvalid) as exc:
        imported(raw, lifecycles)
    assert exc.value.details == ["funding.scheme: unknown funding scheme 'nope' (known: rif-mbo)"]


def test_a_scheme_file_with_errors_is_refused_by_path(tmp_path: Path) -> None:
    (tmp_path / "funding").mkdir()
    bad = tmp_path / "funding" / "own.yaml"
    bad.write_text("name: own\ntitle: Own fund\npublic_share: 3/2\nco_financing_share: 1/2\n"
                   "eligible: {cash: {units: [USD], valuation: paid}}\n", encoding="utf-8")
    with pytest.raises(DefinitionInvalid) as exc:
        load_registry(tmp_path)
    assert str(bad) in exc.value.message
    assert exc.value.details == ["public_share: must be a share between 0 and 1, e.g. 2/3 or 0.5",
                                 "eligible.cash.units[0]: must be one of EUR, hours, FTE-months, items"]
    bad.write_text("name: own\ntitle: Own fund\npublic_share: 1/2\nco_financing_share: 1/2\n"
                   "eligible: {cash: {units: [EUR], valuation: paid}}\n", encoding="utf-8")
    assert load_registry(tmp_path).schemes["own"].title == "Own fund"


def test_the_ledger_takes_only_what_the_scheme_accepts(lifecycles: Any) -> None:
    p, uow = imported(funded(), lifecycles)
    base = {"partner": "hanze", "phase": "investment", "quantity": "3", "on": date(2027, 3, 1), "value": "10"}
    with pytest.raises(BadInput, match="--unit: the funding scheme does not accept contributions in items"):
        ledger.add_entry(p.ref, NewEntry(kind="hours", unit="items", **base), uow=uow, actor="m", now=NOW)
    with pytest.raises(BadInput, match="--kind: the funding scheme does not accept other"):
        ledger.add_entry(p.ref, NewEntry(kind="other", unit="items", **base), uow=uow, actor="m", now=NOW)
    assert ledger.add_entry(p.ref, NewEntry(kind="equipment", unit="items", **base), uow=uow, actor="m",
                            now=NOW).value_eur == 10
