"""The users page: add, disable and enable users, log a user out everywhere, issue (shown once), list and revoke API
tokens."""

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
    users = service.list_users(accounts=desk.accounts)
    response = render(request, "users.html", {
        "users": users, "roles": [r.value for r in Role], "now": desk.now(),
        "tokens": {u.username: service.list_tokens(u.username, accounts=desk.accounts) for u in users},
        "errors": errors or {}, "values": values or {"role": "viewer"}, "secret": secret}, status_code=status_code)
    if secret:  # shown once: no browser or proxy may keep a copy
        response.headers["Cache-Control"] = "no-store"
    return response


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
        service.disable_user(username, accounts=desk.accounts, now=desk.now(), by=user.username)
    except PppflowError as exc:
        return page(request, desk, errors={"list": [exc.message]}, status_code=status_of(exc))
    flash(request, f"Disabled {username}: its sessions and tokens no longer work.")
    return redirect("/admin/users")


@router.post("/{username}/enable")
def enable_submit(request: Request, username: str, user: User = Depends(admin),
                  desk: Desk = Depends(desk_of)) -> Response:
    service.enable_user(username, accounts=desk.accounts, now=desk.now())
    flash(request, f"Enabled {username}.")
    return redirect("/admin/users")


@router.post("/{username}/token")
def token_submit(request: Request, username: str, expires_in_days: str = Form(""), user: User = Depends(admin),
                 desk: Desk = Depends(desk_of)) -> Response:
    try:
        days = int(expires_in_days) if expires_in_days.strip() else None
    except ValueError:
        return page(request, desk, errors={"list": [f"expires_in_days: a whole number of days, got "
                                                    f"{expires_in_days[:20]!r}"]}, status_code=422)
    try:
        token = service.issue_token(username, accounts=desk.accounts, now=desk.now(), expires_in_days=days)
    except PppflowError as exc:
        return page(request, desk, errors={"list": [exc.message]}, status_code=status_of(exc))
    return page(request, desk, secret={"username": username, "token": token})


@router.post("/{username}/tokens/{token_id}/revoke")
def revoke_submit(request: Request, username: str, token_id: int, user: User = Depends(admin),
                  desk: Desk = Depends(desk_of)) -> Response:
    try:
        service.revoke_token(username, token_id, accounts=desk.accounts, now=desk.now())
    except PppflowError as exc:
        return page(request, desk, errors={"list": [exc.message]}, status_code=status_of(exc))
    flash(request, f"Revoked API token {token_id} of {username}.")
    return redirect("/admin/users")


@router.post("/{username}/logout-everywhere")
def logout_everywhere_submit(request: Request, username: str, user: User = Depends(admin),
                             desk: Desk = Depends(desk_of)) -> Response:
    try:
        ended = service.log_out_everywhere(username, accounts=desk.accounts)
    except PppflowError as exc:
        return page(request, desk, errors={"list": [exc.message]}, status_code=status_of(exc))
    flash(request, f"Logged {username} out everywhere ({ended} session{'s' if ended != 1 else ''} ended).")
    return redirect("/login" if username.strip().lower() == user.username else "/admin/users")
