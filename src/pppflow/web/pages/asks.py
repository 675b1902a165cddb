"""`/asked`: what is asked of a partner user's organisation, on one page (the digest mails the same list)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from pppflow.domain.accounts import Permission, User
from pppflow.errors import Forbidden
from pppflow.services.asks import KINDS, asked_of
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.pages.rendering import render

router = APIRouter()
reader = page_permit(Permission.READ)


@router.get("/asked")
def asked_page(request: Request, user: User = Depends(reader), desk: Desk = Depends(desk_of)) -> Response:
    if not user.is_partner or not user.partner_organisation:
        raise Forbidden("this page is for partner users: it lists what is asked of their organisation")
    today = desk.day()
    asks = asked_of(user.partner_organisation, uow=desk.uow(), lifecycles=desk.lifecycles, as_of=today)
    return render(request, "asked.html", {"asks": asks, "kinds": KINDS, "party": user.partner_organisation,
                                          "today": today, "asks_total": len(asks)})
