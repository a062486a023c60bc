"""account security (issue #14): login throttling per address, API token expiry and scope

Revision ID: e14a5ec0a001
Revises: 8c4f2a1d9e07
Create Date: 2026-11-30 19:40:00

"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e14a5ec0a001'
down_revision = '8c4f2a1d9e07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('account_hash', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttle')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_login_throttle_key_hash'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_account_hash'), ['account_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_throttle_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('scope', sa.String(length=10), nullable=False, server_default='read-write'))
    # existing tokens keep writing and expire one year from now
    year = datetime.now(timezone.utc) + timedelta(days=365)
    if op.get_bind().dialect.name == "sqlite":
        year = year.replace(tzinfo=None)
    token = sa.table('api_token', sa.column('expires_at', sa.DateTime(timezone=True)))
    op.execute(token.update().values(expires_at=year))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('scope')
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_updated_at'))
        batch_op.drop_index(batch_op.f('ix_login_throttle_account_hash'))
    op.drop_table('login_throttle')
