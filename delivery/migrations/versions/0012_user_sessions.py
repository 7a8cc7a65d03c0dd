"""sessions kept on the server

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 20:50:00

The session cookie now carries only a random token; the session itself (whose, since when, last
seen, until when, ended why, from which browser and address) is a row here, so signing out, a
new password, a role change or an administrator ends it on every worker and host at once.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'  # main's head when merged
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'user_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('stamp', sa.String(length=24), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sa.String(length=40), nullable=True),
        sa.Column('user_agent', sa.String(length=255), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'],
                                name=op.f('fk_user_session_user_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash')),
    )
    op.create_index('ix_user_session_user', 'user_session', ['user_id', 'ended_at'])
    # Sign-in tries per address (any username), for the per-address limit.
    op.create_index('ix_sign_in_attempt_address', 'sign_in_attempt', ['address', 'at'])


def downgrade() -> None:
    op.drop_index('ix_sign_in_attempt_address', table_name='sign_in_attempt')
    op.drop_index('ix_user_session_user', table_name='user_session')
    op.drop_table('user_session')
