"""`/api/v1/partnerships/{ref}/admissions`: propose a new partner, list admissions, approve one (by consensus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from pppflow.domain.accounts import Permission, User
from pppflow.services import changes
from pppflow.services.views import admission_view
from pppflow.web.api.admission_schemas import AdmissionCreate, AdmissionRead, ApprovalCreate, ApprovalRead
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of

router = APIRouter(prefix="/partnerships/{ref}/admissions", tags=["admissions"])
reader = api_permit(Permission.READ)
coordinator = api_permit(Permission.COORDINATE)


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
             summary="An existing partner approves; the last approval admits the candidate")
def approve_admission(ref: str, candidate: str, body: ApprovalCreate, user: User = Depends(coordinator),
                      desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    admitted, waiting = changes.approve_admission(ref, candidate, body.by, uow=desk.uow(), actor=user.username,
                                                  now=desk.now())
    return {"ref": ref, "candidate": candidate, "by": body.by, "admitted": admitted, "awaiting": waiting}
