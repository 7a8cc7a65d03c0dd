"""an index on figure.recorded_at

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:00:00

What was recorded in a week (the weekly review's new and corrected figures, and what was not yet
known a week ago) is a range of recorded_at: without an index, a scan of every figure.
"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_figure_recorded_at', 'figure', ['recorded_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_figure_recorded_at', table_name='figure')
