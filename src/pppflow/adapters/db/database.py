"""Engines and migrations: SQLite (WAL) by default, PostgreSQL by URL; migrated to head on first use."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from pppflow.errors import ConfigError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision. Checked against Alembic by a test; lets a CLI call skip importing
# Alembic (0.2 s) when the schema is already current.
SCHEMA_HEAD = "0018"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # reads of a large portfolio (the web dashboard) stay in memory: 64 MiB page cache, the file memory-mapped
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def _create_private(path: Path) -> None:
    """Create the SQLite file (and a missing folder) readable by its owner only: SQLite gives its WAL and shared
    memory files the database file's permissions."""
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url: str) -> Engine:
    """An engine for `url`; creates the SQLite file (0600, in a 0700 folder when new) and sets WAL mode."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1].split("?", 1)[0]
        if path and path != ":memory:" and not path.startswith("file:"):
            _create_private(Path(path).expanduser())
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # bad URL or missing driver
        raise ConfigError(f"cannot use database URL: {exc}") from exc


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration if it is not there yet."""
    if current_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = alembic_config(engine)
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with _migration_lock(engine):  # two processes opening a new database at once must not both migrate it
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
        if current != heads:
            command.upgrade(cfg, "head")


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """A cross-process lock: a lock file beside a SQLite database, an advisory lock on PostgreSQL."""
    if engine.dialect.name == "sqlite":
        import fcntl

        database = engine.url.database
        if not database or database == ":memory:":
            yield
            return
        with open(f"{database}.migrate-lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return
    from sqlalchemy import text

    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(7274827)"))  # an arbitrary, fixed key for pppflow
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(7274827)"))
            conn.commit()


@lru_cache(maxsize=8)
def session_factory(url: str) -> sessionmaker[Session]:
    """A migrated database's session factory; one per URL per process."""
    from pppflow.adapters.db.mapping import start_mappers

    start_mappers()
    engine = make_engine(url)
    try:
        upgrade(engine)
    except Exception as exc:
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            raise ConfigError(f"cannot open the database {engine.url.render_as_string(hide_password=True)}: "
                              f"{exc.orig}") from exc
        raise
    return sessionmaker(bind=engine, expire_on_commit=False)
