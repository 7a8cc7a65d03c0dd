"""review routine: meeting series, agenda items, decisions, comments on goals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 08:25:24

Meetings get a state (scheduled, held, cancelled) instead of a held flag, a series, the people
invited beside those who came, and minutes that close. Their free-text agenda becomes agenda
items (topics, in the same order). Commitments say who closed them and how; goals get comments.
"""
import json
from datetime import datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('goal', 'flag', 'commitment', 'topic', name='agendakind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('flag_id', sa.Integer(), nullable=True),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('added_by', sa.String(length=120), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], name=op.f('fk_agenda_item_commitment_id_commitment')),
    sa.ForeignKeyConstraint(['flag_id'], ['data_quality_flag.id'], name=op.f('fk_agenda_item_flag_id_data_quality_flag')),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_agenda_item_goal_id_goal')),
    sa.ForeignKeyConstraint(['meeting_id'], ['review_meeting.id'], name=op.f('fk_agenda_item_meeting_id_review_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('governor', 'pact', name='meetingkind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('pact_id', sa.Integer(), nullable=True),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('every_weeks', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('invited', sa.JSON(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("(kind = 'pact') = (pact_id IS NOT NULL)", name=op.f('ck_meeting_series_pact_series_has_pact')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6 AND every_weeks >= 1', name=op.f('ck_meeting_series_cadence')),
    sa.ForeignKeyConstraint(['pact_id'], ['pact.id'], name=op.f('fk_meeting_series_pact_id_pact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_series'))
    )
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_series_pact_id'), ['pact_id'], unique=False)

    op.create_table('goal_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_goal_comment_goal_id_goal')),
    sa.ForeignKeyConstraint(['replaces_id'], ['goal_comment.id'], name=op.f('fk_goal_comment_replaces_id_goal_comment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_comment'))
    )
    with op.batch_alter_table('goal_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_comment_goal_id'), ['goal_id'], unique=False)

    op.create_table('meeting_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_meeting_decision_agenda_item_id_agenda_item')),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_meeting_decision_goal_id_goal')),
    sa.ForeignKeyConstraint(['meeting_id'], ['review_meeting.id'], name=op.f('fk_meeting_decision_meeting_id_review_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_decision'))
    )
    with op.batch_alter_table('meeting_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_decision_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('closing_note', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('state', sa.Enum('scheduled', 'held', 'cancelled', name='meetingstate', native_enum=False, create_constraint=True, length=24), nullable=False, server_default='scheduled'))
        batch_op.add_column(sa.Column('cancelled_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('invited', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sa.String(length=120), nullable=True))
        batch_op.create_index(batch_op.f('ix_review_meeting_series_id'), ['series_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_review_meeting_series_id_meeting_series'), 'meeting_series', ['series_id'], ['id'])

    _carry_over_meetings()

    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.alter_column('invited', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('agenda')
        batch_op.drop_column('is_held')


def _carry_over_meetings() -> None:
    """Held flag to state, attendees also invited, each free-text agenda line to a topic."""
    bind = op.get_bind()
    meetings = sa.table('review_meeting', sa.column('id', sa.Integer), sa.column('agenda', sa.JSON),
                        sa.column('attendees', sa.JSON), sa.column('is_held', sa.Boolean),
                        sa.column('state', sa.String), sa.column('invited', sa.JSON))
    items = sa.table('agenda_item', sa.column('meeting_id', sa.Integer),
                     sa.column('position', sa.Integer), sa.column('kind', sa.String),
                     sa.column('title', sa.String), sa.column('note', sa.Text),
                     sa.column('added_by', sa.String), sa.column('added_at', sa.DateTime))
    now = datetime.now(timezone.utc)
    rows = bind.execute(sa.select(meetings.c.id, meetings.c.agenda, meetings.c.attendees,
                                  meetings.c.is_held)).all()
    for meeting_id, agenda, attendees, is_held in rows:
        agenda = json.loads(agenda) if isinstance(agenda, str) else (agenda or [])
        attendees = json.loads(attendees) if isinstance(attendees, str) else (attendees or [])
        bind.execute(meetings.update().where(meetings.c.id == meeting_id).values(
            state='held' if is_held else 'scheduled', invited=attendees))
        if agenda:
            bind.execute(items.insert(), [
                {"meeting_id": meeting_id, "position": position, "kind": "topic",
                 "title": str(title)[:300], "note": "", "added_by": "migration 0004",
                 "added_at": now} for position, title in enumerate(agenda)])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_held', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('agenda', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.drop_constraint(batch_op.f('fk_review_meeting_series_id_meeting_series'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_review_meeting_series_id'))
        batch_op.drop_column('closed_by')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('invited')
        batch_op.drop_column('cancelled_reason')
        batch_op.drop_column('state')
        batch_op.drop_column('series_id')

    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_column('closing_note')
        batch_op.drop_column('closed_by')

    with op.batch_alter_table('meeting_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_decision_meeting_id'))

    op.drop_table('meeting_decision')
    with op.batch_alter_table('goal_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_comment_goal_id'))

    op.drop_table('goal_comment')
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_series_pact_id'))

    op.drop_table('meeting_series')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_meeting_id'))

    op.drop_table('agenda_item')
