"""Activities: one-off dates and repeating series, the groups they are for, RSVPs with a waitlist,
reminders already sent, and members' private calendar feeds.

Revision ID: 0006_activities
Revises: 0005_moderation
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_activities'
down_revision = '0005_moderation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('repeat', sa.String(length=10), nullable=False),
    sa.Column('until_date', sa.Date(), nullable=True),
    sa.Column('occurrences', sa.SmallInteger(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("repeat IN ('weekly', 'biweekly')", name=op.f('ck_activity_series_repeat_known')),
    sa.CheckConstraint('until_date IS NOT NULL OR occurrences IS NOT NULL', name=op.f('ck_activity_series_has_an_end')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activity_series_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_series'))
    )
    op.create_table('calendar_feeds',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token'))
    )
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('focus', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('join_url', sa.String(length=500), nullable=True),
    sa.Column('venue', sa.String(length=120), nullable=True),
    sa.Column('neighbourhood', sa.String(length=60), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.SmallInteger(), nullable=False),
    sa.Column('comfort_step', sa.SmallInteger(), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('noise', sa.String(length=200), nullable=False),
    sa.Column('seating', sa.String(length=200), nullable=False),
    sa.Column('step_free', sa.Boolean(), nullable=True),
    sa.Column('getting_there', sa.String(length=300), nullable=False),
    sa.Column('arrival', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('seat_version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attendance_marked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("audience IN ('groups', 'open')", name=op.f('ck_activities_audience_known')),
    sa.CheckConstraint("format IN ('online', 'in_person')", name=op.f('ck_activities_format_known')),
    sa.CheckConstraint("status IN ('scheduled', 'cancelled')", name=op.f('ck_activities_status_known')),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_activities_capacity_positive')),
    sa.CheckConstraint('comfort_step BETWEEN 1 AND 4', name=op.f('ck_activities_comfort_step_range')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_activities_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['activity_series.id'], name=op.f('fk_activities_series_id_activity_series'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_series_id'), ['series_id'], unique=False)
        batch_op.create_index('ix_activities_starts_at', ['starts_at'], unique=False)

    op.create_table('activity_groups',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_groups_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_activity_groups_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'group_id', name=op.f('pk_activity_groups'))
    )
    with op.batch_alter_table('activity_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_groups_group_id'), ['group_id'], unique=False)

    op.create_table('reminders_sent',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('24h', '2h')", name=op.f('ck_reminders_sent_kind_known')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_reminders_sent_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminders_sent_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'user_id', 'kind', name=op.f('pk_reminders_sent'))
    )
    op.create_table('rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.CheckConstraint("status IN ('going', 'maybe', 'not_going', 'waitlist')", name=op.f('ck_rsvps_status_known')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_rsvps_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_rsvps_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rsvps')),
    sa.UniqueConstraint('activity_id', 'user_id', name='uq_rsvps_once_per_member')
    )
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.create_index('ix_rsvps_activity_status', ['activity_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_rsvps_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rsvps_user_id'))
        batch_op.drop_index('ix_rsvps_activity_status')

    op.drop_table('rsvps')
    op.drop_table('reminders_sent')
    with op.batch_alter_table('activity_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_groups_group_id'))

    op.drop_table('activity_groups')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_starts_at')
        batch_op.drop_index(batch_op.f('ix_activities_series_id'))

    op.drop_table('activities')
    op.drop_table('calendar_feeds')
    op.drop_table('activity_series')
