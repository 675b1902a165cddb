"""Read schemas of user accounts and invitations."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from pppflow.services.read_models.base import ReadModel


class UserRead(ReadModel):
    username: str
    role: str
    partner_organisation: str | None = None
    disabled: bool
    created_at: datetime


class InvitationRead(UserRead):
    email: str
    expires_at: datetime
    language: str
    mail: str = Field(description="sent, or pending (retried by the next reminder run)")
