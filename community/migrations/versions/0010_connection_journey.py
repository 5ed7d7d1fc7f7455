"""The connection journey: monthly check-ins (answers encrypted at rest, stored as Fernet text),
comfort-step moves, "arrive with a buddy", facilitated question rounds and the weekly round
schedule a group agrees to, and the member's choice about conversation-practice tips.

Revision ID: 0010_connection_journey
Revises: 0009_encrypted_answers
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_connection_journey'
down_revision = '0009_encrypted_answers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('step_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('from_step', sa.SmallInteger(), nullable=False),
    sa.Column('to_step', sa.SmallInteger(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('from_step BETWEEN 1 AND 4', name=op.f('ck_step_changes_from_step_range')),
    sa.CheckConstraint('to_step BETWEEN 1 AND 4', name=op.f('ck_step_changes_to_step_range')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_step_changes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_changes'))
    )
    with op.batch_alter_table('step_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_changes_user_id'), ['user_id'], unique=False)

    op.create_table('activity_buddies',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('buddy_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_buddies_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['buddy_id'], ['users.id'], name=op.f('fk_activity_buddies_buddy_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_buddies_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'user_id', name=op.f('pk_activity_buddies'))
    )
    op.create_table('conversation_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_conversation_rounds_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_conversation_rounds_started_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_rounds'))
    )
    with op.batch_alter_table('conversation_rounds', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_rounds_group_open', ['group_id', 'finished_at'], unique=False)

    op.create_table('monthly_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_monthly_checkins_group_id_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_monthly_checkins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_checkins')),
    sa.UniqueConstraint('user_id', 'month', name='uq_monthly_checkins_once_a_month')
    )
    with op.batch_alter_table('monthly_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monthly_checkins_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monthly_checkins_user_id'), ['user_id'], unique=False)

    op.create_table('round_schedules',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('hour', sa.SmallInteger(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_run_on', sa.Date(), nullable=True),
    sa.CheckConstraint('hour BETWEEN 0 AND 23', name=op.f('ck_round_schedules_hour_range')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_round_schedules_weekday_range')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_round_schedules_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_round_schedules_proposed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('group_id', name=op.f('pk_round_schedules'))
    )
    op.create_table('round_schedule_votes',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['round_schedules.group_id'], name=op.f('fk_round_schedule_votes_group_id_round_schedules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_round_schedule_votes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_round_schedule_votes'))
    )
    op.create_table('round_turns',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('waiting', 'current', 'answered', 'passed')", name=op.f('ck_round_turns_status_known')),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_round_turns_message_id_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['conversation_rounds.id'], name=op.f('fk_round_turns_round_id_conversation_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_round_turns_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'user_id', name=op.f('pk_round_turns'))
    )
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_tips', sa.Boolean(), nullable=True))



def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('practice_tips')

    op.drop_table('round_turns')
    op.drop_table('round_schedule_votes')
    op.drop_table('round_schedules')
    with op.batch_alter_table('monthly_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monthly_checkins_user_id'))
        batch_op.drop_index(batch_op.f('ix_monthly_checkins_group_id'))

    op.drop_table('monthly_checkins')
    with op.batch_alter_table('conversation_rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_rounds_group_open')

    op.drop_table('conversation_rounds')
    op.drop_table('activity_buddies')
    with op.batch_alter_table('step_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_changes_user_id'))

    op.drop_table('step_changes')
