"""People who use pppflow through the web app and the API: roles, what each may do, and what a partner sees.

A partner user belongs to one organisation, named by its partner key (the `key` of a partner in the
pppflow/v1 spec, e.g. `noorderpoort`). That user sees a partnership only when a partner with that key is a
party to it; every other partnership does not exist for them (not found, rather than forbidden).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pppflow.errors import BadInput


class Role(StrEnum):
    ADMIN = "admin"              # manages users; may do everything
    COORDINATOR = "coordinator"  # imports, edits, advances, goals, obligations, check-ins
    LEGAL = "legal"              # agreements, sign-offs, verification
    VIEWER = "viewer"            # reads
    PARTNER = "partner"          # reads, and answers for its own organisation in, the partnerships it is party to


class Permission(StrEnum):
    READ = "read"
    COORDINATE = "coordinate"
    LEGAL = "legal"
    ADMINISTER = "administer"
    PARTICIPATE = "participate"  # answer for a partner: its own (partner user) or on behalf of one (coordinator)


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COORDINATOR: frozenset({Permission.READ, Permission.COORDINATE, Permission.PARTICIPATE}),
    Role.LEGAL: frozenset({Permission.READ, Permission.LEGAL}),
    Role.VIEWER: frozenset({Permission.READ}),
    Role.PARTNER: frozenset({Permission.READ, Permission.PARTICIPATE}),
}

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10


@dataclass(frozen=True)
class User:
    """An account; `partner_organisation` is set for partner users only."""

    id: int
    username: str
    role: str
    created_at: datetime
    partner_organisation: str | None = None
    disabled: bool = False

    def may(self, permission: Permission) -> bool:
        return not self.disabled and permission in ROLE_PERMISSIONS[Role(self.role)]

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    def sees(self, partner_keys: list[str]) -> bool:
        """Whether this user may see a partnership with these parties."""
        return not self.is_partner or self.partner_organisation in partner_keys


def check_new_account(username: str, role: str, partner_organisation: str | None, password: str) -> list[str]:
    """Every problem with a new account, by field; empty when it is fine."""
    problems = []
    if not USERNAME.match(username):
        problems.append("username: 2 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter "
                        "or digit")
    if role not in {r.value for r in Role}:
        problems.append(f"role: must be one of {', '.join(r.value for r in Role)}")
    elif role == Role.PARTNER and not partner_organisation:
        problems.append("partner_organisation: a partner user needs the partner key of its organisation")
    elif role != Role.PARTNER and partner_organisation:
        problems.append("partner_organisation: only partner users belong to a partner organisation")
    problems += check_password(password)
    return problems


def check_password(password: str) -> list[str]:
    if len(password) < MIN_PASSWORD:
        return [f"password: at least {MIN_PASSWORD} characters"]
    return []


def require_valid(problems: list[str], what: str) -> None:
    if problems:
        raise BadInput(f"the {what} is invalid", details=problems)


@dataclass(frozen=True)
class ApiToken:
    """What is known of an API token besides its secret: when it was made, last used, expires or was revoked."""

    id: int
    created_at: datetime
    last_used: datetime | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None

    def status(self, now: datetime) -> str:
        """"revoked", "expired" or "active"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"
