"""restriction of processing (GDPR art. 18): registrations.restricted_at

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('registrations',
                  sa.Column('restricted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not batch mode: batch mode would copy
    # the table and drop the old one, and with foreign keys on, SQLite's DROP TABLE deletes the
    # rows first, so ON DELETE CASCADE would take every answer with it.
    op.drop_column('registrations', 'restricted_at')
