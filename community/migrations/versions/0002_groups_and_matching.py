"""groups and matching runs

Groups, memberships (one active row per person per group, enforced by a partial unique index on
both SQLite and PostgreSQL), matching runs, the waitlist, 'not for me' feedback and announcements.

Revision ID: 0002_groups
Revises: 0001_accounts
Create Date: 2026-11-26 10:25:18.529128
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_groups'
down_revision = '0001_accounts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('match_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('applied_by_id', sa.Integer(), nullable=True),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('placed_count', sa.Integer(), nullable=False),
    sa.Column('new_group_count', sa.Integer(), nullable=False),
    sa.Column('filled_group_count', sa.Integer(), nullable=False),
    sa.Column('unmatched_count', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('proposal', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['applied_by_id'], ['users.id'], name=op.f('fk_match_runs_applied_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_by_id'], ['users.id'], name=op.f('fk_match_runs_run_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_runs'))
    )
    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('capacity', sa.SmallInteger(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('shared_interests', sa.JSON(), nullable=False),
    sa.Column('common_slots', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.String(length=400), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('neighbourhood', sa.String(length=60), nullable=True),
    sa.Column('match_run_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seat_version', sa.Integer(), nullable=False),
    sa.CheckConstraint("mode IN ('online', 'in_person')", name=op.f('ck_groups_mode_known')),
    sa.CheckConstraint("origin IN ('matching', 'manual')", name=op.f('ck_groups_origin_known')),
    sa.CheckConstraint('capacity BETWEEN 2 AND 12', name=op.f('ck_groups_capacity_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_groups_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['match_run_id'], ['match_runs.id'], name=op.f('fk_groups_match_run_id_match_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups'))
    )
    op.create_table('waitlist_entries',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=400), nullable=False),
    sa.Column('match_run_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['match_run_id'], ['match_runs.id'], name=op.f('fk_waitlist_entries_match_run_id_match_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_waitlist_entries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_waitlist_entries'))
    )
    op.create_table('group_announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('body', sa.String(length=600), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('welcome', 'newcomer', 'starter')", name=op.f('ck_group_announcements_kind_known')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_announcements_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_announcements'))
    )
    with op.batch_alter_table('group_announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_announcements_group_id'), ['group_id'], unique=False)

    op.create_table('group_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_feedback_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_feedback_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_feedback'))
    )
    with op.batch_alter_table('group_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_feedback_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_feedback_user_id'), ['user_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('left_reason', sa.String(length=12), nullable=True),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('member', 'host')", name=op.f('ck_memberships_role_known')),
    sa.CheckConstraint("source IN ('matching', 'manual', 'joined')", name=op.f('ck_memberships_source_known')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_memberships_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_memberships_active', ['group_id', 'user_id'], unique=True, sqlite_where=sa.text('left_at IS NULL'), postgresql_where=sa.text('left_at IS NULL'))



def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('uq_memberships_active', sqlite_where=sa.text('left_at IS NULL'), postgresql_where=sa.text('left_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_group_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('group_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_feedback_user_id'))
        batch_op.drop_index(batch_op.f('ix_group_feedback_group_id'))

    op.drop_table('group_feedback')
    with op.batch_alter_table('group_announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_announcements_group_id'))

    op.drop_table('group_announcements')
    op.drop_table('waitlist_entries')
    op.drop_table('groups')
    op.drop_table('match_runs')
