"""Alembic environment: runs against the engine handed in by ``delivery.db.upgrade``."""

from alembic import context
from sqlalchemy import create_engine

from delivery.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # plain `alembic` command line: fall back to the configured URL
    from delivery.settings import load_settings

    engine = create_engine(load_settings().resolved_database_url)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
