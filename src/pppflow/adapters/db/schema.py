"""Every table of pppflow, on one `metadata`: the Partnership aggregate, the audit trail, the schedule (check-ins,
effort log, outbox), accounts, partners' records, invitations and evidence files, the ledger and maturity rounds.

Alembic's migrations are compared against this module; `mapping.py` maps the domain classes onto its tables."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s",
})


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class DecimalText(TypeDecorator[Decimal]):
    """Exact decimals stored as text, the same on SQLite and PostgreSQL."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


def _child(name: str, *columns: Column[Any], unique: tuple[str, ...] = ()) -> Table:
    args: list[Any] = [
        Column("id", Integer, primary_key=True),
        Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False, index=True),
        *columns,
    ]
    if unique:
        args.append(UniqueConstraint("partnership_id", *unique))
    return Table(name, metadata, *args)


partnerships = Table(
    "partnerships", metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(80), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("workflow", String(80), nullable=False),
    Column("stage", String(80), nullable=False, index=True),
    Column("return_stage", String(80)),
    Column("building_block", String(40)),
    Column("region", String(200)),
    Column("legal_form", String(40), nullable=False),
    Column("entity_name", String(200)), Column("entity_registration", String(40)),
    Column("governing_language", String(8)),  # the spec's agreement.governing_language; NULL: `language` governs
    Column("language", String(8), nullable=False),
    Column("coordinator_name", String(200), nullable=False),
    Column("coordinator_email", String(320), nullable=False),
    Column("checkin_cadence", String(200)),
    Column("checkin_first", Date),
    Column("checkin_time", String(5)),
    Column("checkin_minutes", Integer),
    Column("checkin_location", String(300)),
    Column("remind_days_before", Integer, nullable=False),
    Column("grace_days", Integer, nullable=False),
    Column("term_start", Date),
    Column("term_months", Integer),
    Column("term_notice_days", Integer, nullable=False),
    Column("term_renewal", String(20), nullable=False),
    Column("term_renewal_months", Integer),  # a renewal extends the term by this (None: the term's length)
    Column("agreement_epoch", Integer, nullable=False, server_default="0"),
    Column("rates", JSON),
    Column("funding", JSON),
    Column("committed_cents", BigInteger),
    Column("realised_cents", BigInteger, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime),
    Column("updated_at", UTCDateTime),
    Column("version", Integer, nullable=False),
)

partners = _child(
    "partners", Column("key", String(80), nullable=False), Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False), Column("contact_name", String(200), nullable=False),
    Column("contact_email", String(320), nullable=False), Column("signatory_name", String(200), nullable=False),
    Column("signatory_title", String(200), nullable=False), Column("address", Text),
    Column("registration_number", String(40)), unique=("key",))

goals = _child(
    "goals", Column("key", String(80), nullable=False), Column("statement", Text, nullable=False),
    Column("indicators", JSON, nullable=False), Column("target_date", Date),
    Column("owners", JSON, nullable=False), Column("agreed_by", JSON, nullable=False),
    Column("withdrawal_proposals", JSON, nullable=False, server_default="[]"), unique=("key",))

responsibilities = _child(
    "responsibilities", Column("partner_key", String(80), nullable=False), Column("role", Text, nullable=False))

channels = _child(
    "channels", Column("kind", String(80), nullable=False), Column("description", Text, nullable=False))

obligations = _child(
    "obligations", Column("key", String(80), nullable=False), Column("title", Text, nullable=False),
    Column("owner", String(80), nullable=False), Column("type", String(20), nullable=False),
    Column("phase", String(20), nullable=False), Column("due", Date, index=True),
    Column("acceptance_criteria", Text), Column("payment_amount", DecimalText),
    Column("payment_currency", String(3)), Column("quality_guarantee", Text), Column("effort", Text),
    Column("status", String(20), nullable=False, index=True), Column("evidence", Text), unique=("key",))

contributions = _child(
    "contributions", Column("partner_key", String(80), nullable=False), Column("kind", String(40), nullable=False),
    Column("phase", String(20), nullable=False), Column("amount", DecimalText, nullable=False),
    Column("unit", String(80), nullable=False), Column("description", Text, nullable=False))

signoffs = _child(
    "signoffs", Column("partner_key", String(80), nullable=False),
    Column("signatory_name", String(200), nullable=False), Column("signatory_title", String(200), nullable=False),
    Column("signed_at", UTCDateTime, nullable=False), Column("method", String(40), nullable=False),
    Column("agreement_version", Integer), Column("document_hash", String(64)), Column("certificate", Text))

admissions = _child(
    "admissions", Column("candidate_key", String(80), nullable=False), Column("candidate", JSON, nullable=False),
    Column("requested_at", UTCDateTime, nullable=False), Column("requested_by", String(200), nullable=False),
    Column("responsibility", Text), Column("approvals", JSON, nullable=False),
    Column("status", String(20), nullable=False), Column("decided_at", UTCDateTime),
    Column("rejected_by", String(80)), Column("rejection_reason", Text))

