"""partners act themselves: on-behalf-of in the audit trail, rejected admissions, goal withdrawal proposals,
why a version is a draft, and progress records kept by partners between check-ins

Revision ID: 0009
Revises: 0008

New columns are nullable or have a server default, so existing rows (and the audit chain) stay as they were;
an audit entry without `on_behalf_of` hashes exactly as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime()


def upgrade() -> None:
    with op.batch_alter_table("audit_entries") as t:  # ADD COLUMN only: the append-only triggers stay
        t.add_column(sa.Column("on_behalf_of", sa.String(length=80), nullable=True))
    with op.batch_alter_table("admissions") as t:
        t.add_column(sa.Column("rejected_by", sa.String(length=80), nullable=True))
        t.add_column(sa.Column("rejection_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("goals") as t:
        t.add_column(sa.Column("withdrawal_proposals", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("agreement_versions") as t:
        t.add_column(sa.Column("draft_reasons", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "progress_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("obligation_key", sa.String(length=80), nullable=False),
        sa.Column("partner_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("hours", sa.String(length=40), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=80), nullable=True),
        sa.Column("recorded_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"], ondelete="CASCADE",
                                name=op.f("fk_progress_records_partnership_id_partnerships")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_records")),
    )
    op.create_index("ix_progress_records_partnership_id", "progress_records", ["partnership_id"])


def downgrade() -> None:
    op.drop_index("ix_progress_records_partnership_id", table_name="progress_records")
    op.drop_table("progress_records")
    with op.batch_alter_table("agreement_versions") as t:
        t.drop_column("draft_reasons")
    with op.batch_alter_table("goals") as t:
        t.drop_column("withdrawal_proposals")
    with op.batch_alter_table("admissions") as t:
        t.drop_column("rejection_reason")
        t.drop_column("rejected_by")
