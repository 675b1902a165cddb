"""Web sessions and API tokens of the account stores: what makes a credential valid, and what ends it.

A session is a row (the cookie carries a random secret, the row its SHA-256); a token is a row with an optional
expiry and a revocation time. Mixed into `SqlAccountStore` and `FakeAccountStore`.

Reads stay reads: a token's `last_used` is a hint written at most once a minute, best effort. When the database is
busy (SQLite: another process holds the write lock) the write is skipped at once instead of failing the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, or_, select, text, update
from sqlalchemy.exc import OperationalError

from pppflow.adapters.db.schema import api_tokens, users, web_sessions
from pppflow.domain.accounts import ApiToken, User

# last_used is a hint, not a log: written at most once a minute per token, so reads stay reads.
TOUCH_EVERY = timedelta(minutes=1)


def _user(row: Any) -> User:
    return User(row.id, row.username, row.role, row.created_at, row.partner_organisation, bool(row.disabled))


def _token(row: Any) -> ApiToken:
    return ApiToken(row.id, row.created_at, row.last_used, row.expires_at, row.revoked_at)


def touch_best_effort(session: Any, statement: Any) -> bool:
    """Run a bookkeeping write without waiting for locks; give up quietly if the database is busy."""
    dialect = session.get_bind().dialect.name
    try:
        if dialect == "sqlite":
            session.execute(text("PRAGMA busy_timeout=0"))
        else:
            session.execute(text("SET LOCAL lock_timeout = '200ms'"))
        session.execute(statement)
        session.commit()
        return True
    except OperationalError:
        session.rollback()
        return False
    finally:
        if dialect == "sqlite":
            session.execute(text("PRAGMA busy_timeout=5000"))  # the engine's default, for the pooled connection
            session.commit()


class SqlCredentials:
    """Sessions and tokens in the application's database (`self.session_factory` from the account store)."""

    session_factory: Any

    def start_session(self, user_id: int, secret_sha256: str, now: datetime, expires_at: datetime) -> None:
        with self.session_factory() as session, session.begin():
            session.execute(delete(web_sessions).where(web_sessions.c.expires_at <= now))  # prune as it goes
            session.execute(insert(web_sessions).values(user_id=user_id, secret_sha256=secret_sha256,
                                                        created_at=now, expires_at=expires_at))

    def session_user(self, secret_sha256: str, now: datetime) -> User | None:
        with self.session_factory() as session:
            row = session.execute(
                select(users).select_from(web_sessions.join(users, users.c.id == web_sessions.c.user_id))
                .where(web_sessions.c.secret_sha256 == secret_sha256, web_sessions.c.expires_at > now)).one_or_none()
            return _user(row) if row else None

    def end_session(self, secret_sha256: str) -> None:
        with self.session_factory() as session, session.begin():
            session.execute(delete(web_sessions).where(web_sessions.c.secret_sha256 == secret_sha256))

    def end_sessions(self, user_id: int) -> int:
        with self.session_factory() as session, session.begin():
            return int(session.execute(delete(web_sessions).where(web_sessions.c.user_id == user_id)).rowcount)

    def add_token(self, user_id: int, token_sha256: str, now: datetime, expires_at: datetime | None = None) -> int:
        with self.session_factory() as session, session.begin():
            return int(session.execute(insert(api_tokens).values(
                user_id=user_id, token_sha256=token_sha256, created_at=now, expires_at=expires_at)
                .returning(api_tokens.c.id)).scalar_one())

    def tokens(self, user_id: int) -> list[ApiToken]:
        with self.session_factory() as session:
            rows = session.execute(select(api_tokens).where(api_tokens.c.user_id == user_id)
                                   .order_by(api_tokens.c.id))
            return [_token(r) for r in rows]

    def revoke_tokens(self, user_id: int, now: datetime, token_id: int | None = None) -> int:
        """Revoke one token of the user (or all); returns how many were still unrevoked."""
        t = api_tokens.c
        where = [t.user_id == user_id, t.revoked_at.is_(None)] + ([t.id == token_id] if token_id is not None else [])
        with self.session_factory() as session, session.begin():
            return int(session.execute(update(api_tokens).where(*where).values(revoked_at=now)).rowcount)

    def user_for_token(self, token_sha256: str, now: datetime) -> User | None:
        t = api_tokens.c
        with self.session_factory() as session:
            row = session.execute(
                select(users, t.id.label("token_id"), t.last_used)
                .select_from(api_tokens.join(users, users.c.id == t.user_id))
                .where(t.token_sha256 == token_sha256, t.revoked_at.is_(None),
                       or_(t.expires_at.is_(None), t.expires_at > now))).one_or_none()
            if row is None:
                return None
            user = _user(row)
            if row.last_used is None or now - row.last_used >= TOUCH_EVERY:
                session.rollback()  # end the read before the write, so the write is its own short transaction
                touch_best_effort(session, update(api_tokens).where(t.id == row.token_id).values(last_used=now))
            return user


