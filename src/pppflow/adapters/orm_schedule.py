"""Tables of the schedule: dated check-ins, the effort log, the term ends, and the outbox of reminder mail.

Check-ins stay out of the Partnership aggregate (a partnership can have hundreds): repositories read and write
them with Core statements. Imported at the bottom of `orm.py`, so that Alembic sees these tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from pppflow.adapters.orm import DecimalText, UTCDateTime, metadata, obligations, partnerships


def _partnership_id(**kw: bool) -> Column[int]:
    return Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False, **kw)


checkins = Table(
    "checkins", metadata,
    Column("id", Integer, primary_key=True),
    _partnership_id(),
    Column("due", Date, nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("held_on", Date),
    Column("notes", Text),
    Column("feedback", Text),
    Column("recorded_by", String(200)),
    Column("recorded_at", UTCDateTime),
    # also the index of a partnership's check-ins; re-entering the scheduling stage never duplicates a date
    UniqueConstraint("partnership_id", "due"),
    # what the reminder job and the agenda select: open check-ins in a date window
    Index("ix_checkins_status_due", "status", "due"),
)

effort_log = Table(
    "effort_log", metadata,
    Column("id", Integer, primary_key=True),
    _partnership_id(index=True),
    Column("checkin_id", ForeignKey("checkins.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("obligation_key", String(80), nullable=False),
    Column("activities", JSON, nullable=False),
    Column("hours", DecimalText, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
)

# One row per partnership whose check-ins were planned; renewal notices select on the end of the term.
checkin_schedules = Table(
    "checkin_schedules", metadata,
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True),
    Column("term_end", Date, index=True),
    Column("scheduled_at", UTCDateTime, nullable=False),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(400), nullable=False, unique=True),  # ReminderDue.key: a reminder is queued once
    Column("partnership_ref", String(80), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("step", String(20), nullable=False),
    Column("about", String(200), nullable=False),
    Column("send_on", Date, nullable=False),
    Column("recipients", JSON, nullable=False),
    Column("subject", Text, nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("message", Text),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("next_attempt_at", UTCDateTime),
    Column("claim_token", String(32)),
    Column("claimed_until", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("handed_at", UTCDateTime),  # handed to the mail transport; uncertain if never marked sent
    Column("pruned_at", UTCDateTime),  # text and recipients removed after the retention; the key stays
    Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
)

# The reminder job widens its date windows by the largest settings of the portfolio; these indexes make
# those maxima lookups instead of scans.
Index("ix_partnerships_remind_days_before", partnerships.c.remind_days_before)
Index("ix_partnerships_grace_days", partnerships.c.grace_days)
Index("ix_partnerships_term_notice_days", partnerships.c.term_notice_days)
# Open obligations by due date: reminders of what falls due soon or is overdue.
Index("ix_obligations_status_due", obligations.c.status, obligations.c.due)


def insert_skipping_duplicates(dialect: str, table: Table, index_elements: list[str]) -> Any:
    """`INSERT ... ON CONFLICT DO NOTHING` on PostgreSQL and SQLite: a row whose key exists is left alone."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(index_elements=index_elements)
