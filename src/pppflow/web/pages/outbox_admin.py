"""The outbox page for admins: failed and uncertain messages, each with a button that sends it again."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from pppflow.domain.accounts import Permission, User
from pppflow.errors import PppflowError
from pppflow.services.outbox import retry_messages
from pppflow.services.reminders import outbox_messages
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.errors import status_of
from pppflow.web.pages.rendering import flash, redirect, render

router = APIRouter(prefix="/admin/outbox")
admin = page_permit(Permission.ADMINISTER)


def page(request: Request, desk: Desk, *, error: str | None = None, status_code: int = 200) -> Response:
    rows = outbox_messages(uow=desk.uow(), failed=True, uncertain=True, limit=500)
    return render(request, "outbox.html", {"messages": rows, "error": error}, status_code=status_code)


@router.get("")
def outbox_page(request: Request, user: User = Depends(admin), desk: Desk = Depends(desk_of)) -> Response:
    return page(request, desk)


@router.post("/{message_id}/retry")
def retry_submit(request: Request, message_id: int, user: User = Depends(admin),
                 desk: Desk = Depends(desk_of)) -> Response:
    try:
        r = retry_messages([message_id], uow_factory=desk.uow_factory, mailer=desk.mailer, now=desk.now())
    except PppflowError as exc:
        return page(request, desk, error=exc.message, status_code=status_of(exc))
    flash(request, f"Message {message_id}: " + ("sent." if r.sent else "not sent; the reason is listed below."))
    return redirect("/admin/outbox")
