"""goal_rule: each goal's plausibility rules where they differ from its unit's defaults

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-06 21:00:00

A table of its own, not columns on goal: rules are edited apart from the goal (whose version
guards goal edits), and a goal without a row follows the defaults, so nothing is backfilled.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: str | Sequence[str] | None = '0010'  # main's head when merged
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'goal_rule',
        sa.Column('goal_id', sa.Integer(), nullable=False),
        sa.Column('allow_negative', sa.Boolean(), nullable=True),
        sa.Column('allow_over_100', sa.Boolean(), nullable=True),
        sa.Column('min_plausible', sa.Float(), nullable=True),
        sa.Column('max_plausible', sa.Float(), nullable=True),
        sa.Column('max_jump', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_goal_rule_goal_id_goal')),
        sa.PrimaryKeyConstraint('goal_id', name=op.f('pk_goal_rule')),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('goal_rule')
