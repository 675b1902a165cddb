"""maturity self-assessment rounds

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime()


def upgrade() -> None:
    op.create_table(
        "maturity_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("partner_key", sa.String(length=80), nullable=False),
        sa.Column("framework", sa.String(length=80), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("level_percent", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=80), nullable=True),
        sa.Column("recorded_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"], ondelete="CASCADE",
                                name=op.f("fk_maturity_rounds_partnership_id_partnerships")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maturity_rounds")),
        sa.UniqueConstraint("partnership_id", "number", name=op.f("uq_maturity_rounds_partnership_id")),
    )
    op.create_index("ix_maturity_rounds_partnership_partner", "maturity_rounds",
                    ["partnership_id", "partner_key", "number"])


def downgrade() -> None:
    op.drop_index("ix_maturity_rounds_partnership_partner", table_name="maturity_rounds")
    op.drop_table("maturity_rounds")
