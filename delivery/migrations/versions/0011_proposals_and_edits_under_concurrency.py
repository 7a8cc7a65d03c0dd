"""one open trajectory proposal per goal; "restates the past"; one replacement per comment

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-06 20:45:00

A new proposal withdraws the goal's earlier open one: the withdrawal is recorded (who, when) on
the earlier version instead of being implied by a newer row. A proposal that changes milestones
before the day it was made says so (``restates_past``). A comment is replaced at most once: the
unique index on ``replaces_id`` makes two editors saving at once end with one replacement.
Versions that an earlier release left undecided under a newer one are marked withdrawn by the
proposer of the next version, at the moment that version was made.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): nothing else about the table changes.
    op.add_column('trajectory', sa.Column('withdrawn_by', sa.String(length=120), nullable=True))
    op.add_column('trajectory', sa.Column('withdrawn_at', sa.DateTime(timezone=True),
                                          nullable=True))
    op.add_column('trajectory', sa.Column('restates_past', sa.Boolean(), nullable=False,
                                          server_default=sa.false()))
    op.execute("""
        UPDATE trajectory SET
          withdrawn_by = (SELECT n.proposed_by FROM trajectory n WHERE n.goal_id = trajectory.goal_id
                          AND n.version = trajectory.version + 1),
          withdrawn_at = (SELECT n.created_at FROM trajectory n WHERE n.goal_id = trajectory.goal_id
                          AND n.version = trajectory.version + 1)
        WHERE approved_at IS NULL AND rejected_at IS NULL AND EXISTS (
          SELECT 1 FROM trajectory n WHERE n.goal_id = trajectory.goal_id
          AND n.version = trajectory.version + 1)""")
    op.create_index('goal_comment_replaced_once', 'goal_comment', ['replaces_id'], unique=True)


def downgrade() -> None:
    op.drop_index('goal_comment_replaced_once', table_name='goal_comment')
    with op.batch_alter_table('trajectory', schema=None) as batch_op:
        batch_op.drop_column('restates_past')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('withdrawn_by')
