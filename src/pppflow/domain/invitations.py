"""Invitations: a one-time link with which an invited person chooses a password, enabling their account.

The invited person's username is their e-mail address (lower-cased). The token is random, at least 128 bits,
and only its SHA-256 is kept; a link works once, until it expires.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pppflow.domain.accounts import Role

DEFAULT_HOURS = 72
MAX_HOURS = 24 * 30
EMAIL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
MAX_USERNAME = 64


class InvitationState(StrEnum):
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Invitation:
    """An invitation as stored: whom it is for, and whether its link still works."""

    id: int
    user_id: int
    username: str
    email: str
    name: str | None
    invited_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def state(self, now: datetime) -> InvitationState:
        if self.used_at is not None:
            return InvitationState.USED
        return InvitationState.EXPIRED if now >= self.expires_at else InvitationState.OPEN


def check_invitation(email: str, role: str, partner_organisation: str | None, expires_hours: int) -> list[str]:
    """Every problem with an invitation, by field; empty when it is fine."""
    problems = []
    if not EMAIL.match(email) or len(email) > MAX_USERNAME:
        problems.append(f"email: an e-mail address of at most {MAX_USERNAME} characters (it becomes the username)")
    if role not in {r.value for r in Role}:
        problems.append(f"role: must be one of {', '.join(r.value for r in Role)}")
    elif role == Role.PARTNER and not partner_organisation:
        problems.append("partner_organisation: a partner user needs the partner key of its organisation")
    elif role != Role.PARTNER and partner_organisation:
        problems.append("partner_organisation: only partner users belong to a partner organisation")
    if not 1 <= expires_hours <= MAX_HOURS:
        problems.append(f"expires_hours: between 1 and {MAX_HOURS} hours")
    return problems


def expiry(now: datetime, hours: int) -> datetime:
    return now + timedelta(hours=hours)


def mail_language(languages: list[str]) -> str:
    """The language most of the organisation's partnerships use; English when it has none (or on a tie with it)."""
    if not languages:
        return "en"
    counts = Counter(languages).most_common()
    best = [lang for lang, n in counts if n == counts[0][1]]
    return "en" if "en" in best else sorted(best)[0]


def may_invite(inviter: str, role: str) -> bool:
    """Administrators invite anyone; coordinators invite partner users only (no way to raise their own rights)."""
    return inviter == Role.ADMIN or (inviter == Role.COORDINATOR and role == Role.PARTNER)
