"""`/api/v1/partnerships/{ref}/goals|obligations`: mutual goals and their agreement, obligations and status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from pppflow.domain.accounts import Permission, User
from pppflow.domain.consensus import acting_for
from pppflow.services import changes, consensus
from pppflow.services.partnerships import show_partnership
from pppflow.services.read_models.partnership import (
    GoalAgreedRead,
    GoalRead,
    GoalWithdrawalRead,
    ObligationRead,
    ObligationStatusRead,
)
from pppflow.services.views import goal_agreed_view, obligation_status_view, partnership_detail
from pppflow.web.api.schemas import GoalAgreementCreate, GoalWithdrawalCreate, ObligationStatusCreate
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of

router = APIRouter(prefix="/partnerships/{ref}", tags=["goals and obligations"])
reader = api_permit(Permission.READ)
coordinator = api_permit(Permission.COORDINATE)
participant = api_permit(Permission.PARTICIPATE)


def _detail(ref: str, desk: Desk) -> dict[str, Any]:
    status = show_partnership(ref, uow=desk.uow(), lifecycles=desk.lifecycles)
    return partnership_detail(status.partnership, status.checks)


@router.get("/goals", response_model=list[GoalRead], summary="The mutual goals and who agreed them")
def goals(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    goals_: list[dict[str, Any]] = _detail(ref, desk)["goals"]
    return goals_


@router.post("/goals/{goal}/agreements", response_model=GoalAgreedRead,
             summary="A partner agrees to a goal (no `partner`: the partner user's own organisation)",
             responses={403: {"description": "a partner user agreeing for another organisation"}})
def agree_goal(ref: str, goal: str, body: GoalAgreementCreate | None = None, user: User = Depends(participant),
               desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    acting = acting_for(user, body.partner if body else None)
    p = changes.agree_goal(ref, goal, acting.partner, uow=desk.uow(), actor=acting.actor, now=desk.now(),
                           on_behalf_of=acting.on_behalf_of)
    return goal_agreed_view(ref, p, goal)


@router.post("/goals/{goal}/withdrawals", response_model=GoalWithdrawalRead,
             summary="A partner withdraws its agreement, with a comment; after the framework was agreed this is "
                     "an amendment proposal for the coordinator",
             responses={403: {"description": "a partner user withdrawing for another organisation"},
                        422: {"description": "no comment given"}})
def withdraw_goal(ref: str, goal: str, body: GoalWithdrawalCreate, user: User = Depends(participant),
                  desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    acting = acting_for(user, body.partner)
    outcome, agreed = consensus.withdraw_goal(ref, goal, acting, body.comment, uow=desk.uow(),
                                              lifecycles=desk.lifecycles, now=desk.now())
    return {"ref": ref, "goal": goal, "partner": acting.partner, "outcome": outcome, "agreed_by": agreed}


@router.get("/obligations", response_model=list[ObligationRead], summary="Result and effort obligations")
def obligations(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    obligations_: list[dict[str, Any]] = _detail(ref, desk)["obligations"]
    return obligations_


@router.post("/obligations/{key}/status", response_model=ObligationStatusRead,
             summary="Move an obligation to a new status (pending, fulfilled, accepted, waived, breached)")
def set_obligation_status(ref: str, key: str, body: ObligationStatusCreate, user: User = Depends(coordinator),
                          desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    p = changes.set_obligation_status(ref, key, body.status, uow=desk.uow(), actor=user.username, now=desk.now(),
                                      evidence=body.evidence, reason=body.reason)
    return obligation_status_view(ref, p, key)
