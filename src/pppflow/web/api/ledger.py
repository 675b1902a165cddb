"""`/api/v1/partnerships/{ref}/ledger`: list and add realised contributions, corrections, the summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Query

from pppflow.domain.accounts import Permission, User
from pppflow.domain.ledger import NewEntry, entered_as_for, entry_view
from pppflow.errors import BadInput
from pppflow.services import ledger as service
from pppflow.services.read_models.ledger import LedgerEntryRead, LedgerRead, LedgerSummaryRead
from pppflow.web.api.ledger_schemas import LedgerCorrectionCreate, LedgerEntryCreate
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of

router = APIRouter(prefix="/partnerships/{ref}/ledger", tags=["ledger"])
reader = api_permit(Permission.READ)
T = TypeVar("T")


def as_fields(call: Callable[[], T]) -> T:
    """Run a service call; its bad-input messages name CLI options (`--quantity`), here the JSON fields."""
    try:
        return call()
    except BadInput as exc:
        def field(text: str) -> str:
            return text.replace("--", "").replace("ENTRY_ID", "entry_id")

        raise type(exc)(field(exc.message), details=[field(d) for d in exc.details]) from exc


@router.get("", response_model=LedgerRead, summary="The ledger: every entry, corrections included, oldest first")
def list_entries(ref: str, partner: str | None = Query(None, max_length=80), user: User = Depends(reader),
                 desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    entries = as_fields(lambda: service.list_entries(ref, uow=desk.uow(), partner=partner))
    return {"ref": ref, "entries": [entry_view(e) for e in entries]}


@router.post("", response_model=LedgerEntryRead, status_code=201,
             summary="Record a realised contribution (a partner user only for its own organisation)")
def add_entry(ref: str, body: LedgerEntryCreate, user: User = Depends(reader),
              desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    entered_as = entered_as_for(user, body.partner)
    new = NewEntry(partner=body.partner, phase=body.phase, kind=body.kind, quantity=body.quantity, unit=body.unit,
                   on=body.date, rate=body.rate, value=body.value, role=body.role, description=body.description,
                   evidence=body.evidence)
    e = as_fields(lambda: service.add_entry(ref, new, uow=desk.uow(), actor=user.username, now=desk.now(),
                                            entered_as=entered_as))
    return entry_view(e)


@router.post("/{entry_id}/corrections", response_model=LedgerEntryRead, status_code=201,
             summary="Reverse an entry with a reason (then add the right one)")
def correct_entry(ref: str, entry_id: int, body: LedgerCorrectionCreate, user: User = Depends(reader),
                  desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    target = next((e for e in service.list_entries(ref, uow=desk.uow()) if e.id == entry_id), None)
    if target is None:
        raise BadInput(f"entry_id: the ledger has no entry {entry_id}", details=["entry_id: unknown entry"])
    entered_as = entered_as_for(user, target.partner)
    e = as_fields(lambda: service.correct_entry(ref, entry_id, body.reason, uow=desk.uow(), actor=user.username,
                                                now=desk.now(), entered_as=entered_as))
    return entry_view(e)


@router.get("/summary", response_model=LedgerSummaryRead,
            summary="Committed vs realised per partner, phase, kind and year, with the totals")
def summary(ref: str, as_of: date | None = Query(None, description="count only entries dated up to this day "
                                                                   "(default: all, as of today)"),
            user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    return service.ledger_summary(ref, uow=desk.uow(), as_of=desk.day(as_of), upto=as_of).view()
