"""evidence files on ledger entries (append-only: UPDATE and DELETE refused by triggers)

Revision ID: 0017
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

MESSAGE = "evidence on the ledger is append-only: an attached file cannot be changed or removed"


def upgrade() -> None:
    op.create_table(
        "ledger_evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("attached_by", sa.String(length=200), nullable=False),
        sa.Column("attached_as", sa.String(length=20), nullable=False),
        sa.Column("attached_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"], ondelete="CASCADE",
                                name=op.f("fk_ledger_evidence_files_partnership_id_partnerships")),
        sa.ForeignKeyConstraint(["entry_id"], ["ledger_entries.id"],
                                name=op.f("fk_ledger_evidence_files_entry_id_ledger_entries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_evidence_files")),
        sa.UniqueConstraint("entry_id", "sha256", name="uq_ledger_evidence_files_entry_sha256"),
    )
    op.create_index("ix_ledger_evidence_files_partnership_id", "ledger_evidence_files", ["partnership_id"])
    op.create_index("ix_ledger_evidence_files_sha256", "ledger_evidence_files", ["sha256"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION ledger_evidence_files_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END $$""")
        op.execute("CREATE TRIGGER ledger_evidence_files_no_change BEFORE UPDATE OR DELETE ON ledger_evidence_files "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_evidence_files_append_only()")
        op.execute("CREATE TRIGGER ledger_evidence_files_no_truncate BEFORE TRUNCATE ON ledger_evidence_files "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ledger_evidence_files_append_only()")
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER ledger_evidence_files_no_{action.lower()} BEFORE {action} "
                       f"ON ledger_evidence_files BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_evidence_files_no_truncate ON ledger_evidence_files")
        op.execute("DROP TRIGGER IF EXISTS ledger_evidence_files_no_change ON ledger_evidence_files")
        op.execute("DROP FUNCTION IF EXISTS ledger_evidence_files_append_only()")
    op.drop_index("ix_ledger_evidence_files_sha256", table_name="ledger_evidence_files")
    op.drop_index("ix_ledger_evidence_files_partnership_id", table_name="ledger_evidence_files")
    op.drop_table("ledger_evidence_files")
