"""Where accounts are kept: the SQL store (one short transaction per call) and an in-memory fake.

Besides users and tokens, the store keeps recent login attempts that have not succeeded (`login_failures`):
the throttle (`domain/login_throttle.py`) reads them, the same in every server process.
"""

from __future__ import annotations

import builtins
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from pppflow.adapters.credentials import FakeCredentials, SqlCredentials, _user
from pppflow.adapters.db.schema import api_tokens, login_failures, users, web_sessions
from pppflow.adapters.passwords import Argon2Hasher, PasswordHasher
from pppflow.domain.accounts import ApiToken, User
from pppflow.errors import ConflictError, NotFound


class AccountStore(Protocol):
    @property
    def hasher(self) -> PasswordHasher: ...
    def add(self, username: str, password_hash: str, role: str, partner_organisation: str | None,
            now: datetime) -> User: ...
    def get(self, user_id: int) -> tuple[User, str] | None: ...
    def find(self, username: str) -> tuple[User, str] | None: ...
    def list(self) -> list[User]: ...
    def set_disabled(self, username: str, disabled: bool, now: datetime) -> User: ...
    def set_password(self, username: str, password_hash: str, now: datetime, *, revoke_tokens: bool = False
                     ) -> User: ...
    def start_session(self, user_id: int, secret_sha256: str, now: datetime, expires_at: datetime) -> None: ...
    def session_user(self, secret_sha256: str, now: datetime) -> User | None: ...
    def end_session(self, secret_sha256: str) -> None: ...
    def end_sessions(self, user_id: int) -> int: ...
    def add_token(self, user_id: int, token_sha256: str, now: datetime, expires_at: datetime | None = None
                  ) -> int: ...
    def tokens(self, user_id: int) -> builtins.list[ApiToken]: ...
    def revoke_tokens(self, user_id: int, now: datetime, token_id: int | None = None) -> int: ...
    def user_for_token(self, token_sha256: str, now: datetime) -> User | None: ...
    def record_login_attempt(self, username: str, address: str | None, now: datetime,
                             prune_before: datetime) -> int: ...
    def login_failures(self, username: str, address: str | None, since: datetime,
                       before: int) -> tuple[builtins.list[datetime], builtins.list[datetime]]: ...
    def forget_login_attempt(self, attempt: int) -> None: ...
    def clear_login_failures(self, username: str) -> int: ...


def user_not_found(username: str) -> NotFound:
    return NotFound(f"no user named {username!r}", hint="list_users")


class SqlAccountStore(SqlCredentials):
    """Accounts in the application's database, through a session factory."""

    def __init__(self, session_factory: Any, hasher: PasswordHasher | None = None) -> None:
        self.session_factory = session_factory
        self.hasher: PasswordHasher = hasher or Argon2Hasher()

    def add(self, username: str, password_hash: str, role: str, partner_organisation: str | None,
            now: datetime) -> User:
        with self.session_factory() as session, session.begin():
            try:
                row = session.execute(insert(users).values(
                    username=username, password_hash=password_hash, role=role,
                    partner_organisation=partner_organisation, disabled=False, created_at=now)
                    .returning(*users.c)).one()
            except IntegrityError:
                raise ConflictError(f"a user named {username!r} already exists") from None
            return _user(row)

    def get(self, user_id: int) -> tuple[User, str] | None:
        with self.session_factory() as session:
            row = session.execute(select(users).where(users.c.id == user_id)).one_or_none()
            return (_user(row), row.password_hash) if row else None

    def find(self, username: str) -> tuple[User, str] | None:
        with self.session_factory() as session:
            row = session.execute(select(users).where(users.c.username == username)).one_or_none()
            return (_user(row), row.password_hash) if row else None

    def list(self) -> list[User]:
        with self.session_factory() as session:
            return [_user(r) for r in session.execute(select(users).order_by(users.c.username))]

    def _update(self, username: str, *, end_sessions: bool, revoke_at: datetime | None, **values: Any) -> User:
        """Change the user's row; in the same transaction end its sessions and revoke its tokens if asked."""
        with self.session_factory() as session, session.begin():
            row = session.execute(update(users).where(users.c.username == username).values(**values)
                                  .returning(*users.c)).one_or_none()
            if row is None:
                raise user_not_found(username)
            if end_sessions:
                session.execute(delete(web_sessions).where(web_sessions.c.user_id == row.id))
            if revoke_at is not None:
                session.execute(update(api_tokens).where(api_tokens.c.user_id == row.id,
                                                         api_tokens.c.revoked_at.is_(None))
                                .values(revoked_at=revoke_at))
            return _user(row)

    def set_disabled(self, username: str, disabled: bool, now: datetime) -> User:
        """Disabling ends every session and revokes every token: enabling again brings none of them back."""
        return self._update(username, end_sessions=disabled, revoke_at=now if disabled else None, disabled=disabled)

    def set_password(self, username: str, password_hash: str, now: datetime, *, revoke_tokens: bool = False
                     ) -> User:
        """A new password ends every session; the API tokens only when asked."""
        return self._update(username, end_sessions=True, revoke_at=now if revoke_tokens else None,
                            password_hash=password_hash)

    def record_login_attempt(self, username: str, address: str | None, now: datetime,
                             prune_before: datetime) -> int:
        """Store an attempt (a failure until the username logs in) and drop those older than `prune_before`;
        returns its id: attempts are ordered by id."""
        with self.session_factory() as session, session.begin():
            session.execute(delete(login_failures).where(login_failures.c.at <= prune_before))
            return int(session.execute(insert(login_failures).values(username=username, address=address, at=now)
                                       .returning(login_failures.c.id)).scalar_one())

    def login_failures(self, username: str, address: str | None, since: datetime,
                       before: int) -> tuple[builtins.list[datetime], builtins.list[datetime]]:
        """The times of the attempts made before attempt `before` and after `since`: for the username, and for
        the address."""
        f = login_failures.c
        with self.session_factory() as session:
            by_name = session.execute(select(f.at).where(f.username == username, f.at > since, f.id < before))
            names = [r.at for r in by_name]
            if address is None:
                return names, []
            by_address = session.execute(select(f.at).where(f.address == address, f.at > since, f.id < before))
            return names, [r.at for r in by_address]

    def forget_login_attempt(self, attempt: int) -> None:
        with self.session_factory() as session, session.begin():
            session.execute(delete(login_failures).where(login_failures.c.id == attempt))

    def clear_login_failures(self, username: str) -> int:
        with self.session_factory() as session, session.begin():
            return int(session.execute(delete(login_failures).where(login_failures.c.username == username)).rowcount)