agreement_versions = _child(
    "agreement_versions", Column("number", Integer, nullable=False), Column("stage", String(80), nullable=False),
    Column("language", String(8), nullable=False), Column("template_name", String(200), nullable=False),
    Column("template_hash", String(64), nullable=False), Column("content_hash", String(64), nullable=False),
    Column("agreement_epoch", Integer, nullable=False), Column("html_sha256", String(64), nullable=False),
    Column("pdf_sha256", String(64), nullable=False, index=True), Column("document_path", Text, nullable=False),
    Column("created_by", String(200), nullable=False), Column("created_at", UTCDateTime, nullable=False),
    Column("snapshot", JSON, nullable=False), Column("status", String(20), nullable=False),
    Column("signed_pdf_sha256", String(64), index=True), Column("signed_document_path", Text),
    Column("draft_reasons", JSON, nullable=False, server_default="[]"), Column("revisions", JSON),
    Column("translation_of", Integer),  # a courtesy translation names its original (never signed itself)
    unique=("number",))

audit_entries = Table(
    "audit_entries", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("partnership_ref", String(80), nullable=False, index=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(80), nullable=False),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Column("reason", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("on_behalf_of", String(80)),  # the partner a coordinator acted for; NULL when nobody was represented
)

# One row: the last link of the chain. Appending locks it (SELECT ... FOR UPDATE), so links never fork.
audit_chain_head = Table(
    "audit_chain_head", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)


# --- Tables of the schedule: dated check-ins, the effort log, the term ends, and the outbox of reminder mail.

def _partnership_id(*, index: bool = False) -> Column[int]:
    return Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False, index=index)


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
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table).on_conflict_do_nothing(index_elements=index_elements)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing(index_elements=index_elements)


# --- Tables of the accounts: users of the web app, their API tokens (only the tokens' SHA-256 is stored), and

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


# --- The table of progress records: effort-log entries and result evidence a partner keeps between check-ins.

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


# --- Tables of invitations and evidence files.

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


# --- The contribution ledger's table: append-only rows (database triggers refuse UPDATE and DELETE).

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

# Evidence files attached to ledger entries (the files are in the document store by SHA-256); append-only like
# the entries (migration 0017's triggers): attaching is an added row, never an edit of the entry.
ledger_evidence_files = Table(
    "ledger_evidence_files", metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False),
    Column("entry_id", ForeignKey("ledger_entries.id"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("filename", String(200), nullable=False),
    Column("media_type", String(40), nullable=False),
    Column("size", Integer, nullable=False),
    Column("attached_by", String(200), nullable=False),
    Column("attached_as", String(20), nullable=False),
    Column("attached_at", UTCDateTime, nullable=False),
    UniqueConstraint("entry_id", "sha256", name="uq_ledger_evidence_files_entry_sha256"),
    Index("ix_ledger_evidence_files_partnership_id", "partnership_id"),
    Index("ix_ledger_evidence_files_sha256", "sha256"),
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


# --- The maturity rounds table: one row per partner's round, kept whole (answers as JSON), never updated.

maturity_rounds = Table(
    "maturity_rounds", metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),            # 1, 2, ... per partnership
    Column("partner_key", String(80), nullable=False),
    Column("framework", String(80), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("level_percent", Integer, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("on_behalf_of", String(80)),                    # set when a coordinator recorded a partner's round
    Column("recorded_at", UTCDateTime, nullable=False),
    UniqueConstraint("partnership_id", "number"),
    Index("ix_maturity_rounds_partnership_partner", "partnership_id", "partner_key", "number"),
)


# --- The dashboard's indexes (migration 0004): partnerships per lifecycle and stage counted from the index
# alone; the open check-ins of a date window with their partnership, without reading the check-in rows.
Index("ix_partnerships_workflow_stage", partnerships.c.workflow, partnerships.c.stage)
Index("ix_checkins_status_due_partnership", checkins.c.status, checkins.c.due, checkins.c.partnership_id)


# --- The portfolio health's indexes (migration 0016): each partnership's check-ins in a date window with their
# status and held date, and its effort log per obligation with the hours, both read from the index alone.
Index("ix_checkins_partnership_due_status_held_on", checkins.c.partnership_id, checkins.c.due, checkins.c.status,
      checkins.c.held_on)
Index("ix_effort_log_partnership_obligation_checkin_hours", effort_log.c.partnership_id, effort_log.c.obligation_key,
      effort_log.c.checkin_id, effort_log.c.hours)
# The portfolio ledger page (migration 0016): a page of partnerships in the order asked for, read from an index.
for _column in ("name", "stage", "committed_cents", "realised_cents"):
    Index(f"ix_partnerships_{_column}_ref", partnerships.c[_column], partnerships.c.ref)
del _column
