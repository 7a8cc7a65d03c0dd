"""a failed run keeps its reason as a message id and parameters (JSON), worded in the reader's
language when read; the text column stays for older rows and the log

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 07:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0023'
down_revision: str | Sequence[str] | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('job_run') as batch_op:
        batch_op.add_column(sa.Column('error_words', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('job_run') as batch_op:
        batch_op.drop_column('error_words')
