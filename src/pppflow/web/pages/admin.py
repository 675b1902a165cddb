"""The users page: add, disable and enable users, issue an API token (shown once)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from pppflow.domain.accounts import Permission, Role, User
from pppflow.errors import PppflowError
from pppflow.services import accounts as service
from pppflow.web.auth import page_permit
from pppflow.web.desk import Desk, desk_of
from pppflow.web.errors import status_of
from pppflow.web.pages.rendering import flash, redirect, render

router = APIRouter(prefix="/admin/users")
admin = page_permit(Permission.ADMINISTER)


def page(request: Request, desk: Desk, *, errors: dict[str, list[str]] | None = None,
         values: dict[str, str] | None = None, secret: dict[str, str] | None = None,
         status_code: int = 200) -> Response:
    return render(request, "users.html", {
        "users": service.list_users(accounts=desk.accounts), "roles": [r.value for r in Role],
        "errors": errors or {}, "values": values or {"role": "viewer"}, "secret": secret}, status_code=status_code)


@router.get("")
def users_page(request: Request, user: User = Depends(admin), desk: Desk = Depends(desk_of)) -> Response:
    return page(request, desk)


@router.post("")
def add_submit(request: Request, username: str = Form(""), role: str = Form("viewer"),
               partner_organisation: str = Form(""), password: str = Form(""), user: User = Depends(admin),
               desk: Desk = Depends(desk_of)) -> Response:
    values = {"username": username, "role": role, "partner_organisation": partner_organisation}
    chosen = password or service.generated_password()
    try:
        added = service.add_user(username, role, chosen, accounts=desk.accounts, now=desk.now(),
                                 partner_organisation=partner_organisation)
    except PppflowError as exc:
        errors: dict[str, list[str]] = {}
        for line in exc.details or [exc.message]:
            field, _, text = line.partition(": ")
            errors.setdefault(field if text and field in values | {"password": ""} else "username",
                              []).append(text or line)
        return page(request, desk, errors=errors, values=values, status_code=status_of(exc))
    secret = {"username": added.username, "password": chosen} if not password else None
    if secret is None:
        flash(request, f"Added {added.username} ({added.role}).")
        return redirect("/admin/users")
    return page(request, desk, secret=secret)


@router.post("/{username}/disable")
def disable_submit(request: Request, username: str, user: User = Depends(admin),
                   desk: Desk = Depends(desk_of)) -> Response:
    try:
        service.disable_user(username, accounts=desk.accounts, by=user.username)
    except PppflowError as exc:
        return page(request, desk, errors={"list": [exc.message]}, status_code=status_of(exc))
    flash(request, f"Disabled {username}: its sessions and tokens no longer work.")
    return redirect("/admin/users")


@router.post("/{username}/enable")
def enable_submit(request: Request, username: str, user: User = Depends(admin),
                  desk: Desk = Depends(desk_of)) -> Response:
    service.enable_user(username, accounts=desk.accounts)
    flash(request, f"Enabled {username}.")
    return redirect("/admin/users")


@router.post("/{username}/token")
def token_submit(request: Request, username: str, user: User = Depends(admin),
                 desk: Desk = Depends(desk_of)) -> Response:
    token = service.issue_token(username, accounts=desk.accounts, now=desk.now())
    return page(request, desk, secret={"username": username, "token": token})