@dataclass
class _FakeToken:
    user_id: int
    info: ApiToken


class FakeCredentials:
    """Sessions and tokens in memory (mixed into `FakeAccountStore`)."""

    def __init__(self) -> None:
        self._sessions: dict[str, tuple[int, datetime]] = {}
        self._tokens: dict[str, _FakeToken] = {}

    def get(self, user_id: int) -> tuple[User, str] | None:
        raise NotImplementedError  # the account store that mixes this in (FakeAccountStore) knows the users

    def _user_of(self, user_id: int) -> User | None:
        found = self.get(user_id)
        return found[0] if found else None

    def _credentials(self) -> tuple[dict[str, tuple[int, datetime]], dict[str, _FakeToken]]:
        return self._sessions, self._tokens

    @property
    def tokens_by_digest(self) -> dict[str, _FakeToken]:
        return self._credentials()[1]

    def start_session(self, user_id: int, secret_sha256: str, now: datetime, expires_at: datetime) -> None:
        self._credentials()[0][secret_sha256] = (user_id, expires_at)

    def session_user(self, secret_sha256: str, now: datetime) -> User | None:
        user_id, expires_at = self._credentials()[0].get(secret_sha256, (0, now))
        return self._user_of(user_id) if expires_at > now else None

    def end_session(self, secret_sha256: str) -> None:
        self._credentials()[0].pop(secret_sha256, None)

    def end_sessions(self, user_id: int) -> int:
        sessions = self._credentials()[0]
        gone = [k for k, (uid, _) in sessions.items() if uid == user_id]
        for k in gone:
            del sessions[k]
        return len(gone)

    def add_token(self, user_id: int, token_sha256: str, now: datetime, expires_at: datetime | None = None) -> int:
        tokens = self._credentials()[1]
        tokens[token_sha256] = _FakeToken(user_id, ApiToken(len(tokens) + 1, now, None, expires_at))
        return len(tokens)

    def tokens(self, user_id: int) -> list[ApiToken]:
        return sorted((t.info for t in self._credentials()[1].values() if t.user_id == user_id), key=lambda i: i.id)

    def revoke_tokens(self, user_id: int, now: datetime, token_id: int | None = None) -> int:
        count = 0
        for t in self._credentials()[1].values():
            if t.user_id == user_id and t.info.revoked_at is None and token_id in (None, t.info.id):
                t.info = ApiToken(t.info.id, t.info.created_at, t.info.last_used, t.info.expires_at, now)
                count += 1
        return count

    def user_for_token(self, token_sha256: str, now: datetime) -> User | None:
        t = self._credentials()[1].get(token_sha256)
        if t is None or t.info.status(now) != "active":
            return None
        t.info = ApiToken(t.info.id, t.info.created_at, now, t.info.expires_at, t.info.revoked_at)
        return self._user_of(t.user_id)
