"""indexes for the portfolio's reads: its health (counted in SQL) and the ledger page's sort orders

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

SORTED_BY = ("name", "stage", "committed_cents", "realised_cents")


def upgrade() -> None:
    # check-ins due in a window per partnership, with what says whether each was held: read from the index alone
    op.create_index("ix_checkins_partnership_due_status_held_on", "checkins",
                    ["partnership_id", "due", "status", "held_on"])
    # the effort log summed per partnership and obligation in index order (no sort), the hours from the index
    op.create_index("ix_effort_log_partnership_obligation_checkin_hours", "effort_log",
                    ["partnership_id", "obligation_key", "checkin_id", "hours"])
    # the portfolio ledger page, sorted by any of these (then by reference): a page read in order, not a sort of all
    for column in SORTED_BY:
        op.create_index(f"ix_partnerships_{column}_ref", "partnerships", [column, "ref"])


def downgrade() -> None:
    for column in reversed(SORTED_BY):
        op.drop_index(f"ix_partnerships_{column}_ref", table_name="partnerships")
    op.drop_index("ix_effort_log_partnership_obligation_checkin_hours", table_name="effort_log")
    op.drop_index("ix_checkins_partnership_due_status_held_on", table_name="checkins")
