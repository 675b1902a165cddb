"""Invite a user by e-mail: a disabled account and, through the outbox, a mail with a one-time link; accept the
link: choose a password, enable the account. The token is shown to nobody but the recipient: only its SHA-256
is stored, and the body of a sent invitation mail is dropped from the outbox."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pppflow.adapters.db.unit_of_work import UnitOfWork
from pppflow.adapters.invitations import KIND
from pppflow.adapters.mail import Mailer, message_id
from pppflow.adapters.mail.invitation import compose_invitation
from pppflow.adapters.mail.outbox import OutboxMessage
from pppflow.adapters.passwords import Argon2Hasher, PasswordHasher
from pppflow.domain.accounts import User, check_password, require_valid
from pppflow.domain.invitations import (
    DEFAULT_HOURS,
    Invitation,
    InvitationState,
    check_invitation,
    expiry,
    mail_language,
    may_invite,
)
from pppflow.errors import Forbidden, NotFound
from pppflow.services.reminders import Delivery, deliver_pending

TOKEN_BYTES = 32  # 256 bits


@dataclass(frozen=True)
class IssuedInvitation:
    """What an invitation created: the disabled user, until when the link works, and the mail's language."""

    user: User
    email: str
    expires_at: datetime
    language: str
    outbox_key: str


class InvitationUnusable(NotFound):
    """The link was used already, or has expired (HTTP 410 on the invitation page)."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_user(email: str, *, role: str, partner_organisation: str | None, uow: UnitOfWork, now: datetime,
                base_url: str, mail_from: str, invited_by: str, inviter_role: str = "admin",
                name: str | None = None, expires_hours: int = DEFAULT_HOURS) -> IssuedInvitation:
    """Create the user disabled and queue the invitation mail in the same transaction; all or nothing."""
    email = email.strip().lower()
    organisation = (partner_organisation or "").strip() or None
    name = " ".join((name or "").split()) or None
    require_valid(check_invitation(email, role, organisation, expires_hours), "invitation")
    if not may_invite(inviter_role, role):
        raise Forbidden(f"the role '{inviter_role}' may not invite a user with the role '{role}'",
                        details=["coordinators invite partner users; administrators anyone"])
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = expiry(now, expires_hours)
    with uow:
        partner_name, languages = uow.invitations.organisation(organisation) if organisation else (None, [])
        language = mail_language(languages)
        user = uow.invitations.add_user(email, role, organisation, now)
        invitation_id = uow.invitations.add(user.id, email, name, token_digest(token), invited_by, now, expires_at)
        key = f"{KIND}:{invitation_id}:invite"
        mail = compose_invitation(key=key, email=email, name=name, username=user.username,
                                  organisation=partner_name or organisation or "pppflow",
                                  link=f"{base_url.rstrip('/')}/invitations/{token}", expires_at=expires_at,
                                  invited_by=invited_by, mail_from=mail_from, now=now, language=language)
        uow.outbox.add([OutboxMessage(
            key=key, partnership_ref="", kind=KIND, step="invite", about=email, send_on=now.date(),
            recipients=[{"name": name or "", "email": email, "role": "to"}], subject=str(mail["Subject"]),
            message_id=message_id(key, mail_from), created_at=now,
            message=mail.as_string(policy=mail.policy.clone(max_line_length=None)))])
        uow.commit()
    return IssuedInvitation(user, email, expires_at, language, key)


def deliver_invitations(*, uow_factory: Callable[[], UnitOfWork], mailer: Mailer, now: datetime) -> Delivery:
    """Send pending invitation mail (exactly once, as every outbox message), then drop the sent bodies."""
    delivery = deliver_pending(uow_factory=uow_factory, mailer=mailer, now=now, kinds=(KIND,))
    with uow_factory() as uow:
        uow.invitations.forget_sent_links()
        uow.commit()
    return delivery


def open_invitation(token: str, *, uow: UnitOfWork, now: datetime) -> Invitation:
    """The invitation of a link that still works; NotFound (unknown) or InvitationUnusable (used, expired)."""
    with uow:
        found = uow.invitations.find(token_digest(token)) if 0 < len(token) <= 200 else None
    if found is None:
        raise NotFound("this invitation link is not known",
                       details=["check that the whole link was copied, or ask for a new invitation"])
    state = found.state(now)
    if state == InvitationState.USED:
        raise InvitationUnusable("this invitation link has been used already",
                                 details=["log in with your username and password, or ask for a new invitation"])
    if state == InvitationState.EXPIRED:
        raise InvitationUnusable("this invitation link has expired",
                                 details=["ask the person who invited you for a new invitation"])
    return found


def accept_invitation(token: str, password: str, *, uow: UnitOfWork, now: datetime,
                      hasher: PasswordHasher | None = None) -> Invitation:
    """Set the password and enable the user, using up the link; nothing changes if the link no longer works.

    The password is hashed with `hasher` (argon2 with its recommended parameters when none is given)."""
    invitation = open_invitation(token, uow=uow, now=now)
    require_valid(check_password(password), "password")
    with uow:
        if not uow.invitations.use(invitation.id, (hasher or Argon2Hasher()).hash(password), now):
            raise InvitationUnusable("this invitation link has been used already", details=[
                "log in with your username and password, or ask for a new invitation"])
        uow.commit()
    return invitation
