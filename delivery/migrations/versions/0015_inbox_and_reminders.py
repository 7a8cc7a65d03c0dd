"""commitment owners are accounts or secretariats; e-mail, digest and head on accounts; the
log of reminders sent

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-06 23:55:00

Existing free-text owners are carried over: a commitment whose owner matches an account's
username or display name (ignoring case and surrounding spaces; only when exactly one account
matches) gets that account; one that matches a secretariat's code or name gets that
secretariat. The text stays as the name shown; a name that matched nothing stays as it was.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'notification_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('thing', sa.String(length=120), nullable=False),
        sa.Column('step', sa.String(length=40), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'],
                                name=op.f('fk_notification_sent_user_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_sent')),
        sa.UniqueConstraint('user_id', 'thing', 'step',
                            name=op.f('uq_notification_sent_user_id_thing_step')),
    )
    op.create_index(op.f('ix_notification_sent_user_id'), 'notification_sent', ['user_id'])
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('digest', sa.String(length=10), nullable=False,
                                      server_default='daily'))
        batch_op.add_column(sa.Column('is_secretariat_head', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_commitment_owner_user_id'), ['owner_user_id'])
        batch_op.create_foreign_key(batch_op.f('fk_commitment_owner_user_id_app_user'),
                                    'app_user', ['owner_user_id'], ['id'])
    carry_owners_over(op.get_bind())


def carry_owners_over(bind: sa.engine.Connection) -> None:
    """Match each commitment's free-text owner to an account, else to a secretariat."""
    def key(text: str | None) -> str:
        return " ".join((text or "").split()).casefold()

    users: dict[str, list[tuple[int, int | None]]] = {}
    for user_id, username, display, secretariat_id in bind.execute(sa.text(
            "SELECT id, username, display_name, secretariat_id FROM app_user")):
        for name in {key(username), key(display)} - {""}:
            users.setdefault(name, []).append((user_id, secretariat_id))
    secretariats: dict[str, int] = {}
    for sec_id, code, name in bind.execute(sa.text("SELECT id, code, name FROM secretariat")):
        secretariats.setdefault(key(code), sec_id)
        secretariats.setdefault(key(name), sec_id)
    rows = bind.execute(sa.text(
        "SELECT id, owner, owner_secretariat_id FROM commitment")).all()
    for commitment_id, owner, owner_sec in rows:
        found = users.get(key(owner), [])
        if len(set(found)) == 1:
            user_id, user_sec = found[0]
            bind.execute(sa.text(
                "UPDATE commitment SET owner_user_id = :u, owner_secretariat_id = :s "
                "WHERE id = :c"), {"u": user_id, "s": owner_sec or user_sec, "c": commitment_id})
        elif key(owner) in secretariats:
            bind.execute(sa.text(
                "UPDATE commitment SET owner_secretariat_id = :s WHERE id = :c"),
                {"s": secretariats[key(owner)], "c": commitment_id})


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_commitment_owner_user_id_app_user'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_commitment_owner_user_id'))
        batch_op.drop_column('owner_user_id')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('is_secretariat_head')
        batch_op.drop_column('digest')
        batch_op.drop_column('email')
    op.drop_index(op.f('ix_notification_sent_user_id'), table_name='notification_sent')
    op.drop_table('notification_sent')
