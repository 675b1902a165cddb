"""The table of progress records: effort-log entries and result evidence a partner keeps between check-ins.

Outside the Partnership aggregate, like the check-ins: a partnership collects many. Imported at the bottom
of `orm.py`, so that Alembic sees it.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text

from pppflow.adapters.orm import DecimalText, UTCDateTime, metadata

progress_records = Table(
    "progress_records", metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("obligation_key", String(80), nullable=False),
    Column("partner_key", String(80), nullable=False),
    Column("kind", String(20), nullable=False),  # "effort" or "evidence"
    Column("activities", JSON, nullable=False),
    Column("hours", DecimalText),
    Column("evidence", Text),
    Column("recorded_by", String(200), nullable=False),
    Column("on_behalf_of", String(80)),
    Column("recorded_at", UTCDateTime, nullable=False),
)
