"""The rule that throttles guessing passwords: too many failed logins lock a username, or an address, for a while.

Pure: callers pass the failures they found and `now`. A username (case-insensitive) with `per_username` failures
within the `window`, or an address with `per_address`, is locked until the oldest of those failures leaves the
window. Attempts refused while locked are not failures, so a lock ends on time however often someone knocks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_USERNAME = 64  # longer names cannot belong to an account; their failures are kept under the first 64 characters


@dataclass(frozen=True)
class LoginLimits:
    per_username: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


LOGIN_LIMITS = LoginLimits()


@dataclass(frozen=True)
class Lockout:
    """Logins are refused until `until`; `scope` says whether the username or the address is locked."""

    scope: str  # username | address
    until: datetime

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the lock ends (at least 1): the Retry-After header."""
        return max(1, math.ceil((self.until - now).total_seconds()))

    def message(self, now: datetime) -> str:
        minutes = math.ceil(self.retry_after(now) / 60)
        whom = "this username" if self.scope == "username" else "your address"
        return (f"Too many failed logins for {whom}: try again after {self.until:%-d %b %Y, %H:%M} UTC "
                f"(in {minutes} minute{'s' if minutes != 1 else ''}).")


def login_key(username: str) -> str:
    """The name failures are counted under: case and surrounding spaces do not make another username."""
    return username.strip().lower()[:MAX_USERNAME]


def lock_end(failures: Iterable[datetime], now: datetime, limit: int, window: timedelta) -> datetime | None:
    """When a lock on these failures ends, or None when `limit` failures within the window are not reached."""
    recent = sorted(t for t in failures if now - window < t <= now)
    if len(recent) < limit:
        return None
    return recent[-limit] + window


def lockout(username_failures: Iterable[datetime], address_failures: Iterable[datetime], now: datetime,
            limits: LoginLimits = LOGIN_LIMITS) -> Lockout | None:
    """The lock an attempt meets now, the later-ending one if both the username and the address are locked."""
    locks = [Lockout(scope, end) for scope, end in (
        ("username", lock_end(username_failures, now, limits.per_username, limits.window)),
        ("address", lock_end(address_failures, now, limits.per_address, limits.window))) if end is not None]
    return max(locks, key=lambda lock: lock.until) if locks else None
