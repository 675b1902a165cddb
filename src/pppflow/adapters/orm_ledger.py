"""The contribution ledger's table: append-only rows (database triggers refuse UPDATE and DELETE).

Kept out of the Partnership aggregate (a partnership can have thousands of entries); the ledger repository reads
and writes it with Core statements. EUR values are whole cents (BigInteger), so SQL sums are exact everywhere;
quantities are exact decimal text. Imported at the bottom of `orm.py`, so that Alembic sees the table.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from pppflow.adapters.orm import DecimalText, UTCDateTime, metadata

ledger_entries = Table(
    "ledger_entries", metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False),
    Column("partner_key", String(80), nullable=False),
    Column("phase", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("quantity", DecimalText, nullable=False),
    Column("unit", String(20), nullable=False),
    Column("value_cents", BigInteger, nullable=False),
    Column("basis", Text, nullable=False),
    Column("entry_date", Date, nullable=False),
    Column("description", Text, nullable=False),
    Column("evidence", Text),
    Column("entered_by", String(200), nullable=False),
    Column("entered_as", String(20), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    # a correction points at the entry it reverses; UNIQUE: an entry is corrected at most once
    Column("corrects", ForeignKey("ledger_entries.id"), unique=True),
    Column("reason", Text),
    # hours booked from a check-in's effort log; UNIQUE: never counted twice
    Column("effort_id", ForeignKey("effort_log.id"), unique=True),
    # the portfolio page sums per partnership; the ledger lists a partnership's entries in order
    Index("ix_ledger_entries_partnership_id_value_cents", "partnership_id", "value_cents"),
)

# Every funder report generated: what was sent can be shown later (its file by hash in the document store).
funder_reports = Table(
    "funder_reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("language", String(8), nullable=False),
    Column("format", String(8), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("document_path", Text, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("partnership_id", "number"),
)
