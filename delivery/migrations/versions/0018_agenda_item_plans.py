"""agenda items the delivery plans add point at their milestone or risk, so they are worded in
the reader's language when read

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 03:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0018'
down_revision: str | Sequence[str] | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('agenda_item') as batch_op:
        batch_op.add_column(sa.Column('milestone_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('risk_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_agenda_item_milestone_id_milestone'), 'milestone',
                                    ['milestone_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_agenda_item_risk_id_risk'), 'risk', ['risk_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('agenda_item') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agenda_item_risk_id_risk'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_agenda_item_milestone_id_milestone'), type_='foreignkey')
        batch_op.drop_column('risk_id')
        batch_op.drop_column('milestone_id')
