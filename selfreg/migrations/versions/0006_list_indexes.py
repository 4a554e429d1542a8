"""indexes for the staff lists: a centre's registrations by status and by last change, and
submitted registrations by submission time

Revision ID: 0006
Revises: 0005
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_registrations_centre_status', 'registrations',
                    ['centre_id', 'status', 'exported_at', 'restricted_at'], unique=False)
    op.create_index('ix_registrations_centre_updated', 'registrations',
                    ['centre_id', 'updated_at'], unique=False)
    op.create_index('ix_registrations_status_submitted', 'registrations',
                    ['status', 'submitted_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_registrations_status_submitted', table_name='registrations')
    op.drop_index('ix_registrations_centre_updated', table_name='registrations')
    op.drop_index('ix_registrations_centre_status', table_name='registrations')
