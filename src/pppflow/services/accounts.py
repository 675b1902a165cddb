"""Accounts: add, list, disable, log in (throttled), API tokens. Passwords are hashed with argon2; tokens kept as
SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pppflow.adapters.accounts import AccountStore, user_not_found
from pppflow.domain.accounts import User, check_new_account, check_password, require_valid
from pppflow.domain.login_throttle import LOGIN_LIMITS, LoginLimits, login_key, lockout
from pppflow.errors import NotAllowed, TooManyAttempts

TOKEN_PREFIX = "ppp_"
_hasher = PasswordHasher()
# Verified against when the username is unknown, so a login takes as long whether or not the user exists.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def generated_password() -> str:
    """A random password for a new account, to be shown once."""
    return secrets.token_urlsafe(15)


def add_user(username: str, role: str, password: str, *, accounts: AccountStore, now: datetime,
             partner_organisation: str | None = None) -> User:
    """Create an account; BadInput lists every problem by field."""
    username = username.strip().lower()
    organisation = (partner_organisation or "").strip() or None
    require_valid(check_new_account(username, role, organisation, password), "account")
    return accounts.add(username, hash_password(password), role, organisation, now)


def list_users(*, accounts: AccountStore) -> list[User]:
    return accounts.list()


def disable_user(username: str, *, accounts: AccountStore, by: str | None = None) -> User:
    """Refuse every later login, session and token of the user; nobody disables their own account."""
    username = username.strip().lower()
    if by is not None and username == by:
        raise NotAllowed("you cannot disable your own account", details=["ask another administrator"])
    return accounts.set_disabled(username, True)


def enable_user(username: str, *, accounts: AccountStore) -> User:
    return accounts.set_disabled(username.strip().lower(), False)


def set_password(username: str, password: str, *, accounts: AccountStore) -> User:
    require_valid(check_password(password), "password")
    return accounts.set_password(username.strip().lower(), hash_password(password))


def login(username: str, password: str, *, accounts: AccountStore) -> tuple[User, str] | None:
    """The enabled user with this name and password and its session fingerprint; None, never saying why."""
    found = accounts.find(username.strip().lower())
    hashed = found[1] if found else _DUMMY_HASH
    try:
        _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
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
    """A short digest of the stored hash: sessions carry it, so changing a password ends them."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def session_user(user_id: int, expected_fingerprint: str, *, accounts: AccountStore) -> User | None:
    """The enabled user of a session, if the password has not changed since it began."""
    found = accounts.get(user_id)
    if found is None or found[0].disabled or fingerprint(found[1]) != expected_fingerprint:
        return None
    return found[0]


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(username: str, *, accounts: AccountStore, now: datetime) -> str:
    """A new API token for the user; only its SHA-256 is stored, so it is shown once."""
    found = accounts.find(username.strip().lower())
    if found is None:
        raise user_not_found(username)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    accounts.add_token(found[0].id, token_digest(token), now)
    return token


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
