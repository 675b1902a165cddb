"""`/api/v1/health`, `/api/v1/partnerships/{ref}/health` and `/maturity`: the explained health score and the
maturity self-assessment, with the same services and rules as the CLI."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from pppflow.domain.accounts import Permission, User
from pppflow.errors import Forbidden
from pppflow.services.health import partnership_health, portfolio_health
from pppflow.services.maturity import maturity_overview, record_round
from pppflow.services.read_models.assessment import HealthRead, MaturityRead, MaturityRoundRead, PortfolioHealthRead
from pppflow.services.views import maturity_round_view, maturity_view
from pppflow.web.auth import api_permit, party_of
from pppflow.web.desk import Desk, desk_of

router = APIRouter(tags=["health and maturity"])
reader = api_permit(Permission.READ)


class AnswerCreate(BaseModel):
    key: str = Field(max_length=80)
    level: str | None = Field(default=None, max_length=40)
    evidence: str = Field(default="", max_length=4000)


class MaturityRoundCreate(BaseModel):
    partner: str | None = Field(default=None, max_length=80, description="default: the caller's organisation")
    framework: str | None = Field(default=None, max_length=80)
    answers: list[AnswerCreate] = Field(max_length=200)


@router.get("/health", response_model=PortfolioHealthRead,
            summary="The health of every partnership not in a final stage, worst first")
def portfolio(as_of: date | None = Query(None), user: User = Depends(reader),
              desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    day = desk.day(as_of)
    items = portfolio_health(uow=desk.uow(), files=desk.assessment_files, lifecycles=desk.lifecycles, as_of=day,
                             party=party_of(user))
    return {"as_of": day, "partnerships": [h.as_dict() for h in items]}


@router.get("/partnerships/{ref}/health", response_model=HealthRead,
            summary="A score 0-100, a band and every component explained")
def partnership(ref: str, as_of: date | None = Query(None), user: User = Depends(reader),
                desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    return partnership_health(ref, uow=desk.uow(), files=desk.assessment_files,
                              as_of=desk.day(as_of)).as_dict()


@router.get("/partnerships/{ref}/maturity", response_model=MaturityRead,
            summary="Per station and partner the latest level, change, spread")
def maturity(ref: str, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    view, _ = maturity_overview(ref, uow=desk.uow(), files=desk.assessment_files)
    return maturity_view(ref, view)


@router.post("/partnerships/{ref}/maturity/rounds", status_code=201, response_model=MaturityRoundRead,
             summary="Record a partner's round (a partner for itself; the desk on a partner's behalf)")
def assess(ref: str, body: MaturityRoundCreate, user: User = Depends(reader),
           desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    partner = body.partner or party_of(user) or ""
    if user.is_partner and partner != party_of(user):
        raise Forbidden(f"a partner user answers only for its own organisation ({party_of(user)})")
    if not user.is_partner and not user.may(Permission.COORDINATE):
        raise Forbidden("recording a maturity round needs the coordinate permission or a partner account")
    doc = {"framework": body.framework, "partner": partner,
           "answers": [a.model_dump() for a in body.answers]}
    rnd = record_round(ref, partner, doc, uow=desk.uow(), files=desk.assessment_files, actor=user.username,
                       now=desk.now(), on_behalf=not user.is_partner)
    return maturity_round_view(ref, rnd)
