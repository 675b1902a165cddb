"""Invitations on the web: the invite form (administrators, coordinators) and the one-time link's page, where the
invited person chooses a password and is logged in."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from pppflow.domain.accounts import Permission, Role, User
from pppflow.domain.invitations import DEFAULT_HOURS
from pppflow.errors import NotFound, PppflowError
from pppflow.services import accounts as account_service
from pppflow.services import invitations as service
from pppflow.web.auth import new_session, page_permit, replace_session
from pppflow.web.desk import Desk, desk_of
from pppflow.web.errors import status_of
from pppflow.web.pages.rendering import flash, redirect, render

router = APIRouter()
inviter = page_permit(Permission.COORDINATE)
FIELDS = ("email", "role", "partner_organisation", "name", "expires_hours")


def invite_page(request: Request, *, errors: dict[str, list[str]] | None = None,
                values: dict[str, str] | None = None, status_code: int = 200) -> Response:
    user: User = request.state.user
    roles = [r.value for r in Role] if user.may(Permission.ADMINISTER) else [Role.PARTNER.value]
    return render(request, "invite.html", {
        "roles": roles, "errors": errors or {},
        "values": values or {"role": "partner", "expires_hours": str(DEFAULT_HOURS)}}, status_code=status_code)


@router.get("/admin/invitations")
def invite_form(request: Request, user: User = Depends(inviter)) -> Response:
    return invite_page(request)


@router.post("/admin/invitations")
def invite_submit(request: Request, email: str = Form(""), role: str = Form("partner"),
                  partner_organisation: str = Form(""), name: str = Form(""),
                  expires_hours: str = Form(str(DEFAULT_HOURS)), user: User = Depends(inviter),
                  desk: Desk = Depends(desk_of)) -> Response:
    values = {"email": email, "role": role, "partner_organisation": partner_organisation, "name": name,
              "expires_hours": expires_hours}
    try:
        hours = int(expires_hours.strip() or DEFAULT_HOURS)
    except ValueError:
        return invite_page(request, errors={"expires_hours": ["a whole number of hours"]}, values=values,
                           status_code=422)
    try:
        issued = service.invite_user(email, role=role, partner_organisation=partner_organisation, name=name,
                                     expires_hours=hours, uow=desk.uow(), now=desk.now(), base_url=desk.base_url,
                                     mail_from=desk.mail_from, invited_by=user.username, inviter_role=user.role)
    except PppflowError as exc:
        errors: dict[str, list[str]] = {}
        for line in exc.details or [exc.message]:
            field, _, text = line.partition(": ")
            errors.setdefault(field if text and field in FIELDS else "form", []).append(text if field in FIELDS
                                                                                          else line)
        if "form" in errors or not exc.details:
            errors.setdefault("form", []).insert(0, exc.message)
        return invite_page(request, errors=errors, values=values, status_code=status_of(exc))
    delivery = service.deliver_invitations(uow_factory=desk.uow_factory, mailer=desk.mailer, now=desk.now())
    flash(request, f"Invited {issued.email}: " + ("the invitation mail was sent." if delivery.sent else
                                                  "the invitation mail is queued and will be retried."))
    return redirect("/admin/users" if user.may(Permission.ADMINISTER) else "/admin/invitations")


def _link_page(request: Request, token: str, exc: PppflowError | None = None, *, invitation: object = None,
               problems: list[str] | None = None, status_code: int = 200) -> Response:
    if exc is not None:
        status_code = 410 if isinstance(exc, service.InvitationUnusable) else status_of(exc)
    return render(request, "invitation.html", {
        "token": token, "invitation": invitation, "problem": exc.message if exc else None,
        "problem_details": exc.details if exc else [], "problems": problems or []}, status_code=status_code)


@router.get("/invitations/{token}")
def invitation_form(request: Request, token: str, desk: Desk = Depends(desk_of)) -> Response:
    try:
        invitation = service.open_invitation(token, uow=desk.uow(), now=desk.now())
    except NotFound as exc:
        return _link_page(request, token, exc)
    return _link_page(request, token, invitation=invitation)


@router.post("/invitations/{token}")
def invitation_submit(request: Request, token: str, password: str = Form(""), repeat: str = Form(""),
                      desk: Desk = Depends(desk_of)) -> Response:
    try:
        invitation = service.open_invitation(token, uow=desk.uow(), now=desk.now())
    except NotFound as exc:
        return _link_page(request, token, exc)
    if password != repeat:
        return _link_page(request, token, invitation=invitation, status_code=422,
                          problems=["the two passwords differ"])
    try:
        service.accept_invitation(token, password, uow=desk.uow(), now=desk.now(), hasher=desk.hasher)
    except NotFound as exc:
        return _link_page(request, token, exc)
    except PppflowError as exc:
        return _link_page(request, token, invitation=invitation, status_code=status_of(exc),
                          problems=[d.partition(": ")[2] or d for d in exc.details] or [exc.message])
    found = account_service.login(invitation.username, password, accounts=desk.accounts)
    if found is not None:  # logged in: a session record, and a new CSRF token
        secret = account_service.start_session(found[0], accounts=desk.accounts, now=desk.now())
        replace_session(request, new_session(found[0], secret))
    flash(request, f"Welcome, {invitation.name or invitation.username}: your password is set.")
    return redirect("/")
