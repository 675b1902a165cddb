"""Fixtures shared by every tier."""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, text

from pppflow.adapters.workflow_files import LifecycleRegistry, load_registry

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def example_raw() -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / "smart-industry-pact.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def spec(example_raw: dict[str, Any]) -> dict[str, Any]:
    """A fresh, mutable copy of the example spec."""
    return copy.deepcopy(example_raw)


@pytest.fixture(scope="session")
def lifecycles() -> LifecycleRegistry:
    return load_registry()


@pytest.fixture
def now() -> datetime:
    return NOW


# --- databases: SQLite, and a fresh database on the PostgreSQL server at 127.0.0.1:5432 ---
PG_ADMIN_URL = os.environ.get("PPPFLOW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_database() -> Iterator[str]:
    name = f"pppflow_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        from pppflow.adapters.db.database import session_factory

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
