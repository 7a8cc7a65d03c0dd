"""scheduled ingestion: sources, runs, run-now requests, dropped files, scheduler lease

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:58:22

Sources of figures and their schedules, the log of every run, run-now requests, the files a drop
folder delivered (by content hash) and the scheduler's lease, seeded here as one expired row so
that taking it is always a conditional UPDATE.
"""
from datetime import datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('data_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('file_drop', 'socrata', 'ckan', 'json', 'sql', name='sourcekind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('cron', sa.String(length=120), nullable=True),
    sa.Column('interval_seconds', sa.Integer(), nullable=True),
    sa.Column('timezone', sa.String(length=60), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('timeout_seconds', sa.Float(), nullable=False),
    sa.Column('retries', sa.Integer(), nullable=False),
    sa.Column('backoff_seconds', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cron IS NULL OR interval_seconds IS NULL', name=op.f('ck_data_source_one_schedule')),
    sa.CheckConstraint('interval_seconds IS NULL OR interval_seconds > 0', name=op.f('ck_data_source_interval')),
    sa.CheckConstraint('retries >= 0 AND timeout_seconds > 0 AND backoff_seconds >= 0', name=op.f('ck_data_source_retry_policy')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_source')),
    sa.UniqueConstraint('name', name=op.f('uq_data_source_name'))
    )
    lease = op.create_table('scheduler_lease',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_lease'))
    )
    never = datetime(1970, 1, 1, tzinfo=timezone.utc)
    op.bulk_insert(lease, [{"name": "scheduler", "holder": "", "acquired_at": never,
                            "expires_at": never}])
    op.create_table('job_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('state', sa.Enum('running', 'succeeded', 'failed', name='runstate', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retries', sa.Integer(), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('goals_created', sa.Integer(), nullable=False),
    sa.Column('figures_new', sa.Integer(), nullable=False),
    sa.Column('figures_revised', sa.Integer(), nullable=False),
    sa.Column('figures_consolidated', sa.Integer(), nullable=False),
    sa.Column('figures_unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('rejections', sa.JSON(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('flags_raised', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['data_source.id'], name=op.f('fk_job_run_source_id_data_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_run'))
    )
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.create_index('ix_job_run_source_started', ['source_id', 'started_at'], unique=False)

    op.create_table('ingested_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['job_run.id'], name=op.f('fk_ingested_file_run_id_job_run')),
    sa.ForeignKeyConstraint(['source_id'], ['data_source.id'], name=op.f('fk_ingested_file_source_id_data_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingested_file')),
    sa.UniqueConstraint('source_id', 'sha256', name=op.f('uq_ingested_file_source_id_sha256'))
    )
    op.create_table('run_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.String(length=120), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('picked_by', sa.String(length=200), nullable=True),
    sa.Column('picked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['job_run.id'], name=op.f('fk_run_request_run_id_job_run')),
    sa.ForeignKeyConstraint(['source_id'], ['data_source.id'], name=op.f('fk_run_request_source_id_data_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_run_request'))
    )
    with op.batch_alter_table('run_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_run_request_source_id'), ['source_id'], unique=False)

    op.create_table('source_goal',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_source_goal_goal_id_goal')),
    sa.ForeignKeyConstraint(['source_id'], ['data_source.id'], name=op.f('fk_source_goal_source_id_data_source')),
    sa.PrimaryKeyConstraint('source_id', 'goal_id', name=op.f('pk_source_goal'))
    )


def downgrade() -> None:
    op.drop_table('source_goal')
    with op.batch_alter_table('run_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_run_request_source_id'))

    op.drop_table('run_request')
    op.drop_table('ingested_file')
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_index('ix_job_run_source_started')

    op.drop_table('job_run')
    op.drop_table('scheduler_lease')
    op.drop_table('data_source')
