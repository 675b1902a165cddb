"""The audit trail's verification, and who the caller is."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from pppflow.domain.accounts import Permission, User
from pppflow.errors import Forbidden
from pppflow.services.audit import verify_audit
from pppflow.services.read_models.accounts import UserRead
from pppflow.services.read_models.audit import ChainReportRead
from pppflow.services.views import chain_report_view
from pppflow.web.auth import api_permit, api_user
from pppflow.web.desk import Desk, desk_of

router = APIRouter(tags=["audit"])


reader = api_permit(Permission.READ)


@router.get("/audit/verify", response_model=ChainReportRead,
            summary="Check the whole hash-chained audit trail, its head and its checkpoints; names the first "
                    "damaged entry")
def verify(user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    if user.is_partner:  # one chain runs through every partnership: its report would reveal the portfolio's size
        raise Forbidden("partner users may not verify the audit trail: it spans every organisation's partnerships",
                        details=["ask an administrator, or read a partnership's history"])
    anchors = desk.checkpoints
    if anchors is None:
        return chain_report_view(verify_audit(uow=desk.uow()))
    return chain_report_view(verify_audit(uow=desk.uow(), checkpoints=anchors.logged(), key=anchors.key()))


@router.get("/me", response_model=UserRead, tags=["accounts"], summary="The account the token belongs to")
def me(user: User = Depends(api_user)) -> User:
    return user
