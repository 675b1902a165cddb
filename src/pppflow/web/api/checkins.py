"""Check-ins (a partnership's calendar, record one held, what is due portfolio-wide) and the reminder outbox."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from pppflow.domain.accounts import Permission, User
from pppflow.services import checkins as service
from pppflow.services.checkin_views import agenda_view, checkin_record_view, checkins_view, mail_folder, outbox_view
from pppflow.services.portfolio import search_partnerships
from pppflow.services.read_models.checkins import AgendaItemRead, CheckinRecordRead, CheckinsRead, OutboxMessageRead
from pppflow.services.reminders import outbox_messages
from pppflow.web.api.checkin_schemas import CheckinCreate
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
    return checkins_view(ref, service.list_checkins(ref, uow=desk.uow(), as_of=today), today)


@router.post("/partnerships/{ref}/checkins", response_model=CheckinRecordRead, status_code=201,
             summary="Record a check-in held, with effort logged and results reported per obligation")
def record_checkin(ref: str, body: CheckinCreate, user: User = Depends(coordinator),
                   desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    r = service.record_checkin(ref, uow=desk.uow(), actor=user.username, now=desk.now(), held_on=body.held_on,
                               checkin=body.checkin, notes=body.notes, feedback=body.feedback, progress=body.progress)
    return checkin_record_view(ref, r)


@router.get("/checkins/due", response_model=list[AgendaItemRead],
            summary="Overdue check-ins and obligations at any age, and those due within `within` days of today")
def due(within: int = Query(7, ge=0, le=366), user: User = Depends(reader),
        desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    today = desk.day()
    items = service.checkins_due(today, within, uow=desk.uow(), lifecycles=desk.lifecycles)
    party = party_of(user)
    if party is not None:
        mine = {s.ref for s in search_partnerships(uow=desk.uow(), party=party, limit=MAX_PARTNER_PORTFOLIO)[0]}
        items = [i for i in items if i.ref in mine]
    return [agenda_view(i, today) for i in items]


@router.get("/outbox", response_model=list[OutboxMessageRead], summary="Reminder mail, newest first")
def outbox(failed: bool = Query(False, description="only given up or waiting for a retry"),
           pending: bool = Query(False, description="only not sent yet"), limit: int = Query(200, ge=1, le=1000),
           uncertain: bool = Query(False, description="only handed over by a sender that stopped before recording "
                                                      "the result"),
           user: User = Depends(coordinator), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    rows = outbox_messages(uow=desk.uow(), failed=failed, pending=pending, uncertain=uncertain, limit=limit)
    folder = mail_folder(desk.mailer)
    return [outbox_view(m, folder) for m in rows]
