"""The portfolio dashboard and the searchable list of partnerships."""

from __future__ import annotations

from datetime import date
from typing import Any

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
ATTENTION_SHOWN = 8


@router.get("/")
def dashboard_page(request: Request, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    as_of, party = desk.day(), party_of(user)
    d, attention = request.app.state.dashboard.get((as_of, party), lambda: _dashboard(desk, as_of, party))
    return render(request, "dashboard.html", {"d": d, "attention": attention})


def _dashboard(desk: Desk, as_of: date, party: str | None) -> tuple[Any, dict[str, Any]]:
    """The dashboard's counts and lists, and the health of the portfolio: bands and what needs attention."""
    from pppflow.services.health import health_trends, portfolio_health
    from pppflow.web.charts import sparkline

    d = dashboard(uow=desk.uow(), lifecycles=desk.lifecycles, as_of=as_of, party=party)
    items = portfolio_health(uow=desk.uow(), files=desk.assessment_files, lifecycles=desk.lifecycles, as_of=as_of,
                             party=party)
    worst = [h for h in items if h.band != "healthy"][:ATTENTION_SHOWN]
    trends = health_trends([h.ref for h in worst], uow=desk.uow(), files=desk.assessment_files, as_of=as_of)
    return d, {"items": worst, "spark": {ref: sparkline(points) for ref, points in trends.items()},
               "bands": {b: sum(1 for h in items if h.band == b) for b in ("healthy", "attention", "at_risk")}}


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
