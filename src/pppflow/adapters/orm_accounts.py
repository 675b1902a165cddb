"""Tables of the accounts: users of the web app, their API tokens (only the tokens' SHA-256 is stored), and
recent failed logins (the login throttle's memory, shared by every server process; old rows are pruned as it goes).

Imported at the bottom of `orm.py`, so that Alembic sees these tables.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, false

from pppflow.adapters.orm import UTCDateTime, metadata

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("partner_organisation", String(80)),  # a partner key; set for partner users only
    Column("disabled", Boolean, nullable=False, server_default=false()),
    Column("created_at", UTCDateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used", UTCDateTime),
)

# One row per login attempt that has not succeeded: written before the password is checked (so guesses sent in
# parallel count too), deleted when it is refused by the throttle or the username logs in.
login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),  # as typed, lower-cased: unknown names are counted too
    Column("address", String(64)),  # the client's IP address, when known
    Column("at", UTCDateTime, nullable=False),
    Index("ix_login_failures_username_at", "username", "at"),
    Index("ix_login_failures_address_at", "address", "at"),
    Index("ix_login_failures_at", "at"),
)
