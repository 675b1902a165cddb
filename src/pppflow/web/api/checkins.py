"""Check-ins (a partnership's calendar, record one held, what is due portfolio-wide) and the reminder outbox."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Depends, Query

from pppflow.domain.accounts import Permission, User
from pppflow.domain.checkins.progress import AgendaItem
from pppflow.services import checkins as service
from pppflow.services.portfolio import search_partnerships
from pppflow.services.reminders import outbox_messages
from pppflow.services.views import checkin_view
from pppflow.web.api.checkin_schemas import (
    AgendaItemRead, CheckinCreate, CheckinRecordRead, CheckinsRead, OutboxMessageRead,
)
from pppflow.web.auth import api_permit, party_of
from pppflow.web.desk import Desk, desk_of

router = APIRouter(tags=["check-ins and outbox"])
reader = api_permit(Permission.READ)
coordinator = api_permit(Permission.COORDINATE)
MAX_PARTNER_PORTFOLIO = 10_000


@router.get("/partnerships/{ref}/checkins", response_model=CheckinsRead,
            summary="The planned check-ins with their status today, and the effort log")
def list_checkins(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    today = desk.day()
    o = service.list_checkins(ref, uow=desk.uow(), as_of=today)
    grace = o.partnership.grace_days
    return {"ref": ref, "as_of": today, "checkins": [checkin_view(c, grace, today) for c in o.checkins],
            "effort_log": [{"checkin": due, **service.effort_view(e)} for due, e in o.efforts]}


@router.post("/partnerships/{ref}/checkins", response_model=CheckinRecordRead, status_code=201,
             summary="Record a check-in held, with effort logged and results reported per obligation")
def record_checkin(ref: str, body: CheckinCreate, user: User = Depends(coordinator),
                   desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    r = service.record_checkin(ref, uow=desk.uow(), actor=user.username, now=desk.now(), held_on=body.held_on,
                               checkin=body.checkin, notes=body.notes, feedback=body.feedback, progress=body.progress)
    return {"ref": ref, "checkin": r.checkin.due, "status": r.checkin.status, "held_on": r.checkin.held_on,
            "efforts": [service.effort_view(e) for e in r.report.efforts],
            "results": [dataclasses.asdict(x) for x in r.report.results]}


@router.get("/checkins/due", response_model=list[AgendaItemRead],
            summary="Overdue check-ins and obligations at any age, and those due within `within` days of today")
def due(within: int = Query(7, ge=0, le=366), user: User = Depends(reader),
        desk: Desk = Depends(desk_of)) -> list[AgendaItem]:
    items = service.checkins_due(desk.day(), within, uow=desk.uow(), lifecycles=desk.lifecycles)
    party = party_of(user)
    if party is None:
        return items
    mine = {s.ref for s in search_partnerships(uow=desk.uow(), party=party, limit=MAX_PARTNER_PORTFOLIO)[0]}
    return [i for i in items if i.ref in mine]


@router.get("/outbox", response_model=list[OutboxMessageRead], summary="Reminder mail, newest first")
def outbox(failed: bool = Query(False, description="only given up or waiting for a retry"),
           pending: bool = Query(False, description="only not sent yet"), limit: int = Query(200, ge=1, le=1000),
           user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> list[Any]:
    return outbox_messages(uow=desk.uow(), failed=failed, pending=pending, limit=limit)
