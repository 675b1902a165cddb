"""covering indexes for the portfolio's health, read in SQL

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # check-ins due in a window per partnership, with what says whether each was held: read from the index alone
    op.create_index("ix_checkins_partnership_due_status_held_on", "checkins",
                    ["partnership_id", "due", "status", "held_on"])
    # the effort log summed per partnership and obligation in index order (no sort), the hours from the index
    op.create_index("ix_effort_log_partnership_obligation_checkin_hours", "effort_log",
                    ["partnership_id", "obligation_key", "checkin_id", "hours"])


def downgrade() -> None:
    op.drop_index("ix_effort_log_partnership_obligation_checkin_hours", table_name="effort_log")
    op.drop_index("ix_checkins_partnership_due_status_held_on", table_name="checkins")
