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
    Column("expires_at", UTCDateTime),  # None: until revoked
    Column("revoked_at", UTCDateTime),  # set by `user revoke-token`, disabling the user, or a password change if asked
)

# One row per signed-in browser: the cookie carries a random secret, the row its SHA-256. Logging out deletes the
# row; disabling the user, changing its password or "log out everywhere" delete all of the user's rows.
web_sessions = Table(
    "web_sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("secret_sha256", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
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
