"""the chain head is guarded like the entries; entries are appended only at the end; the outbox records a hand-off

Revision ID: 0007
Revises: 0006

The head (`audit_chain_head`) cannot be deleted, inserted or truncated, and an UPDATE may only advance it to the
last stored entry over a contiguous run of new entries that starts after the old head. A new entry must take the
next number and name the last entry's hash as its predecessor. So a plain SQL statement can no longer blind
`audit verify` (a deleted or rewound head) or leave the trail unwritable (an entry inserted with a gap).

The outbox gains `handed_at` (a message was handed to the mail transport; if the sender dies before it is marked
sent, the message is `uncertain`, not resent) and `pruned_at` (the text and recipients of an old sent message
were removed; the row and its key stay, so a rerun of an old day queues nothing again). Partnerships gain the
check-ins' time, length and location (`checkins.time`, `minutes`, `location` in the spec) for the invitation.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

HEAD_MESSAGE = "the audit chain head only advances with the entries appended after it"
APPEND_MESSAGE = "the audit trail is append-only: a new entry must follow the last entry"
GENESIS = "0" * 64

# A head UPDATE is allowed only when it moves forward to the last entry over a contiguous run chained to the old head.
_ADVANCE_REFUSED = """NEW.id <> OLD.id OR NEW.seq <= OLD.seq
    OR NEW.seq <> (SELECT coalesce(max(seq), 0) FROM audit_entries)
    OR NOT EXISTS (SELECT 1 FROM audit_entries WHERE seq = NEW.seq AND hash = NEW.hash)
    OR (SELECT count(*) FROM audit_entries WHERE seq > OLD.seq AND seq <= NEW.seq) <> NEW.seq - OLD.seq
    OR NOT EXISTS (SELECT 1 FROM audit_entries WHERE seq = OLD.seq + 1 AND prev_hash = OLD.hash)"""
_APPEND_REFUSED = f"""NEW.seq <> (SELECT coalesce(max(seq), 0) + 1 FROM audit_entries)
    OR NEW.prev_hash <> coalesce((SELECT hash FROM audit_entries ORDER BY seq DESC LIMIT 1), '{GENESIS}')"""


def upgrade() -> None:
    op.add_column("outbox", sa.Column("handed_at", sa.DateTime(), nullable=True))
    op.add_column("outbox", sa.Column("pruned_at", sa.DateTime(), nullable=True))
    op.add_column("partnerships", sa.Column("checkin_time", sa.String(length=5), nullable=True))
    op.add_column("partnerships", sa.Column("checkin_minutes", sa.Integer(), nullable=True))
    op.add_column("partnerships", sa.Column("checkin_location", sa.String(length=300), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION audit_chain_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'UPDATE' THEN
                    RAISE EXCEPTION '{HEAD_MESSAGE}' USING ERRCODE = 'restrict_violation';
                END IF;
                IF {_ADVANCE_REFUSED} THEN
                    RAISE EXCEPTION '{HEAD_MESSAGE}' USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("CREATE TRIGGER audit_chain_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_head "
                   "FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard()")
        op.execute("CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_guard()")
        op.execute(f"""
            CREATE FUNCTION audit_entries_append_at_end() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {_APPEND_REFUSED} THEN
                    RAISE EXCEPTION '{APPEND_MESSAGE}' USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("CREATE TRIGGER audit_entries_append_at_end BEFORE INSERT ON audit_entries "
                   "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_at_end()")
    else:
        for action in ("INSERT", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_chain_head_no_{action.lower()} BEFORE {action} ON audit_chain_head "
                       f"BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END")
        op.execute(f"CREATE TRIGGER audit_chain_head_advance_only BEFORE UPDATE ON audit_chain_head "
                   f"WHEN {_ADVANCE_REFUSED} BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END")
        op.execute(f"CREATE TRIGGER audit_entries_append_at_end BEFORE INSERT ON audit_entries "
                   f"WHEN {_APPEND_REFUSED} BEGIN SELECT RAISE(ABORT, '{APPEND_MESSAGE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_at_end ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_at_end()")
        op.execute("DROP TRIGGER IF EXISTS audit_chain_head_no_truncate ON audit_chain_head")
        op.execute("DROP TRIGGER IF EXISTS audit_chain_head_guard ON audit_chain_head")
        op.execute("DROP FUNCTION IF EXISTS audit_chain_head_guard()")
    else:
        for name in ("audit_entries_append_at_end", "audit_chain_head_advance_only", "audit_chain_head_no_insert",
                     "audit_chain_head_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("partnerships") as batch:
        batch.drop_column("checkin_location")
        batch.drop_column("checkin_minutes")
        batch.drop_column("checkin_time")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("pruned_at")
        batch.drop_column("handed_at")
