"""`/api/v1/partnerships/{ref}/.../progress`: partners' effort-log entries and result evidence, and
`/api/v1/asked`: what is asked of the caller's organisation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import Field

from pppflow.domain.accounts import Permission, User
from pppflow.domain.consensus import acting_for
from pppflow.errors import Forbidden
from pppflow.services.asks import asked_of, counts
from pppflow.services.partner_progress import add_progress, progress_records
from pppflow.web.api.schemas import _In, _Out
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of

router = APIRouter(tags=["partners"])
reader = api_permit(Permission.READ)
participant = api_permit(Permission.PARTICIPATE)


class ProgressCreate(_In):
    """An effort-log entry (`activities`, `hours`) for an effort obligation, or `evidence` for a result one."""

    partner: str | None = Field(default=None, min_length=1, max_length=80,
                                description="the owning partner (left out: a partner user's own organisation)")
    activities: list[str] | None = Field(default=None, max_length=50)
    hours: Decimal | None = Field(default=None, description="more than 0, at most 10000")
    evidence: str | None = Field(default=None, max_length=4000)


class ProgressRead(_Out):
    obligation: str
    partner: str
    kind: str = Field(description="effort or evidence")
    activities: list[str]
    hours: Decimal | None = None
    evidence: str | None = None
    recorded_by: str
    on_behalf_of: str | None = None
    recorded_at: datetime
    checkin: date | None = Field(None, description="the check-in it reports to (the first on or after it)")


class AskRead(_Out):
    kind: str
    ref: str
    partnership: str
    key: str
    what: str
    link: str
    due: date | None = None
    overdue: bool = False


class AskedRead(_Out):
    partner: str
    counts: dict[str, int]
    asks: list[AskRead]


@router.post("/partnerships/{ref}/obligations/{key}/progress", status_code=201, response_model=ProgressRead,
             summary="The owning partner records effort (activities, hours) or result evidence (text)",
             responses={403: {"description": "a partner user recording for another organisation"}})
def record(ref: str, key: str, body: ProgressCreate, user: User = Depends(participant),
           desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    acting = acting_for(user, body.partner)
    add_progress(ref, key, acting, uow=desk.uow(), now=desk.now(), activities=body.activities, hours=body.hours,
                 evidence=body.evidence)
    return progress_records(ref, uow=desk.uow(), obligation=key)[-1]  # the newest, with its check-in


@router.get("/partnerships/{ref}/obligations/{key}/progress", response_model=list[ProgressRead],
            summary="What the owner recorded on one obligation, oldest first")
def obligation_progress(ref: str, key: str, user: User = Depends(reader),
                        desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    return progress_records(ref, uow=desk.uow(), obligation=key)


@router.get("/partnerships/{ref}/progress", response_model=list[ProgressRead],
            summary="Every progress record of the partnership, each with the check-in it reports to")
def partnership_progress(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> list[dict[str, Any]]:
    return progress_records(ref, uow=desk.uow())


@router.get("/asked", response_model=AskedRead, summary="What is asked of the caller's organisation (partner users)")
def asked(user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    if not user.is_partner or not user.partner_organisation:
        raise Forbidden("only partner users have things asked of their organisation")
    asks = asked_of(user.partner_organisation, uow=desk.uow(), lifecycles=desk.lifecycles, as_of=desk.day())
    return {"partner": user.partner_organisation, "counts": counts(asks), "asks": asks}
