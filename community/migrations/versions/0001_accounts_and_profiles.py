"""accounts and profiles

Revision ID: 0001_accounts
Revises: (none)
Create Date: 2026-11-26 09:27:33.406600

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_accounts'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('member', 'organizer', 'moderator', 'admin')", name=op.f('ck_users_role_known')),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lowercase')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('interests', sa.JSON(), nullable=False),
    sa.Column('custom_interests', sa.JSON(), nullable=False),
    sa.Column('neighbourhood', sa.String(length=60), nullable=True),
    sa.Column('online_only', sa.Boolean(), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('format_preference', sa.String(length=10), nullable=True),
    sa.Column('comfort_step', sa.SmallInteger(), nullable=True),
    sa.Column('barriers', sa.JSON(), nullable=False),
    sa.Column('communication_prefs', sa.JSON(), nullable=False),
    sa.Column('communication_note', sa.String(length=280), nullable=False),
    sa.Column('steps_done', sa.JSON(), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("format_preference IN ('online', 'in_person', 'either')", name=op.f('ck_profiles_format_known')),
    sa.CheckConstraint('comfort_step BETWEEN 1 AND 4', name=op.f('ck_profiles_comfort_step_range')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_profiles'))
    )


def downgrade():
    op.drop_table('profiles')
    op.drop_table('users')
