"""Privacy: account deletion requests and staff reads of private data.

Accounts waiting out their cooling-off period (account_deletions), and crisis records reduced to a
bare, unlinked form until their retention ends (minimised_escalations). Staff reads are written to
the existing audit_log, so they need no table of their own.

Revision ID: 0008_privacy
Revises: 0007_sessions_and_two_factor
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_privacy'
down_revision = '0007_sessions_and_two_factor'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_deletions',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('purge_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('erase_messages', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_deletions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_account_deletions'))
    )
    with op.batch_alter_table('account_deletions', schema=None) as batch_op:
        batch_op.create_index('ix_account_deletions_purge_after', ['purge_after'], unique=False)

    op.create_table('minimised_escalations',
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('minimised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.CheckConstraint("reason IN ('account_deleted', 'retention')", name=op.f('ck_minimised_escalations_reason_known')),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_minimised_escalations_escalation_id_escalations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('escalation_id', name=op.f('pk_minimised_escalations'))
    )
    with op.batch_alter_table('minimised_escalations', schema=None) as batch_op:
        batch_op.create_index('ix_minimised_escalations_minimised_at', ['minimised_at'], unique=False)


def downgrade():
    with op.batch_alter_table('minimised_escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_minimised_escalations_minimised_at')
    op.drop_table('minimised_escalations')
    with op.batch_alter_table('account_deletions', schema=None) as batch_op:
        batch_op.drop_index('ix_account_deletions_purge_after')
    op.drop_table('account_deletions')
