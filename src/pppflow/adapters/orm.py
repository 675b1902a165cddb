"""Tables, and the imperative mapping of the plain domain classes onto them (the domain stays pure)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, Column, Date, DateTime, ForeignKey, Integer, MetaData, String, Table, Text, TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import registry, relationship

from pppflow.domain import model

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
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


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
    Column("draft_reasons", JSON, nullable=False, server_default="[]"), Column("revisions", JSON), unique=("number",))

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

mapper_registry = registry(metadata=metadata)
_started = False


def start_mappers() -> None:
    """Map the domain classes onto the tables; idempotent."""
    global _started
    if _started:
        return
    _started = True
    m = mapper_registry.map_imperatively
    children = {}
    for cls, table in ((model.Partner, partners), (model.Goal, goals), (model.Responsibility, responsibilities),
                       (model.Channel, channels), (model.Obligation, obligations),
                       (model.Contribution, contributions), (model.SignOff, signoffs),
                       (model.Admission, admissions), (model.AgreementVersion, agreement_versions)):
        m(cls, table)
        children["agreements" if table is agreement_versions else table.name] = relationship(cls, order_by=table.c.id, cascade="all, delete-orphan",
                                            lazy="selectin")
    m(model.Partnership, partnerships, version_id_col=partnerships.c.version, properties=children)


# The schedule's tables (check-ins, effort log, outbox) live in their own module; importing it here registers
# them on `metadata`, so that Alembic and `compare_metadata` see every table.
from pppflow.adapters import orm_schedule as _orm_schedule  # noqa: E402,F401
# The accounts' tables (users, API tokens) and the portfolio read model's index likewise.
from pppflow.adapters import orm_accounts as _orm_accounts  # noqa: E402,F401
from pppflow.adapters import portfolio as _portfolio  # noqa: E402,F401
# What partners record between check-ins (effort, result evidence).
from pppflow.adapters import orm_progress as _orm_progress  # noqa: E402,F401
# Invitations (one-time links for new users) and evidence files attached to obligations.
from pppflow.adapters import orm_invitations as _orm_invitations  # noqa: E402,F401
# The contribution ledger (append-only).
from pppflow.adapters import orm_ledger as _orm_ledger  # noqa: E402,F401
# Maturity self-assessment rounds.
from pppflow.adapters import orm_maturity as _orm_maturity  # noqa: E402,F401
