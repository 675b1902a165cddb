"""check-ins, effort log, check-in schedules and the reminder outbox

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# pppflow's UTCDateTime and DecimalText store plain DATETIME and VARCHAR(40); no pppflow imports here.
UTC_DATETIME = sa.DateTime()


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"], ondelete="CASCADE",
                                name=op.f("fk_checkins_partnership_id_partnerships")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("partnership_id", "due", name=op.f("uq_checkins_partnership_id")),
    )
    op.create_index(op.f("ix_checkins_due"), "checkins", ["due"])
    op.create_index("ix_checkins_status_due", "checkins", ["status", "due"])

    op.create_table(
        "effort_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("obligation_key", sa.String(length=80), nullable=False),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("hours", sa.String(length=40), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkins.id"], ondelete="CASCADE",
                                name=op.f("fk_effort_log_checkin_id_checkins")),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"], ondelete="CASCADE",
                                name=op.f("fk_effort_log_partnership_id_partnerships")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_effort_log")),
    )
    op.create_index(op.f("ix_effort_log_checkin_id"), "effort_log", ["checkin_id"])
    op.create_index(op.f("ix_effort_log_partnership_id"), "effort_log", ["partnership_id"])

    op.create_table(
        "checkin_schedules",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("scheduled_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"], ondelete="CASCADE",
                                name=op.f("fk_checkin_schedules_partnership_id_partnerships")),
        sa.PrimaryKeyConstraint("partnership_id", name=op.f("pk_checkin_schedules")),
    )
    op.create_index(op.f("ix_checkin_schedules_term_end"), "checkin_schedules", ["term_end"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("partnership_ref", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("about", sa.String(length=200), nullable=False),
        sa.Column("send_on", sa.Date(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_until", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    op.create_index(op.f("ix_outbox_partnership_ref"), "outbox", ["partnership_ref"])
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])

    op.create_index("ix_obligations_status_due", "obligations", ["status", "due"])
    op.create_index("ix_partnerships_grace_days", "partnerships", ["grace_days"])
    op.create_index("ix_partnerships_remind_days_before", "partnerships", ["remind_days_before"])
    op.create_index("ix_partnerships_term_notice_days", "partnerships", ["term_notice_days"])


def downgrade() -> None:
    op.drop_index("ix_partnerships_term_notice_days", table_name="partnerships")
    op.drop_index("ix_partnerships_remind_days_before", table_name="partnerships")
    op.drop_index("ix_partnerships_grace_days", table_name="partnerships")
    op.drop_index("ix_obligations_status_due", table_name="obligations")
    op.drop_table("outbox")
    op.drop_table("checkin_schedules")
    op.drop_table("effort_log")
    op.drop_table("checkins")
