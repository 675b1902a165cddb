"""Migrations: the recorded head matches Alembic's, and the migrated schema matches the tables in code."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from pppflow.adapters.database import SCHEMA_HEAD, alembic_config, make_engine
from pppflow.adapters.orm import metadata


def test_schema_head_constant_is_alembics_head(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert ScriptDirectory.from_config(alembic_config(engine)).get_heads() == [SCHEMA_HEAD]


def test_migrated_schema_matches_the_code(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        conn = uow.session.connection()
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
