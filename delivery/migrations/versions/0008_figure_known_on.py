"""figure.known_on: the day a figure became known, which every "as of" question uses

Revision ID: 0008
Revises: 0013
Create Date: 2026-12-06 21:00:00

Until now "what was known on a date" was read from recorded_at, the moment a row was stored, so
history loaded today could not be judged as of any past date. known_on is filled from the day of
recorded_at (what the product answered until now) and takes recorded_at's indexes for "as of"
reads: (goal, period end, known_on) for a goal's latest figure, known_on for what became known in
a week. recorded_at keeps its own index, for the audit trail.

Filling the column updates every row, which the append-only triggers of 0007 refuse: they are
set aside for this migration only and made again (SQLite: after the table is rebuilt to make the
column NOT NULL, which drops them).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0013'  # main's head when merged
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "figures are append-only: a correction is a new revision, never a change or a delete"


def _sqlite_triggers(action: str) -> None:
    for event in ("UPDATE", "DELETE"):
        name = f"figure_no_{event.lower()}"
        op.execute(f"DROP TRIGGER IF EXISTS {name}" if action == "drop" else f"""
            CREATE TRIGGER {name} BEFORE {event} ON figure
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column('figure', sa.Column('known_on', sa.Date(), nullable=True))
    if postgres:
        op.execute("ALTER TABLE figure DISABLE TRIGGER figure_append_only")
        op.execute("UPDATE figure SET known_on = CAST(recorded_at AS date)")
        op.execute("ALTER TABLE figure ENABLE TRIGGER figure_append_only")
        op.alter_column('figure', 'known_on', nullable=False)
    else:
        _sqlite_triggers("drop")
        op.execute("UPDATE figure SET known_on = date(recorded_at)")
        with op.batch_alter_table('figure') as batch:  # rebuilt: NOT NULL needs a new table
            batch.alter_column('known_on', existing_type=sa.Date(), nullable=False)
        _sqlite_triggers("create")
    op.drop_index('ix_figure_goal_period_recorded', table_name='figure')
    op.create_index('ix_figure_goal_period_known', 'figure',
                    ['goal_id', 'period_end', 'known_on'], unique=False)
    op.create_index('ix_figure_known_on', 'figure', ['known_on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_figure_known_on', table_name='figure')
    op.drop_index('ix_figure_goal_period_known', table_name='figure')
    op.create_index('ix_figure_goal_period_recorded', 'figure',
                    ['goal_id', 'period_end', 'recorded_at'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column('figure', 'known_on')
    else:
        _sqlite_triggers("drop")
        with op.batch_alter_table('figure') as batch:
            batch.drop_column('known_on')
        _sqlite_triggers("create")
