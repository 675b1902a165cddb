"""`/api/v1/partnerships/{ref}/goals|obligations`: mutual goals and their agreement, obligations and status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from pppflow.domain.accounts import Permission, User
from pppflow.services import changes
from pppflow.services.partnerships import show_partnership
from pppflow.services.views import partnership_detail
from pppflow.web.api.schemas import GoalAgreementCreate, GoalRead, ObligationRead, ObligationStatusCreate
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of

router = APIRouter(prefix="/partnerships/{ref}", tags=["goals and obligations"])
reader = api_permit(Permission.READ)
coordinator = api_permit(Permission.COORDINATE)


def _detail(ref: str, desk: Desk) -> dict[str, Any]:
    status = show_partnership(ref, uow=desk.uow(), lifecycles=desk.lifecycles)
    return partnership_detail(status.partnership, status.checks)


def _one(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(x for x in items if x["key"] == key)


@router.get("/goals", response_model=list[GoalRead], summary="The mutual goals and who agreed them")
def goals(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    return _detail(ref, desk)["goals"]  # type: ignore[no-any-return]


@router.post("/goals/{goal}/agreements", response_model=GoalRead, summary="A partner agrees to a goal")
def agree_goal(ref: str, goal: str, body: GoalAgreementCreate, user: User = Depends(coordinator),
               desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    p = changes.agree_goal(ref, goal, body.partner, uow=desk.uow(), actor=user.username, now=desk.now())
    return _one(partnership_detail(p, [])["goals"], goal)


@router.get("/obligations", response_model=list[ObligationRead], summary="Result and effort obligations")
def obligations(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    return _detail(ref, desk)["obligations"]  # type: ignore[no-any-return]


@router.post("/obligations/{key}/status", response_model=ObligationRead,
             summary="Move an obligation to a new status (pending, fulfilled, accepted, waived, breached)")
def set_obligation_status(ref: str, key: str, body: ObligationStatusCreate, user: User = Depends(coordinator),
                          desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    p = changes.set_obligation_status(ref, key, body.status, uow=desk.uow(), actor=user.username, now=desk.now(),
                                      evidence=body.evidence, reason=body.reason)
    return _one(partnership_detail(p, [])["obligations"], key)
