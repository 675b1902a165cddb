"""Use cases of the contribution ledger: add, correct, list, summarise, book check-in hours.

Each owns its transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.domain.funding import accepted_units
from pppflow.domain.ledger import (
    EnteredAs,
    LedgerEntry,
    LedgerKind,
    LedgerUnit,
    NewEntry,
    check_new_entry,
    entry_view,
    rate_table,
    reversal,
)
from pppflow.domain.ledger_summary import LedgerSummary, summarise
from pppflow.domain.model import Partnership
from pppflow.errors import BadInput, NotAllowed


def store_entry(uow: UnitOfWork, p: Partnership, entry: LedgerEntry, action: str, *, actor: str, now: datetime,
           reason: str | None = None) -> LedgerEntry:
    stored = uow.ledger.add(p.ref, entry)
    p.realised_cents = (p.realised_cents or 0) + int(stored.value_eur * 100)  # the portfolio page's running total
    # the audit event also raises the partnership's version: concurrent corrections of one entry serialise
    p.record(action, actor=actor, now=now, before=None, after=entry_view(stored), reason=reason)
    return stored


def checked_entry(p: Partnership, new: NewEntry, *, actor: str, now: datetime, entered_as: str) -> LedgerEntry:
    """A new entry validated and valued against the partnership (its rate table and funding scheme)."""
    return check_new_entry(p, new, rate_table(p), accepted_units=accepted_units(p, new.kind), actor=actor,
                           entered_as=entered_as, now=now)


def add_entry(ref: str, new: NewEntry, *, uow: UnitOfWork, actor: str, now: datetime,
              entered_as: str = EnteredAs.COORDINATOR) -> LedgerEntry:
    """Record a realised contribution; bad input is refused whole, naming the option.

    With a funding scheme, only the units it accepts for the kind are taken.
    """
    with uow:
        p = uow.partnerships.get(ref)
        entry = checked_entry(p, new, actor=actor, now=now, entered_as=entered_as)
        stored = store_entry(uow, p, entry, "ledger.add", actor=actor, now=now)
        uow.commit()
    return stored


def correct_entry(ref: str, entry_id: int, reason: str, *, uow: UnitOfWork, actor: str, now: datetime,
                  entered_as: str = EnteredAs.COORDINATOR) -> LedgerEntry:
    """Reverse an entry (a new, negative entry pointing at it); then the right one can be added."""
    with uow:
        p = uow.partnerships.get(ref)
        entry = reversal(uow.ledger.entries(ref), entry_id, reason, actor=actor, entered_as=entered_as, now=now)
        stored = store_entry(uow, p, entry, "ledger.correct", actor=actor, now=now, reason=entry.reason)
        uow.commit()
    return stored


def list_entries(ref: str, *, uow: UnitOfWork, partner: str | None = None) -> list[LedgerEntry]:
    """The ledger of a partnership (optionally one partner's), oldest first."""
    with uow:
        p = uow.partnerships.read(ref)
        if partner is not None and partner not in p.partner_keys:
            raise BadInput(f"--partner: {ref!r} has no partner {partner!r}",
                           details=[f"--partner: must be one of {', '.join(p.partner_keys)}"])
        return uow.ledger.entries(ref, partner=partner)


def ledger_summary(ref: str, *, uow: UnitOfWork, as_of: date, upto: date | None = None) -> LedgerSummary:
    """Committed against realised (entries dated up to `upto`, when given), shortfalls flagged past the term."""
    with uow:
        p = uow.partnerships.read(ref)
        return summarise(p, uow.ledger.entries(ref), rate_table(p), as_of=as_of, upto=upto)


def book_checkin(ref: str, checkin: date, *, uow: UnitOfWork, actor: str, now: datetime, rate: Any = None,
                 role: str | None = None, kind: str = LedgerKind.HOURS) -> list[LedgerEntry]:
    """Book the effort hours logged at one check-in to the ledger of each obligation's owner, once each."""
    with uow:
        p = uow.partnerships.get(ref)
        items = [x for x in uow.ledger.efforts(ref) if x.checkin == checkin]
        if not items:
            raise BadInput(f"--checkin: no effort hours were logged at the check-in of {checkin}",
                           details=["--checkin: `pppflow checkins list REF` shows the effort log"])
        todo = [x for x in items if not x.booked]
        if not todo:
            raise NotAllowed(f"the effort hours of the check-in of {checkin} are already in the ledger",
                             details=["hours are never counted twice"])
        stored = []
        for x in todo:
            o = p.obligation(x.obligation)
            # dated the day the check-in was held (when the hours were reported), else its planned day
            new = NewEntry(partner=o.owner, phase=o.phase, kind=kind, quantity=x.hours, unit=LedgerUnit.HOURS,
                           on=x.held_on or x.checkin, rate=rate, role=role, effort_id=x.id,
                           description=f"effort logged at the check-in of {checkin} for {o.key}",
                           evidence=f"check-in {checkin}, effort log entry {x.id}",
                           extra_basis=f" (check-in {checkin})")
            entry = check_new_entry(p, new, rate_table(p), accepted_units=accepted_units(p, kind), actor=actor,
                                    entered_as=EnteredAs.COORDINATOR, now=now)
            stored.append(store_entry(uow, p, entry, "ledger.book_checkin", actor=actor, now=now))
        uow.commit()
    return stored


def unbooked_checkins(ref: str, *, uow: UnitOfWork) -> list[tuple[date, Any]]:
    """The held check-ins with effort hours not yet in the ledger, and those hours (exact, summed per check-in)."""
    with uow:
        items = [x for x in uow.ledger.efforts(ref) if not x.booked]
    totals: dict[date, Any] = {}
    for x in items:
        totals[x.checkin] = totals.get(x.checkin, 0) + x.hours
    return sorted(totals.items())


def portfolio_realisation(*, uow: UnitOfWork, party: str | None, sort: str = "name", descending: bool = False,
                          limit: int = 50, offset: int = 0) -> Any:
    """Realisation per partnership (committed vs realised EUR), sorted, with the portfolio's totals."""
    from pppflow.adapters.ledger_portfolio import SORTS

    if sort not in SORTS:
        raise BadInput(f"sort: must be one of {', '.join(SORTS)}", details=[f"sort: {sort!r}"])
    with uow:
        return uow.ledger.realisation(party=party, sort=sort, descending=descending, limit=limit, offset=offset)
