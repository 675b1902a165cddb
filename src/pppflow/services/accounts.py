"""Accounts: add, list, disable, log in (throttled), API tokens. Passwords are hashed with argon2; tokens kept as
SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from pppflow.adapters.accounts import AccountStore, user_not_found
from pppflow.domain.accounts import ApiToken, User, check_new_account, check_password, require_valid
from pppflow.domain.login_throttle import LOGIN_LIMITS, LoginLimits, lockout, login_key
from pppflow.errors import BadInput, NotAllowed, NotFound, TooManyAttempts

TOKEN_PREFIX = "ppp_"
SESSION_LIFETIME = timedelta(hours=12)  # a web session ends this long after login at the latest
MAX_TOKEN_DAYS = 3650


def hash_password(password: str, *, accounts: AccountStore) -> str:
    """The password hashed with the store's hasher (argon2; tests give the store cheap parameters)."""
    return accounts.hasher.hash(password)


def generated_password() -> str:
    """A random password for a new account, to be shown once."""
    return secrets.token_urlsafe(15)


def add_user(username: str, role: str, password: str, *, accounts: AccountStore, now: datetime,
             partner_organisation: str | None = None) -> User:
    """Create an account; BadInput lists every problem by field."""
    username = username.strip().lower()
    organisation = (partner_organisation or "").strip() or None
    require_valid(check_new_account(username, role, organisation, password), "account")
    return accounts.add(username, hash_password(password, accounts=accounts), role, organisation, now)


def list_users(*, accounts: AccountStore) -> list[User]:
    return accounts.list()


def disable_user(username: str, *, accounts: AccountStore, now: datetime, by: str | None = None) -> User:
    """Refuse every later login; end every session and revoke every token for good (enabling brings none back).
    Nobody disables their own account."""
    username = username.strip().lower()
    if by is not None and username == by:
        raise NotAllowed("you cannot disable your own account", details=["ask another administrator"])
    return accounts.set_disabled(username, True, now)


def enable_user(username: str, *, accounts: AccountStore, now: datetime) -> User:
    """Allow logins again; sessions and tokens from before the disabling stay ended."""
    return accounts.set_disabled(username.strip().lower(), False, now)


def set_password(username: str, password: str, *, accounts: AccountStore, now: datetime,
                 revoke_tokens: bool = False) -> User:
    """A new password ends every web session of the user; its API tokens only with `revoke_tokens`."""
    require_valid(check_password(password), "password")
    return accounts.set_password(username.strip().lower(), hash_password(password, accounts=accounts), now,
                                 revoke_tokens=revoke_tokens)


def start_session(user: User, *, accounts: AccountStore, now: datetime) -> str:
    """Record a web session for a logged-in user; returns its secret (for the cookie; only its SHA-256 is kept)."""
    secret = secrets.token_urlsafe(32)
    accounts.start_session(user.id, token_digest(secret), now, now + SESSION_LIFETIME)
    return secret


def end_session(secret: str, *, accounts: AccountStore) -> None:
    """Log out: the session's record is deleted, so a saved copy of its cookie no longer works."""
    if secret:
        accounts.end_session(token_digest(secret))


def log_out_everywhere(username: str, *, accounts: AccountStore) -> int:
    """End every web session of the user (an administrator's "log out everywhere"); returns how many."""
    return accounts.end_sessions(_find(username, accounts).id)


def login(username: str, password: str, *, accounts: AccountStore) -> tuple[User, str] | None:
    """The enabled user with this name and password and its session fingerprint; None, never saying why."""
    found = accounts.find(username.strip().lower())
    if not accounts.hasher.verify(found[1] if found else accounts.hasher.dummy_hash, password):
        return None
    if found is None or found[0].disabled:
        return None
    return found[0], fingerprint(found[1])


def throttled_login(username: str, password: str, *, accounts: AccountStore, now: datetime,
                    address: str | None = None, limits: LoginLimits = LOGIN_LIMITS) -> tuple[User, str] | None:
    """`login`, refused with TooManyAttempts (even with the right password) while the username or the address has
    too many recent failures. The attempt is stored before the password is checked, so guesses sent in parallel
    count as well; a refused attempt is forgotten, a successful login clears the username's failures."""
    name, address = login_key(username), address[:64] if address else None
    attempt = accounts.record_login_attempt(name, address, now, prune_before=now - limits.window)
    lock = lockout(*accounts.login_failures(name, address, since=now - limits.window, before=attempt), now, limits)
    if lock is not None:
        accounts.forget_login_attempt(attempt)
        raise TooManyAttempts(lock.message(now), retry_after=lock.retry_after(now))
    found = login(username, password, accounts=accounts) if password else None
    if found is not None:
        accounts.clear_login_failures(name)
    return found


def unlock_user(username: str, *, accounts: AccountStore) -> int:
    """Forget the recent failed logins of a username (lifting its lock); returns how many there were."""
    return accounts.clear_login_failures(login_key(username))


def fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash (what `login` returns beside the user)."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def session_user(user_id: int, secret: str, *, accounts: AccountStore, now: datetime) -> User | None:
    """The enabled user of a recorded, unexpired session; None once it was ended (logout, disable, password)."""
    if not secret or len(secret) > 200:
        return None
    user = accounts.session_user(token_digest(secret), now)
    return user if user and user.id == user_id and not user.disabled else None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _find(username: str, accounts: AccountStore) -> User:
    found = accounts.find(username.strip().lower())
    if found is None:
        raise user_not_found(username)
    return found[0]


def issue_token(username: str, *, accounts: AccountStore, now: datetime, expires_in_days: int | None = None) -> str:
    """A new API token for the user, valid until revoked or for `expires_in_days`; only its SHA-256 is stored,
    so it is shown once."""
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise BadInput(f"expires_in_days: must be from 1 to {MAX_TOKEN_DAYS}, got {expires_in_days}")
    user = _find(username, accounts)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=expires_in_days) if expires_in_days is not None else None
    accounts.add_token(user.id, token_digest(token), now, expires_at)
    return token


def list_tokens(username: str, *, accounts: AccountStore) -> list[ApiToken]:
    """The user's API tokens (never their secrets), oldest first, revoked and expired ones included."""
    return accounts.tokens(_find(username, accounts).id)


def revoke_token(username: str, token_id: int, *, accounts: AccountStore, now: datetime) -> ApiToken:
    """Revoke one API token of the user at once; NotFound if the user has no token with that id."""
    user = _find(username, accounts)
    token = next((t for t in accounts.tokens(user.id) if t.id == token_id), None)
    if token is None:
        raise NotFound(f"{user.username} has no API token {token_id}", hint="list_tokens")
    if token.revoked_at is None:
        accounts.revoke_tokens(user.id, now, token_id)
    return next(t for t in accounts.tokens(user.id) if t.id == token_id)


def user_for_token(token: str, *, accounts: AccountStore, now: datetime) -> User | None:
    """The enabled user a bearer token belongs to."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    user = accounts.user_for_token(token_digest(token), now)
    return user if user and not user.disabled else None


def ensure_admin(*, accounts: AccountStore, now: datetime, username: str = "admin") -> str | None:
    """Create the first administrator if there is none; returns its generated password (shown once), else None."""
    if any(u.role == "admin" and not u.disabled for u in accounts.list()):
        return None
    password = generated_password()
    if accounts.find(username) is not None:  # a non-admin or disabled user holds the name: reset it as admin
        raise NotAllowed(f"there is no enabled administrator, and the name {username!r} is taken",
                         details=["create an account with the admin role"], hint="create_admin")
    add_user(username, "admin", password, accounts=accounts, now=now)
    return password
