"""Where accounts are kept: the SQL store (one short transaction per call) and an in-memory fake.

Besides users and tokens, the store keeps recent login attempts that have not succeeded (`login_failures`):
the throttle (`domain/login_throttle.py`) reads them, the same in every server process.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from pppflow.adapters.orm_accounts import api_tokens, login_failures, users
from pppflow.domain.accounts import User
from pppflow.errors import ConflictError, NotFound

# last_used is a hint, not a log: written at most once a minute per token, so reads stay reads.
TOUCH_EVERY = timedelta(minutes=1)


class AccountStore(Protocol):
    def add(self, username: str, password_hash: str, role: str, partner_organisation: str | None,
            now: datetime) -> User: ...
    def get(self, user_id: int) -> tuple[User, str] | None: ...
    def find(self, username: str) -> tuple[User, str] | None: ...
    def list(self) -> list[User]: ...
    def set_disabled(self, username: str, disabled: bool) -> User: ...
    def set_password(self, username: str, password_hash: str) -> User: ...
    def add_token(self, user_id: int, token_sha256: str, now: datetime) -> None: ...
    def user_for_token(self, token_sha256: str, now: datetime) -> User | None: ...
    def record_login_attempt(self, username: str, address: str | None, now: datetime,
                             prune_before: datetime) -> int: ...
    def login_failures(self, username: str, address: str | None, since: datetime,
                       before: int) -> tuple[list[datetime], list[datetime]]: ...
    def forget_login_attempt(self, attempt: int) -> None: ...
    def clear_login_failures(self, username: str) -> int: ...


def _user(row: Any) -> User:
    return User(row.id, row.username, row.role, row.created_at, row.partner_organisation, bool(row.disabled))


def user_not_found(username: str) -> NotFound:
    return NotFound(f"no user named {username!r}", hint="list_users")


class SqlAccountStore:
    """Accounts in the application's database, through a session factory."""

    def __init__(self, session_factory: Any) -> None:
        self.session_factory = session_factory

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

    def _update(self, username: str, **values: Any) -> User:
        with self.session_factory() as session, session.begin():
            row = session.execute(update(users).where(users.c.username == username).values(**values)
                                  .returning(*users.c)).one_or_none()
            if row is None:
                raise user_not_found(username)
            return _user(row)

    def set_disabled(self, username: str, disabled: bool) -> User:
        return self._update(username, disabled=disabled)

    def set_password(self, username: str, password_hash: str) -> User:
        return self._update(username, password_hash=password_hash)

    def add_token(self, user_id: int, token_sha256: str, now: datetime) -> None:
        with self.session_factory() as session, session.begin():
            session.execute(insert(api_tokens).values(user_id=user_id, token_sha256=token_sha256, created_at=now))

    def user_for_token(self, token_sha256: str, now: datetime) -> User | None:
        with self.session_factory() as session:
            row = session.execute(
                select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used)
                .select_from(api_tokens.join(users, users.c.id == api_tokens.c.user_id))
                .where(api_tokens.c.token_sha256 == token_sha256)).one_or_none()
            if row is None:
                return None
            if row.last_used is None or now - row.last_used >= TOUCH_EVERY:
                session.execute(update(api_tokens).where(api_tokens.c.id == row.token_id).values(last_used=now))
                session.commit()
            return _user(row)

    def record_login_attempt(self, username: str, address: str | None, now: datetime,
                             prune_before: datetime) -> int:
        """Store an attempt (a failure until the username logs in) and drop those older than `prune_before`;
        returns its id: attempts are ordered by id."""
        with self.session_factory() as session, session.begin():
            session.execute(delete(login_failures).where(login_failures.c.at <= prune_before))
            return int(session.execute(insert(login_failures).values(username=username, address=address, at=now)
                                       .returning(login_failures.c.id)).scalar_one())

    def login_failures(self, username: str, address: str | None, since: datetime,
                       before: int) -> tuple[list[datetime], list[datetime]]:
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
            return session.execute(delete(login_failures).where(login_failures.c.username == username)).rowcount


class FakeAccountStore:
    """In memory, for unit tests."""

    def __init__(self) -> None:
        self.users: dict[str, tuple[User, str]] = {}
        self.tokens: dict[str, tuple[int, datetime | None]] = {}
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

    def set_disabled(self, username: str, disabled: bool) -> User:
        if username not in self.users:
            raise user_not_found(username)
        user, hashed = self.users[username]
        self.users[username] = (replace(user, disabled=disabled), hashed)
        return self.users[username][0]

    def set_password(self, username: str, password_hash: str) -> User:
        if username not in self.users:
            raise user_not_found(username)
        self.users[username] = (self.users[username][0], password_hash)
        return self.users[username][0]

    def add_token(self, user_id: int, token_sha256: str, now: datetime) -> None:
        self.tokens[token_sha256] = (user_id, None)

    def user_for_token(self, token_sha256: str, now: datetime) -> User | None:
        if token_sha256 not in self.tokens:
            return None
        user_id, _ = self.tokens[token_sha256]
        self.tokens[token_sha256] = (user_id, now)
        found = self.get(user_id)
        return found[0] if found else None

    def record_login_attempt(self, username: str, address: str | None, now: datetime,
                             prune_before: datetime) -> int:
        self.attempts = {k: v for k, v in self.attempts.items() if v[2] > prune_before}
        attempt, self._next_attempt = self._next_attempt, self._next_attempt + 1
        self.attempts[attempt] = (username, address, now)
        return attempt

    def login_failures(self, username: str, address: str | None, since: datetime,
                       before: int) -> tuple[list[datetime], list[datetime]]:
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
