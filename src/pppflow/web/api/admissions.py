"""`/api/v1/partnerships/{ref}/admissions`: propose a new partner, list admissions, approve one (by consensus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from pppflow.domain.accounts import Permission, User
from pppflow.domain.consensus import acting_for
from pppflow.services import changes, consensus
from pppflow.services.read_models.admissions import AdmissionRead, ApprovalRead, RejectionRead
from pppflow.services.views import admission_view
from pppflow.web.api.admission_schemas import AdmissionCreate, ApprovalCreate, RejectionCreate
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of

router = APIRouter(prefix="/partnerships/{ref}/admissions", tags=["admissions"])
reader = api_permit(Permission.READ)
coordinator = api_permit(Permission.COORDINATE)
participant = api_permit(Permission.PARTICIPATE)


@router.get("", response_model=list[AdmissionRead], summary="Admissions of new partners, pending and decided")
def list_admissions(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    p = changes.admissions(ref, uow=desk.uow())
    return [admission_view(p, a) for a in p.admissions]


@router.post("", status_code=201, response_model=AdmissionRead,
             summary="Propose a new partner; it joins when every existing partner approved",
             responses={409: {"description": "the partnership is not active, or the partner is already one or "
                                             "already proposed"}})
def request_admission(ref: str, body: AdmissionCreate, user: User = Depends(coordinator),
                      desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    a = changes.request_admission(ref, body.model_dump(exclude_none=True), uow=desk.uow(),
                                  lifecycles=desk.lifecycles, actor=user.username, now=desk.now())
    p = changes.admissions(ref, uow=desk.uow())
    return admission_view(p, next(x for x in reversed(p.admissions) if x.candidate_key == a.candidate_key))


@router.post("/{candidate}/approvals", response_model=ApprovalRead,
             summary="An existing partner approves; the last approval admits the candidate",
             responses={403: {"description": "a partner user approving for another organisation"}})
def approve_admission(ref: str, candidate: str, body: ApprovalCreate | None = None,
                      user: User = Depends(participant), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    acting = acting_for(user, body.by if body else None, field="by")
    admitted, waiting = changes.approve_admission(ref, candidate, acting.partner, uow=desk.uow(), actor=acting.actor,
                                                  now=desk.now(), on_behalf_of=acting.on_behalf_of)
    return {"ref": ref, "candidate": candidate, "by": acting.partner, "admitted": admitted, "awaiting": waiting}


@router.post("/{candidate}/rejections", response_model=RejectionRead,
             summary="An existing partner rejects, with a reason; one rejection rejects the admission",
             responses={403: {"description": "a partner user rejecting for another organisation"},
                        422: {"description": "no reason given"}})
def reject_admission(ref: str, candidate: str, body: RejectionCreate, user: User = Depends(participant),
                     desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    acting = acting_for(user, body.by, field="by")
    a = consensus.reject_admission(ref, candidate, acting, body.reason, uow=desk.uow(), now=desk.now())
    return {"ref": ref, "candidate": candidate, "by": acting.partner, "status": a.status,
            "reason": a.rejection_reason}
