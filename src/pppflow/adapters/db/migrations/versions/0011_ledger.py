"""the contribution ledger (append-only: UPDATE and DELETE refused by triggers), and the spec's rates and funding

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

MESSAGE = "the contribution ledger is append-only: entries cannot be changed or deleted (correct with a reversal)"


def upgrade() -> None:
    op.add_column("partnerships", sa.Column("rates", sa.JSON(), nullable=True))
    op.add_column("partnerships", sa.Column("funding", sa.JSON(), nullable=True))
    op.add_column("partnerships", sa.Column("committed_cents", sa.BigInteger(), nullable=True))
    op.add_column("partnerships", sa.Column("realised_cents", sa.BigInteger(), nullable=False, server_default="0"))
    _backfill_committed()
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("partner_key", sa.String(length=80), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("value_cents", sa.BigInteger(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_as", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("corrects", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("effort_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"], ondelete="CASCADE",
                                name=op.f("fk_ledger_entries_partnership_id_partnerships")),
        sa.ForeignKeyConstraint(["corrects"], ["ledger_entries.id"],
                                name=op.f("fk_ledger_entries_corrects_ledger_entries")),
        sa.ForeignKeyConstraint(["effort_id"], ["effort_log.id"], name=op.f("fk_ledger_entries_effort_id_effort_log")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("corrects", name=op.f("uq_ledger_entries_corrects")),
        sa.UniqueConstraint("effort_id", name=op.f("uq_ledger_entries_effort_id")),
    )
    op.create_index("ix_ledger_entries_partnership_id_value_cents", "ledger_entries",
                    ["partnership_id", "value_cents"])
    op.create_table(
        "funder_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("document_path", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"], ondelete="CASCADE",
                                name=op.f("fk_funder_reports_partnership_id_partnerships")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funder_reports")),
        sa.UniqueConstraint("partnership_id", "number", name=op.f("uq_funder_reports_partnership_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END $$""")
        op.execute("CREATE TRIGGER ledger_entries_no_change BEFORE UPDATE OR DELETE ON ledger_entries "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()")
        op.execute("CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()")
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER ledger_entries_no_{action.lower()} BEFORE {action} ON ledger_entries "
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def _backfill_committed() -> None:
    """Partnerships imported before: their commitments in EUR (no rate table existed), exactly, in cents."""
    from decimal import Decimal

    bind = op.get_bind()
    p = sa.table("partnerships", sa.column("id", sa.Integer), sa.column("term_months", sa.Integer),
                 sa.column("committed_cents", sa.BigInteger))
    c = sa.table("contributions", sa.column("partnership_id", sa.Integer), sa.column("amount", sa.String),
                 sa.column("unit", sa.String))
    months: dict[int, int | None] = dict(bind.execute(sa.select(p.c.id, p.c.term_months)).tuples().all())
    totals: dict[int, Decimal] = {pid: Decimal(0) for pid in months}
    for pid, amount, unit in bind.execute(sa.select(c.c.partnership_id, c.c.amount, c.c.unit)):
        words = unit.strip().lower()
        if words == "eur":
            totals[pid] += Decimal(amount)
        elif words == "eur per year":
            totals[pid] += Decimal(amount) * Decimal(months[pid] or 12) / 12
    for pid, total in totals.items():
        bind.execute(sa.update(p).where(p.c.id == pid).values(committed_cents=int((total * 100).quantize(Decimal(1)))))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_entries_no_truncate ON ledger_entries")
        op.execute("DROP TRIGGER IF EXISTS ledger_entries_no_change ON ledger_entries")
        op.execute("DROP FUNCTION IF EXISTS ledger_entries_append_only()")
    op.drop_table("funder_reports")
    op.drop_index("ix_ledger_entries_partnership_id_value_cents", table_name="ledger_entries")
    op.drop_table("ledger_entries")
    with op.batch_alter_table("partnerships") as batch:
        batch.drop_column("realised_cents")
        batch.drop_column("committed_cents")
        batch.drop_column("funding")
        batch.drop_column("rates")
