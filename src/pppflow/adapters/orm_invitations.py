"""Tables of invitations and evidence files.

An invitation is a one-time link for a new (disabled) user: only the SHA-256 of its token is stored. An evidence
file is a content-addressed file (named by its SHA-256 in the document store) attached to an obligation.
Imported at the bottom of `orm.py`, so that Alembic sees these tables.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from pppflow.adapters.orm import UTCDateTime, metadata

invitations = Table(
    "invitations", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("email", String(254), nullable=False),
    Column("name", String(200)),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("invited_by", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
)

evidence_files = Table(
    "evidence_files", metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False),
    Column("obligation", String(80), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("filename", String(200), nullable=False),
    Column("media_type", String(40), nullable=False),
    Column("size", Integer, nullable=False),
    Column("attached_by", String(200), nullable=False),
    Column("attached_at", UTCDateTime, nullable=False),
    UniqueConstraint("partnership_id", "obligation", "sha256", name="uq_evidence_files_obligation_sha256"),
    Index("ix_evidence_files_sha256", "sha256"),
)
