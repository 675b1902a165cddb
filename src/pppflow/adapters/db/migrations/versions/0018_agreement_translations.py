"""bilingual agreements and courtesy translations: a version names the original it translates; a partnership may
name the agreement's governing language

Revision ID: 0018
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agreement_versions") as batch:
        batch.add_column(sa.Column("translation_of", sa.Integer(), nullable=True))
    with op.batch_alter_table("partnerships") as batch:
        batch.add_column(sa.Column("governing_language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("partnerships") as batch:
        batch.drop_column("governing_language")
    with op.batch_alter_table("agreement_versions") as batch:
        batch.drop_column("translation_of")
