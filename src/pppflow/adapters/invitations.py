"""Where invitations are kept, on the unit of work's session: the new (disabled) user, the invitation, and its
acceptance (password set, user enabled, link used) in the caller's transaction. SQL and an in-memory fake."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol, cast

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pppflow.adapters.db.schema import invitations, outbox, partners, partnerships, users
from pppflow.domain.accounts import User
from pppflow.domain.invitations import Invitation
from pppflow.errors import ConflictError

KIND = "invitation"  # the outbox kind of invitation mail
UNUSABLE_PASSWORD = "!invited"  # not an argon2 hash: no password verifies against it


class InvitationStore(Protocol):
    def organisation(self, partner_key: str) -> tuple[str | None, list[str]]: ...
    def add_user(self, username: str, role: str, partner_organisation: str | None, now: datetime) -> User: ...
    def add(self, user_id: int, email: str, name: str | None, token_sha256: str, invited_by: str,
            now: datetime, expires_at: datetime) -> int: ...
    def find(self, token_sha256: str) -> Invitation | None: ...
    def use(self, invitation_id: int, password_hash: str, now: datetime) -> bool: ...
    def forget_sent_links(self) -> int: ...


def _taken(username: str) -> ConflictError:
    return ConflictError(f"a user named {username!r} already exists", hint="list_users")


class SqlInvitations:
    """Invitations in the application's database, on the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def organisation(self, partner_key: str) -> tuple[str | None, list[str]]:
        """The partner's name and the languages of the partnerships it is a party to."""
        rows = self.session.execute(
            select(partners.c.name, partnerships.c.language)
            .join(partnerships, partnerships.c.id == partners.c.partnership_id)
            .where(partners.c.key == partner_key).order_by(partnerships.c.id)).all()
        return (rows[0].name if rows else None), [r.language for r in rows]

    def add_user(self, username: str, role: str, partner_organisation: str | None, now: datetime) -> User:
        if self.session.execute(select(users.c.id).where(users.c.username == username)).first():
            raise _taken(username)
        try:
            with self.session.begin_nested():
                row = self.session.execute(insert(users).values(
                    username=username, password_hash=UNUSABLE_PASSWORD, role=role,
                    partner_organisation=partner_organisation, disabled=True, created_at=now)
                    .returning(*users.c)).one()
        except IntegrityError:
            raise _taken(username) from None
        return User(row.id, row.username, row.role, row.created_at, row.partner_organisation, True)

    def add(self, user_id: int, email: str, name: str | None, token_sha256: str, invited_by: str,
            now: datetime, expires_at: datetime) -> int:
        return int(self.session.execute(insert(invitations).values(
            user_id=user_id, email=email, name=name, token_sha256=token_sha256, invited_by=invited_by,
            created_at=now, expires_at=expires_at).returning(invitations.c.id)).scalar_one())

    def find(self, token_sha256: str) -> Invitation | None:
        i = invitations.c
        row = self.session.execute(
            select(i.id, i.user_id, users.c.username, i.email, i.name, i.invited_by, i.created_at, i.expires_at,
                   i.used_at).join(users, users.c.id == i.user_id).where(i.token_sha256 == token_sha256)
        ).one_or_none()
        return Invitation(**row._mapping) if row else None

    def use(self, invitation_id: int, password_hash: str, now: datetime) -> bool:
        """Mark the link used if it is still open, and set the password and enable the user; False if not open."""
        i = invitations.c
        row = self.session.execute(
            update(invitations).where(i.id == invitation_id, i.used_at.is_(None), i.expires_at > now)
            .values(used_at=now).returning(i.user_id)).one_or_none()
        if row is None:
            return False
        self.session.execute(update(users).where(users.c.id == row.user_id)
                             .values(password_hash=password_hash, disabled=False))
        return True

    def forget_sent_links(self) -> int:
        """Drop the bodies of sent invitation mail: the link then exists only in the recipient's mailbox."""
        result = self.session.execute(
            update(outbox).where(outbox.c.kind == KIND, outbox.c.status == "sent", outbox.c.message.is_not(None))
            .values(message=None))
        return int(cast("CursorResult[Any]", result).rowcount)  # DML gives a CursorResult; typed as Result


class FakeInvitations:
    """In memory, for unit tests; `accounts` is a FakeAccountStore, `partnerships` the fake repository's items."""

    def __init__(self, accounts: Any, partnerships: Any, outbox_: Any) -> None:
        self.accounts, self.partnerships, self.outbox = accounts, partnerships, outbox_
        self.items: dict[str, Invitation] = {}

    def organisation(self, partner_key: str) -> tuple[str | None, list[str]]:
        found = [(x.name, p.language) for p in self.partnerships._items.values() for x in p.partners
                 if x.key == partner_key]
        return (found[0][0] if found else None), [lang for _, lang in found]

    def add_user(self, username: str, role: str, partner_organisation: str | None, now: datetime) -> User:
        if self.accounts.find(username):
            raise _taken(username)
        self.accounts.add(username, UNUSABLE_PASSWORD, role, partner_organisation, now)
        user: User = self.accounts.set_disabled(username, True, now)
        return user

    def add(self, user_id: int, email: str, name: str | None, token_sha256: str, invited_by: str,
            now: datetime, expires_at: datetime) -> int:
        user = self.accounts.get(user_id)[0]
        self.items[token_sha256] = Invitation(len(self.items) + 1, user_id, user.username, email, name, invited_by,
                                              now, expires_at)
        return len(self.items)

    def find(self, token_sha256: str) -> Invitation | None:
        return self.items.get(token_sha256)

    def use(self, invitation_id: int, password_hash: str, now: datetime) -> bool:
        digest, found = next((k, v) for k, v in self.items.items() if v.id == invitation_id)
        if found.used_at is not None or found.expires_at <= now:
            return False
        self.items[digest] = replace(found, used_at=now)
        user = self.accounts.get(found.user_id)[0]
        self.accounts.set_password(user.username, password_hash, now)
        self.accounts.set_disabled(user.username, False, now)
        return True

    def forget_sent_links(self) -> int:
        sent = [m for m in self.outbox.rows.values() if m.kind == KIND and m.status == "sent" and m.message]
        for m in sent:
            m.message = None
        return len(sent)
