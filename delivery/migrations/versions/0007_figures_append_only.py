"""figures made append-only in the database itself

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00

A figure is never changed: a correction is a new revision. The weekly review keeps the figures it
has read and afterwards reads only rows with a higher id (delivery/figure_window.py), which is
right only while no row is updated or deleted. These triggers make that a rule of the database,
as migration 0002 did for the audit trail. (A later SQLite batch migration that rebuilds the
figure table must create them again.)
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "figures are append-only: a correction is a new revision, never a change or a delete"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION figure_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""")
        op.execute("""
            CREATE TRIGGER figure_append_only BEFORE UPDATE OR DELETE ON figure
            FOR EACH ROW EXECUTE FUNCTION figure_append_only()""")
        op.execute("""
            CREATE TRIGGER figure_no_truncate BEFORE TRUNCATE ON figure
            FOR EACH STATEMENT EXECUTE FUNCTION figure_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER figure_no_{event.lower()} BEFORE {event} ON figure
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER figure_no_truncate ON figure")
        op.execute("DROP TRIGGER figure_append_only ON figure")
        op.execute("DROP FUNCTION figure_append_only()")
    else:
        op.execute("DROP TRIGGER figure_no_update")
        op.execute("DROP TRIGGER figure_no_delete")
