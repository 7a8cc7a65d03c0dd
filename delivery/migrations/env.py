"""Alembic environment: runs against the engine handed in by ``delivery.db.upgrade``."""

from alembic import context
from sqlalchemy import create_engine

from delivery.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # plain `alembic` command line: fall back to the configured URL
    from delivery.settings import load_settings

    engine = create_engine(load_settings().resolved_database_url)

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations rebuild a table by copy, drop and rename; with foreign keys enforced
        # the drop of a table that others point at fails. Off for the migration (the pragma only
        # takes effect outside a transaction), then checked and back on.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    with connection.begin():
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        context.run_migrations()
    if sqlite:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
        if broken:
            raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
