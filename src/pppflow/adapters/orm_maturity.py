"""The maturity rounds table: one row per partner's round, kept whole (answers as JSON), never updated.

Imported at the bottom of `orm.py`, so that Alembic sees it. `level_percent` is the round's mean level as a
share of the top level, stored so that the health score reads maturity in SQL without parsing answers.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from pppflow.adapters.orm import UTCDateTime, metadata

maturity_rounds = Table(
    "maturity_rounds", metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),            # 1, 2, ... per partnership
    Column("partner_key", String(80), nullable=False),
    Column("framework", String(80), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("level_percent", Integer, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("on_behalf_of", String(80)),                    # set when a coordinator recorded a partner's round
    Column("recorded_at", UTCDateTime, nullable=False),
    UniqueConstraint("partnership_id", "number"),
    Index("ix_maturity_rounds_partnership_partner", "partnership_id", "partner_key", "number"),
)
