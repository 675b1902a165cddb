"""The ledger in a real database (SQLite and PostgreSQL): append-only, audited, check-in hours booked once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from factories import example_raw
from pppflow.domain.ledger import NewEntry
from pppflow.errors import ConflictError, NotAllowed
from pppflow.services import checkins, ledger, partnerships
from pppflow.services.audit import verify_audit
from scheduling import REF, afternoon, agreed

NOW = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
D = date


def _with_rates() -> dict[str, Any]:
    raw = example_raw()
    raw["rates"] = [{"unit": "hours", "eur": 62.5}, {"unit": "hours", "eur": 95, "role": "lecturer"}]
    return raw


def _cash(uow_factory: Any, amount: str = "25000") -> Any:
    return ledger.add_entry(REF, NewEntry("provincie", "investment", "cash", amount, "EUR", D(2027, 3, 1)),
                            uow=uow_factory(), actor="marieke", now=NOW)


def test_entries_and_corrections_are_stored_exactly_and_audited(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles, _with_rates())
    cash = _cash(uow_factory, "25000.05")
    hours = ledger.add_entry(REF, NewEntry("hanze", "investment", "hours", "12.25", "hours", D(2027, 3, 1),
                                           role="lecturer"), uow=uow_factory(), actor="marieke", now=NOW)
    fix = ledger.correct_entry(REF, cash.id, "booked twice", uow=uow_factory(), actor="marieke", now=NOW)
    stored = ledger.list_entries(REF, uow=uow_factory())
    assert [(e.id, e.quantity, e.value_eur, e.corrects) for e in stored] == [
        (cash.id, Decimal("25000.05"), Decimal("25000.05"), None),
        (hours.id, Decimal("12.25"), Decimal("1163.75"), None),
        (fix.id, Decimal("-25000.05"), Decimal("-25000.05"), cash.id)]
    assert [e.partner for e in ledger.list_entries(REF, uow=uow_factory(), partner="hanze")] == ["hanze"]
    summary = ledger.ledger_summary(REF, uow=uow_factory(), as_of=D(2027, 3, 2)).view()
    assert summary["totals"]["realised_eur"] == "1163.75"
    actions = [e.action for e in partnerships.history(REF, uow=uow_factory())]
    assert actions[-3:] == ["ledger.add", "ledger.add", "ledger.correct"]
    assert verify_audit(uow=uow_factory()).ok
    # the rate table survives an export and import (exact)
    assert partnerships.export_partnership(REF, uow=uow_factory())["rates"][0] == {"unit": "hours", "eur": 62.5}


@pytest.mark.parametrize("statement", ["UPDATE ledger_entries SET value_cents = 1",
                                       "DELETE FROM ledger_entries"])
def test_the_database_refuses_to_change_or_delete_entries(uow_factory: Any, lifecycles: Any, statement: str) -> None:
    agreed(uow_factory, lifecycles)
    _cash(uow_factory)
    with uow_factory() as uow, pytest.raises(DBAPIError, match="append-only"):
        uow.session.execute(text(statement))
    assert [e.value_eur for e in ledger.list_entries(REF, uow=uow_factory())] == [Decimal("25000.00")]


def test_an_entry_is_corrected_at_most_once_even_by_the_table(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles)
    cash = _cash(uow_factory)
    first = ledger.correct_entry(REF, cash.id, "wrong", uow=uow_factory(), actor="m", now=NOW)
    with uow_factory() as uow, pytest.raises(ConflictError):  # a second reversal racing past the check
        import dataclasses

        uow.ledger.add(REF, dataclasses.replace(first, id=None))
    assert len(ledger.list_entries(REF, uow=uow_factory())) == 2


def test_checkin_hours_are_booked_once_linked_to_the_effort_log(uow_factory: Any, lifecycles: Any) -> None:
    agreed(uow_factory, lifecycles, _with_rates())
    progress = {"obligations": [{"key": "research", "activities": ["Company visit"], "hours": "7.5"}]}
    checkins.record_checkin(REF, uow=uow_factory(), actor="marieke", now=afternoon(D(2027, 2, 17)),
                            checkin=D(2027, 2, 15), progress=progress)
    [booked] = ledger.book_checkin(REF, D(2027, 2, 15), uow=uow_factory(), actor="marieke", now=NOW)
    assert (booked.partner, booked.quantity, booked.value_eur, booked.effort_id is not None) == (
        "hanze", Decimal("7.5"), Decimal("468.75"), True)
    with pytest.raises(NotAllowed, match="already in the ledger"):
        ledger.book_checkin(REF, D(2027, 2, 15), uow=uow_factory(), actor="marieke", now=NOW)
    with uow_factory() as uow, pytest.raises(ConflictError):  # the unique constraint, past the service's check
        import dataclasses

        uow.ledger.add(REF, dataclasses.replace(booked, id=None))
    assert len(ledger.list_entries(REF, uow=uow_factory())) == 1


def test_the_portfolio_page_sums_and_sorts_in_sql_matching_the_entries(uow_factory: Any, lifecycles: Any) -> None:
    from sqlalchemy import func, select

    from pppflow.adapters.db.schema import ledger_entries

    agreed(uow_factory, lifecycles)
    other = agreed(uow_factory, lifecycles, name="Second Pact")
    _cash(uow_factory, "21000.10")
    ledger.add_entry(other, NewEntry("provincie", "investment", "cash", "105000", "EUR", D(2027, 3, 1)),
                     uow=uow_factory(), actor="m", now=NOW)
    first = ledger.list_entries(REF, uow=uow_factory())[0]
    ledger.correct_entry(REF, first.id, "half", uow=uow_factory(), actor="m", now=NOW)
    _cash(uow_factory, "10500.05")
    page = ledger.portfolio_realisation(uow=uow_factory(), party=None, sort="rate", descending=True)
    assert [(x.ref, x.committed_eur, x.realised_eur, x.rate) for x in page.items] == [
        (other, Decimal("210000.00"), Decimal("105000.00"), Decimal("50.0")),
        (REF, Decimal("210000.00"), Decimal("10500.05"), Decimal("5.0"))]
    assert (page.total, page.committed_eur, page.realised_eur) == (2, Decimal("420000.00"), Decimal("115500.05"))
    with uow_factory() as uow:  # the kept totals are the entries' sum
        assert uow.session.execute(select(func.sum(ledger_entries.c.value_cents))).scalar() == 11550005
    assert ledger.portfolio_realisation(uow=uow_factory(), party="acme").items == []


@pytest.mark.parametrize("statement", ["UPDATE ledger_evidence_files SET filename = 'other.pdf'",
                                       "DELETE FROM ledger_evidence_files"])
def test_evidence_on_an_entry_is_an_added_record_the_database_keeps(uow_factory: Any, lifecycles: Any,
                                                                   statement: str) -> None:
    from pppflow.adapters.documents.store import FakeDocumentStore
    from pppflow.services.ledger_evidence import add_entry_with_evidence, evidence_by_entry

    agreed(uow_factory, lifecycles)
    store = FakeDocumentStore()
    cash, [f] = add_entry_with_evidence(REF, NewEntry("provincie", "investment", "cash", "25000", "EUR", D(2027, 3, 1)),
                                        [("grant.pdf", b"%PDF-1.7\n%%EOF\n")], uow=uow_factory(), store=store,
                                        actor="marieke", now=NOW, limit=10_000)
    fix = ledger.correct_entry(REF, cash.id, "wrong year", uow=uow_factory(), actor="marieke", now=NOW)
    files = evidence_by_entry(REF, uow=uow_factory())
    assert files[cash.id] == files[fix.id] == [f]  # the reversal carries its target's evidence
    with uow_factory() as uow, pytest.raises(DBAPIError, match="append-only"):
        uow.session.execute(text(statement))
    assert evidence_by_entry(REF, uow=uow_factory())[cash.id] == [f]
    assert verify_audit(uow=uow_factory()).ok
