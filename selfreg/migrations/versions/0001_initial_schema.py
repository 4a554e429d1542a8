"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 11:59:50.149249
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('centres',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('code_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('code_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_attempts_client_key'), ['client_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_code_attempts_failed_at'), ['failed_at'], unique=False)

    op.create_table('system_info',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('registrations',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('code_lookup', sa.LargeBinary(length=32), nullable=False),
    sa.Column('link_lookup', sa.LargeBinary(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=True),
    sa.Column('catalogue_version', sa.String(length=16), nullable=True),
    sa.Column('steps_done', sa.Integer(), nullable=False),
    sa.Column('wrapped_dek', sa.LargeBinary(), nullable=True),
    sa.Column('kek_id', sa.String(length=64), nullable=True),
    sa.Column('duf_index', sa.LargeBinary(length=32), nullable=True),
    sa.Column('name_dob_index', sa.LargeBinary(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_lookup'),
    sa.UniqueConstraint('link_lookup')
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_centre_id'), ['centre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_duf_index'), ['duf_index'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_kek_id'), ['kek_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_name_dob_index'), ['name_dob_index'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_status'), ['status'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.String(length=32), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('registration_id', 'step', name='uq_answers_step')
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_registration_id'), ['registration_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_registration_id'))

    op.drop_table('answers')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrations_status'))
        batch_op.drop_index(batch_op.f('ix_registrations_name_dob_index'))
        batch_op.drop_index(batch_op.f('ix_registrations_kek_id'))
        batch_op.drop_index(batch_op.f('ix_registrations_duf_index'))
        batch_op.drop_index(batch_op.f('ix_registrations_centre_id'))

    op.drop_table('registrations')
    op.drop_table('system_info')
    with op.batch_alter_table('code_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_attempts_failed_at'))
        batch_op.drop_index(batch_op.f('ix_code_attempts_client_key'))

    op.drop_table('code_attempts')
    op.drop_table('centres')

