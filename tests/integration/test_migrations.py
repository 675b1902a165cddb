"""Migrations: the recorded head matches Alembic's, and the migrated schema matches the tables in code."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from pppflow.adapters.db.database import SCHEMA_HEAD, alembic_config, make_engine
from pppflow.adapters.db.schema import metadata
from servers import join_all


def test_schema_head_constant_is_alembics_head(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert ScriptDirectory.from_config(alembic_config(engine)).get_heads() == [SCHEMA_HEAD]


def test_migrated_schema_matches_the_code(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        conn = uow.session.connection()
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def _open(url: str) -> None:
    from pppflow.adapters.db.database import session_factory

    session_factory(url)


def test_two_processes_opening_a_new_database_at_once(database_url: str) -> None:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_open, args=(database_url,)) for _ in range(3)]
    for proc in procs:
        proc.start()
    assert join_all(procs) == [0, 0, 0]
