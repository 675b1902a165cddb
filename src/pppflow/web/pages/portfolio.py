"""The portfolio dashboard and the searchable list of partnerships."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from pppflow.domain.accounts import Permission, User
from pppflow.services.portfolio import dashboard, search_partnerships
from pppflow.web.auth import page_permit, party_of
from pppflow.web.desk import Desk, desk_of
from pppflow.web.pages.rendering import render

router = APIRouter()
reader = page_permit(Permission.READ)
PAGE_SIZE = 50


@router.get("/")
def dashboard_page(request: Request, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    as_of, party = desk.now().date(), party_of(user)
    d = request.app.state.dashboard.get(
        (as_of, party), lambda: dashboard(uow=desk.uow(), lifecycles=desk.lifecycles, as_of=as_of, party=party))
    return render(request, "dashboard.html", {"d": d})


@router.get("/partnerships")
def list_page(request: Request, stage: str = Query("", max_length=80), workflow: str = Query("", max_length=80),
              q: str = Query("", max_length=200), page: int = Query(1, ge=1, le=100_000),
              user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    items, total = search_partnerships(uow=desk.uow(), stage=stage, workflow=workflow, text=q, party=party_of(user),
                                       limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    stages = sorted({s for name in desk.lifecycles.names() for s in desk.lifecycles.get(name).definition.stage_names})
    return render(request, "partnerships.html", {
        "items": items, "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE)),
        "filters": {"stage": stage, "workflow": workflow, "q": q}, "stages": stages,
        "workflows": desk.lifecycles.names()})
