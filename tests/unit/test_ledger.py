"""The contribution ledger's rules: valuation, bad input, reversal, and committed-vs-realised that reconciles."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from factories import draft, example_raw
from pppflow.adapters.db.unit_of_work import FakeUnitOfWork
from pppflow.adapters.ledger_repository import EffortItem
from pppflow.domain.ledger import NewEntry, Rate, check_new_entry, reversal
from pppflow.domain.ledger_summary import summarise
from pppflow.errors import BadInput, NotAllowed
from pppflow.services import ledger

NOW = datetime(2028, 6, 1, 9, 0, tzinfo=UTC)
D = date


def new(**kw: Any) -> NewEntry:
    base: dict[str, Any] = {"partner": "noorderpoort", "phase": "investment", "kind": "staff_release",
                            "quantity": "10", "unit": "hours", "on": D(2027, 3, 1)}
    return NewEntry(**{**base, **kw})


def entry(p: Any, rates: list[Rate] | None = None, **kw: Any) -> Any:
    return check_new_entry(p, new(**kw), rates or [], accepted_units=None, actor="m", entered_as="coordinator",
                           now=NOW)


def test_hours_are_valued_exactly_by_the_given_rate_rounded_half_up_to_the_cent() -> None:
    e = entry(draft(), quantity="100.5", rate="65.25")
    assert (e.quantity, e.value_eur, e.basis) == (Decimal("100.5"), Decimal("6557.63"), "100.5 hours × 65.25 EUR")


def test_cash_in_eur_is_its_own_value_and_takes_no_rate() -> None:
    e = entry(draft(), partner="provincie", kind="cash", quantity="50000.10", unit="EUR")
    assert (e.value_eur, e.basis) == (Decimal("50000.10"), "amount in EUR")
    with pytest.raises(BadInput, match="--rate"):
        entry(draft(), partner="provincie", kind="cash", quantity="5", unit="EUR", rate="2")
    with pytest.raises(BadInput, match="--unit: cash is counted in EUR"):
        entry(draft(), partner="provincie", kind="cash", quantity="5", unit="hours", value="5")


def test_the_rate_table_values_hours_with_a_partners_own_rate_before_the_general_one() -> None:
    rates = [Rate("hours", Decimal("50")), Rate("hours", Decimal("80"), partner="noorderpoort"),
             Rate("hours", Decimal("95"), role="lecturer")]
    assert entry(draft(), rates, quantity="3").value_eur == Decimal("240.00")
    assert entry(draft(), rates, quantity="3", partner="hanze").value_eur == Decimal("150.00")
    assert entry(draft(), rates, quantity="3", partner="hanze", role="lecturer").value_eur == Decimal("285.00")
    with pytest.raises(BadInput, match="no rate for hours for role 'guest'") as exc:
        entry(draft(), rates, quantity="3", role="guest")
    assert exc.value.details == ["--rate: missing for unit hours, role guest"]


def test_equipment_at_its_invoice_value() -> None:
    e = entry(draft(), partner="techbedrijf", kind="equipment", quantity="2", unit="items", value="59999.99")
    assert (e.value_eur, e.basis) == (Decimal("59999.99"), "stated value")


@pytest.mark.parametrize(("change", "option"), [
    ({"quantity": "0"}, "--quantity"), ({"quantity": "-3"}, "--quantity"), ({"quantity": "ten"}, "--quantity"),
    ({"partner": "nobody"}, "--partner"), ({"kind": "love"}, "--kind"), ({"phase": "later"}, "--phase"),
    ({"unit": "days"}, "--unit"), ({"on": D(2026, 12, 31)}, "--date"), ({"on": D(2030, 1, 1)}, "--date"),
    ({"on": D(2028, 6, 2)}, "--date"), ({"rate": None}, "--rate"), ({"rate": "1e30"}, "--rate"),
    ({"rate": None, "value": "123456789012345678901234567890.5"}, "--value"), ({"quantity": "NaN"}, "--quantity"),
    ({"rate": "1", "value": "2"}, "--rate"), ({"rate": "-1"}, "--rate"),
])
def test_bad_input_is_refused_naming_the_option(change: dict[str, Any], option: str) -> None:
    with pytest.raises(BadInput) as exc:
        entry(draft(), **{"rate": "10", **change})
    assert option in exc.value.message + " ".join(exc.value.details)


def test_a_unit_the_funding_scheme_does_not_accept_is_refused() -> None:
    with pytest.raises(BadInput, match="--unit: the funding scheme does not accept"):
        check_new_entry(draft(), new(rate="10"), [], accepted_units=["EUR"], actor="m", entered_as="coordinator",
                        now=NOW)


def _with_ids(*entries: Any) -> list[Any]:
    import dataclasses

    return [dataclasses.replace(e, id=i + 1) for i, e in enumerate(entries)]


def test_a_correction_reverses_the_entry_once_and_cannot_itself_be_corrected() -> None:
    import dataclasses

    entries = _with_ids(entry(draft(), rate="50"))
    r = reversal(entries, 1, "wrong week", actor="c", entered_as="coordinator", now=NOW)
    assert (r.quantity, r.value_eur, r.corrects, r.reason, r.on) == (
        Decimal("-10"), Decimal("-500.00"), 1, "wrong week", D(2027, 3, 1))
    entries.append(dataclasses.replace(r, id=2))
    with pytest.raises(BadInput, match="already been corrected"):
        reversal(entries, 1, "again", actor="c", entered_as="coordinator", now=NOW)
    with pytest.raises(BadInput, match="itself a correction"):
        reversal(entries, 2, "again", actor="c", entered_as="coordinator", now=NOW)
    with pytest.raises(BadInput, match="no entry 9"):
        reversal(entries, 9, "x", actor="c", entered_as="coordinator", now=NOW)
    with pytest.raises(BadInput, match="--reason"):
        reversal(entries[:1], 1, " ", actor="c", entered_as="coordinator", now=NOW)


def test_the_summary_reconciles_with_the_entries_and_never_adds_eur_to_hours() -> None:
    import dataclasses

    p = draft()
    entries = _with_ids(entry(p, rate="50", quantity="100"), entry(p, rate="50", quantity="7.5", on=D(2028, 2, 1)),
                        entry(p, partner="provincie", kind="cash", unit="EUR", quantity="40000"),
                        entry(p, partner="techbedrijf", kind="equipment", unit="items", quantity="2",
                              value="61000"))
    entries.append(dataclasses.replace(reversal(entries, 2, "x", actor="c", entered_as="coordinator", now=NOW), id=5))
    s = summarise(p, entries, [Rate("hours", Decimal("50"))], as_of=D(2028, 6, 1))
    view = s.view()
    assert Decimal(view["totals"]["realised_eur"]) == sum(e.value_eur for e in entries) == Decimal("106000.00")
    assert sum(Decimal(x["realised_eur"]) for x in view["lines"]) == Decimal("106000.00")
    assert sum(Decimal(m["realised_eur"]) for m in view["by_partner"].values()) == Decimal("106000.00")
    assert view["quantities"]["hours"] == {"committed": "1800", "realised": "100.0"}
    assert view["quantities"]["EUR"]["realised"] == "40000"
    # committed hours valued at the table's rate: 1,200 + 600 (200 per year for 3 years) hours at 50 EUR
    assert view["totals"]["committed_eur"] == "300000.00"
    line = next(x for x in view["lines"] if x["partner"] == "noorderpoort")
    assert (line["committed"], line["realised"], line["difference"], line["rate"], line["shortfall"]) == (
        "1200", "100.0", "-1100.0", "8.3", False)
    assert view["by_year"]["2028"] == {"hours": "0.0", "value_eur": "0.00"}  # reversed in the year it was booked
    summary = summarise(p, entries, [], as_of=D(2027, 2, 28), upto=D(2027, 2, 28))
    assert summary.view()["totals"]["realised_eur"] == "0.00"
    after_term = summarise(p, entries, [], as_of=D(2030, 1, 1)).view()
    assert [x["shortfall"] for x in after_term["lines"] if x["partner"] == "noorderpoort"] == [True]
    assert after_term["totals"]["unvalued_commitments"] == 2  # hours without a rate are not guessed


def test_adding_through_the_service_writes_the_audit_trail_and_bad_input_commits_nothing() -> None:
    uow = FakeUnitOfWork([draft(ref="pact")])
    e = ledger.add_entry("pact", new(rate="40"), uow=uow, actor="marieke", now=NOW)
    assert e.id == 1 and uow.committed == 1
    [audit] = uow.audit.stored
    assert audit.action == "ledger.add" and '"value_eur":"400.00"' in audit.after
    with pytest.raises(BadInput):
        ledger.add_entry("pact", new(quantity="-1", rate="40"), uow=uow, actor="marieke", now=NOW)
    assert uow.committed == 1 and len(uow.ledger.rows) == 1


def test_checkin_hours_are_booked_to_the_obligation_owner_once() -> None:
    raw = example_raw()
    raw["rates"] = [{"unit": "hours", "eur": 72.5}]
    from pppflow.domain.interchange import partnership_from_spec
    from pppflow.domain.spec import parse_spec

    p = partnership_from_spec(parse_spec(raw), ref="pact", initial_stage="draft", now=NOW)
    uow = FakeUnitOfWork([p])
    uow.ledger.seed_efforts("pact", [EffortItem(7, D(2027, 2, 15), "research", Decimal("7.5"), False)])
    [booked] = ledger.book_checkin("pact", D(2027, 2, 15), uow=uow, actor="m", now=NOW)
    assert (booked.partner, booked.phase, booked.kind, booked.quantity, booked.value_eur, booked.effort_id) == (
        "hanze", "investment", "hours", Decimal("7.5"), Decimal("543.75"), 7)
    with pytest.raises(NotAllowed, match="already in the ledger"):
        ledger.book_checkin("pact", D(2027, 2, 15), uow=uow, actor="m", now=NOW)
    assert len(uow.ledger.rows) == 1
