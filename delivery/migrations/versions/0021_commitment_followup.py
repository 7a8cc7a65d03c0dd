"""commitments followed up: progress notes with evidence, requests for a new due date and
their answers, corrections of the minutes (each a row of commitment_update); a commitment's
agenda item and first due date; a meeting's start (in progress until its minutes close)

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-07 03:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0021'
down_revision: str | Sequence[str] | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ('note', 'date_request', 'date_answer', 'edit')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'commitment_update',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('commitment_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum(*KINDS, name='commitmentupdatekind', native_enum=False,
                                  create_constraint=True, length=24), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('evidence_url', sa.String(length=500), nullable=False),
        sa.Column('evidence_text', sa.Text(), nullable=False),
        sa.Column('requested_due_on', sa.Date(), nullable=True),
        sa.Column('previous_due_on', sa.Date(), nullable=True),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('accepted', sa.Boolean(), nullable=True),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('recorded_by', sa.String(length=120), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'],
                                name=op.f('fk_commitment_update_commitment_id_commitment')),
        sa.ForeignKeyConstraint(['request_id'], ['commitment_update.id'],
                                name=op.f('fk_commitment_update_request_id_commitment_update')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_update')),
    )
    op.create_index(op.f('ix_commitment_update_commitment_id'), 'commitment_update',
                    ['commitment_id'])
    op.create_index('commitment_update_answered_once', 'commitment_update', ['request_id'],
                    unique=True)
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('first_due_on', sa.Date(), nullable=True))
    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('started_by', sa.String(length=120), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.drop_column('started_by')
        batch_op.drop_column('started_at')
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_column('first_due_on')
        batch_op.drop_column('agenda_item_id')
    op.drop_index('commitment_update_answered_once', table_name='commitment_update')
    op.drop_index(op.f('ix_commitment_update_commitment_id'), table_name='commitment_update')
    op.drop_table('commitment_update')
