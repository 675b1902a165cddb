"""agreement versions, and the agreement epoch of a partnership

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("partnerships") as batch:
        batch.add_column(sa.Column("agreement_epoch", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "agreement_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=80), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("template_name", sa.String(length=200), nullable=False),
        sa.Column("template_hash", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("agreement_epoch", sa.Integer(), nullable=False),
        sa.Column("html_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("document_path", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("signed_pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("signed_document_path", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"], ondelete="CASCADE",
                                name=op.f("fk_agreement_versions_partnership_id_partnerships")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_versions")),
        sa.UniqueConstraint("partnership_id", "number", name=op.f("uq_agreement_versions_partnership_id")),
    )
    op.create_index(op.f("ix_agreement_versions_partnership_id"), "agreement_versions", ["partnership_id"])
    op.create_index(op.f("ix_agreement_versions_pdf_sha256"), "agreement_versions", ["pdf_sha256"])
    op.create_index(op.f("ix_agreement_versions_signed_pdf_sha256"), "agreement_versions", ["signed_pdf_sha256"])


def downgrade() -> None:
    op.drop_index(op.f("ix_agreement_versions_signed_pdf_sha256"), table_name="agreement_versions")
    op.drop_index(op.f("ix_agreement_versions_pdf_sha256"), table_name="agreement_versions")
    op.drop_index(op.f("ix_agreement_versions_partnership_id"), table_name="agreement_versions")
    op.drop_table("agreement_versions")
    with op.batch_alter_table("partnerships") as batch:
        batch.drop_column("agreement_epoch")