class FakeAccountStore(FakeCredentials):
    """In memory, for unit tests (argon2 with cheap parameters unless given a hasher)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        super().__init__()
        self.hasher: PasswordHasher = hasher or Argon2Hasher.cheap()
        self.users: dict[str, tuple[User, str]] = {}
        self.attempts: dict[int, tuple[str, str | None, datetime]] = {}
        self._next_attempt = 1

    def add(self, username: str, password_hash: str, role: str, partner_organisation: str | None,
            now: datetime) -> User:
        if username in self.users:
            raise ConflictError(f"a user named {username!r} already exists")
        user = User(len(self.users) + 1, username, role, now, partner_organisation)
        self.users[username] = (user, password_hash)
        return user

    def get(self, user_id: int) -> tuple[User, str] | None:
        return next((found for found in self.users.values() if found[0].id == user_id), None)

    def find(self, username: str) -> tuple[User, str] | None:
        return self.users.get(username)

    def list(self) -> list[User]:
        return [u for _, (u, _) in sorted(self.users.items())]

    def set_disabled(self, username: str, disabled: bool, now: datetime) -> User:
        if username not in self.users:
            raise user_not_found(username)
        user, hashed = self.users[username]
        self.users[username] = (replace(user, disabled=disabled), hashed)
        if disabled:
            self.end_sessions(user.id)
            self.revoke_tokens(user.id, now)
        return self.users[username][0]

    def set_password(self, username: str, password_hash: str, now: datetime, *, revoke_tokens: bool = False
                     ) -> User:
        if username not in self.users:
            raise user_not_found(username)
        self.users[username] = (self.users[username][0], password_hash)
        self.end_sessions(self.users[username][0].id)
        if revoke_tokens:
            self.revoke_tokens(self.users[username][0].id, now)
        return self.users[username][0]

    def record_login_attempt(self, username: str, address: str | None, now: datetime,
                             prune_before: datetime) -> int:
        self.attempts = {k: v for k, v in self.attempts.items() if v[2] > prune_before}
        attempt, self._next_attempt = self._next_attempt, self._next_attempt + 1
        self.attempts[attempt] = (username, address, now)
        return attempt

    def login_failures(self, username: str, address: str | None, since: datetime,
                       before: int) -> tuple[builtins.list[datetime], builtins.list[datetime]]:
        earlier = [v for k, v in sorted(self.attempts.items()) if k < before and v[2] > since]
        return ([at for name, _, at in earlier if name == username],
                [at for _, addr, at in earlier if address is not None and addr == address])

    def forget_login_attempt(self, attempt: int) -> None:
        self.attempts.pop(attempt, None)

    def clear_login_failures(self, username: str) -> int:
        gone = [k for k, v in self.attempts.items() if v[0] == username]
        for k in gone:
            del self.attempts[k]
        return len(gone)
