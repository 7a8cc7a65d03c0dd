"""files attached to progress notes as evidence (a signed memo, a photo, a spreadsheet), kept in
the database and append-only like the figures (migration 0007): the database refuses to change
or delete one; a correction is a new note

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 07:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0022'
down_revision: str | Sequence[str] | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = ("evidence files are append-only: a correction is a new progress note, never a "
           "change or a delete")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'evidence_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('update_id', sa.Integer(), nullable=False),
        sa.Column('commitment_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('recorded_by', sa.String(length=120), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('size > 0', name=op.f('ck_evidence_file_not_empty')),
        sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'],
                                name=op.f('fk_evidence_file_commitment_id_commitment')),
        sa.ForeignKeyConstraint(['update_id'], ['commitment_update.id'],
                                name=op.f('fk_evidence_file_update_id_commitment_update')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_file')),
    )
    op.create_index(op.f('ix_evidence_file_commitment_id'), 'evidence_file', ['commitment_id'])
    op.create_index(op.f('ix_evidence_file_update_id'), 'evidence_file', ['update_id'])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION evidence_file_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""")
        op.execute("""
            CREATE TRIGGER evidence_file_append_only BEFORE UPDATE OR DELETE ON evidence_file
            FOR EACH ROW EXECUTE FUNCTION evidence_file_append_only()""")
        op.execute("""
            CREATE TRIGGER evidence_file_no_truncate BEFORE TRUNCATE ON evidence_file
            FOR EACH STATEMENT EXECUTE FUNCTION evidence_file_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER evidence_file_no_{event.lower()} BEFORE {event} ON evidence_file
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER evidence_file_no_truncate ON evidence_file")
        op.execute("DROP TRIGGER evidence_file_append_only ON evidence_file")
        op.execute("DROP FUNCTION evidence_file_append_only()")
    else:
        op.execute("DROP TRIGGER evidence_file_no_update")
        op.execute("DROP TRIGGER evidence_file_no_delete")
    op.drop_index(op.f('ix_evidence_file_update_id'), table_name='evidence_file')
    op.drop_index(op.f('ix_evidence_file_commitment_id'), table_name='evidence_file')
    op.drop_table('evidence_file')
