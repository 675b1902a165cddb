"""Units of work on a fresh, migrated database per test (`database_url`: SQLite and PostgreSQL, tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def uow_factory(database_url: str):  # type: ignore[no-untyped-def]
    from pppflow.adapters.db.database import session_factory
    from pppflow.adapters.db.unit_of_work import SqlUnitOfWork

    factory = session_factory(database_url)
    yield lambda: SqlUnitOfWork(factory)
    factory.kw["bind"].dispose()
