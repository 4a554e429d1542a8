"""rate counters shared by every worker (search as you type)

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_counters',
    sa.Column('client_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('window', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('client_key', 'window')
    )
    op.create_index(op.f('ix_rate_counters_window'), 'rate_counters', ['window'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_rate_counters_window'), table_name='rate_counters')
    op.drop_table('rate_counters')
