"""each submitted person's statistics categories, encrypted: registrations.stats_facts; an
index for paging submitted registrations by id

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty for every existing registration: the next statistics run fills it (a cache).
    op.add_column('registrations', sa.Column('stats_facts', sa.LargeBinary(), nullable=True))
    op.create_index('ix_registrations_status_id', 'registrations', ['status', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_registrations_status_id', table_name='registrations')
    # A plain DROP COLUMN, not batch mode (see 0005: batch mode would cascade-delete answers).
    op.drop_column('registrations', 'stats_facts')
