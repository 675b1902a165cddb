"""What a user must never read: Python reprs, pydantic's default English, a CLI command in the web app."""

from __future__ import annotations

import re

NEVER = [r"datetime\.date\(", r"Decimal\(", r"<unicode string>", r"Input should be", r"Field required",
         r"Keys should be strings", r"Value error,", r"Traceback", r"constrained-str", r"list\[",
         r"is blocked in stage '"]
NEVER_ON_THE_WEB = [*NEVER, r"`pppflow ", r"\bpppflow (partnership|agreement|obligation|user|partner|checkin|ledger|"
                                       r"audit|maturity|outbox)\b", r"(?<![\w-])--[a-z]", r"now in stage [a-z_]+\b",
                    r"in stage [a-z]+_[a-z_]+\b"]


def not_in_users_words(text: str, *, web: bool = False) -> list[str]:
    """The forbidden patterns found in what a user reads."""
    return [p for p in (NEVER_ON_THE_WEB if web else NEVER) if re.search(p, text)]
