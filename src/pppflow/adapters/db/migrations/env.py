"""Alembic environment: the engine comes from pppflow (`config.attributes['engine']`)."""

from __future__ import annotations

from alembic import context

from pppflow.adapters.db.schema import metadata

engine = context.config.attributes.get("engine")
if engine is None:  # plain `alembic` command line: read the URL from pppflow's settings
    from pppflow.adapters.db.database import make_engine
    from pppflow.config import get_settings

    engine = make_engine(get_settings().database_url)

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
