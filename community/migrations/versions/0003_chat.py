"""Group chat: messages, moderator assignments, mutes, suspensions and slow mode.

Revision ID: 0003_chat
Revises: 0002_groups
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_chat'
down_revision = '0002_groups'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('group_moderators',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_moderators_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_moderators_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_group_moderators'))
    )
    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('member', 'system')", name=op.f('ck_messages_kind_known')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_messages_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_messages_hidden_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('author_id', 'client_id', name='uq_messages_author_client')
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_group_id_id', ['group_id', 'id'], unique=False)

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slow_mode_seconds', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('muted_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('muted_reason', sa.String(length=280), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('suspension_reason', sa.String(length=280), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('suspension_reason')
        batch_op.drop_column('suspended_until')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('muted_reason')
        batch_op.drop_column('muted_until')

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('slow_mode_seconds')

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_group_id_id')

    op.drop_table('messages')
    op.drop_table('group_moderators')
