"""A fresh, migrated database per test, on SQLite and on the PostgreSQL server at 127.0.0.1:5432."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get("PPPFLOW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_database() -> Iterator[str]:
    name = f"pppflow_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        from pppflow.adapters.database import session_factory

        session_factory.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database; pppflow migrates it on first use."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'pppflow.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def uow_factory(database_url: str):  # type: ignore[no-untyped-def]
    from pppflow.adapters.database import session_factory
    from pppflow.adapters.unit_of_work import SqlUnitOfWork

    factory = session_factory(database_url)
    yield lambda: SqlUnitOfWork(factory)
    factory.kw["bind"].dispose()
