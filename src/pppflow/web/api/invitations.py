"""`/api/v1/invitations`: invite a user by e-mail (administrators: any role; coordinators: partner users), as
`pppflow user invite`. The link goes to the invited person only, never into the answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import Field

from pppflow.domain.accounts import Permission, User
from pppflow.domain.invitations import DEFAULT_HOURS
from pppflow.services import invitations as service
from pppflow.services.read_models.accounts import InvitationRead
from pppflow.services.views import invitation_view
from pppflow.web.api.schemas import _In
from pppflow.web.auth import api_permit
from pppflow.web.desk import Desk, desk_of

router = APIRouter(prefix="/invitations", tags=["invitations"])
inviter = api_permit(Permission.COORDINATE)


class InvitationCreate(_In):
    email: str = Field(min_length=3, max_length=254, examples=["e.mulder@hanze.example"])
    role: str = Field(default="partner", max_length=20)
    partner_organisation: str | None = Field(default=None, max_length=80, examples=["hanze"])
    name: str | None = Field(default=None, max_length=200)
    expires_hours: int = Field(default=DEFAULT_HOURS)


@router.post("", status_code=201, response_model=InvitationRead,
             summary="Invite a user: a disabled account and a mail with a one-time link to choose a password")
def invite(body: InvitationCreate, user: User = Depends(inviter), desk: Desk = Depends(desk_of)) -> dict[str, Any]:
    issued = service.invite_user(body.email, role=body.role, partner_organisation=body.partner_organisation,
                                 name=body.name, expires_hours=body.expires_hours, uow=desk.uow(), now=desk.now(),
                                 base_url=desk.base_url, mail_from=desk.mail_from, invited_by=user.username,
                                 inviter_role=user.role)
    delivery = service.deliver_invitations(uow_factory=desk.uow_factory, mailer=desk.mailer, now=desk.now())
    return invitation_view(issued, bool(delivery.sent))
