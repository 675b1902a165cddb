"""digital signatures: each version keeps its signed revisions; a sign-off names the signing certificate;
registration numbers of partners and the partnership's own legal entity

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agreement_versions") as batch:
        batch.add_column(sa.Column("revisions", sa.JSON(), nullable=True))
    with op.batch_alter_table("signoffs") as batch:
        batch.add_column(sa.Column("certificate", sa.Text(), nullable=True))
    with op.batch_alter_table("partners") as batch:
        batch.add_column(sa.Column("registration_number", sa.String(length=40), nullable=True))
    with op.batch_alter_table("partnerships") as batch:
        batch.add_column(sa.Column("entity_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("entity_registration", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("partnerships") as batch:
        batch.drop_column("entity_registration")
        batch.drop_column("entity_name")
    with op.batch_alter_table("partners") as batch:
        batch.drop_column("registration_number")
    with op.batch_alter_table("signoffs") as batch:
        batch.drop_column("certificate")
    with op.batch_alter_table("agreement_versions") as batch:
        batch.drop_column("revisions")
