"""each user may choose the language the site speaks to them

Revision ID: 0013
Revises: 0007
Create Date: 2026-12-06 20:30:00

Nullable: no choice means the site default (DELIVERY_LANGUAGE). A plain ADD COLUMN, so SQLite
does not rebuild the table.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('app_user', sa.Column('language', sa.String(length=10), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('language')
