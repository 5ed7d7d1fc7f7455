"""Crisis safety: escalations, notes, private support messages, worry reports, audit log, and
messages held back from the group.

Revision ID: 0004_safety
Revises: 0003_chat
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_safety'
down_revision = '0003_chat'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('held_reason', sa.String(length=20), nullable=True))

    op.create_table('escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('alerted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('alert_count', sa.Integer(), nullable=False),
    sa.Column('next_alert_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('follow_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('follow_up_alerted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('followed_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("level IN ('crisis', 'concern')", name=op.f('ck_escalations_level_known')),
    sa.CheckConstraint("source IN ('message', 'worry')", name=op.f('ck_escalations_source_known')),
    sa.CheckConstraint("status IN ('open', 'acknowledged', 'resolved')", name=op.f('ck_escalations_status_known')),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_escalations_acknowledged_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_escalations_group_id_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_escalations_message_id_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_escalations_resolved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_escalations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations')),
    sa.UniqueConstraint('message_id', name='uq_escalations_message')
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index('ix_escalations_status_next_alert', ['status', 'next_alert_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_user_id'), ['user_id'], unique=False)

    op.create_table('escalation_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_escalation_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_escalation_notes_escalation_id_escalations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_notes'))
    )
    with op.batch_alter_table('escalation_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_notes_escalation_id'), ['escalation_id'], unique=False)

    op.create_table('support_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_support_messages_escalation_id_escalations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_support_messages_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_support_messages_sender_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_messages'))
    )
    with op.batch_alter_table('support_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_messages_recipient_id'), ['recipient_id'], unique=False)

    op.create_table('worry_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_worry_reports_escalation_id_escalations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_worry_reports_message_id_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_worry_reports_reporter_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['users.id'], name=op.f('fk_worry_reports_subject_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worry_reports')),
    sa.UniqueConstraint('reporter_id', 'subject_id', 'day', name='uq_worry_reports_once_a_day')
    )
    with op.batch_alter_table('worry_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worry_reports_subject_id'), ['subject_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_audit_log_escalation_id_escalations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subject_id'], ['users.id'], name=op.f('fk_audit_log_subject_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_escalation', ['escalation_id', 'id'], unique=False)


def downgrade():
    op.drop_table('audit_log')
    op.drop_table('worry_reports')
    op.drop_table('support_messages')
    op.drop_table('escalation_notes')
    op.drop_table('escalations')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('held_reason')
        batch_op.drop_column('held_at')
