"""a programme on each budget account

Revision ID: 0010
Revises: 0011
Create Date: 2026-12-06 20:40:00

Finance systems file each account under a programme (e.g. "Pacto pela Vida"); budget files
imported with a mapping carry it. A plain ADD COLUMN: no table rebuild.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0012'  # main's head when merged
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('budget_account', sa.Column('programme', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('budget_account') as batch:
        batch.drop_column('programme')
