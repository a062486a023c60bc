"""meetings: the calendar feed stores only the sha256 of its secret (issue #14, finding 8)

Existing feeds keep working: each stored secret is replaced by its hash, which is what the feed's address
is now checked against. Downgrading cannot bring the secrets back, so it ends every feed (their owners make a
new address on the profile page).

Revision ID: 8c4f2a1d9e07
Revises: 2186f9faead2
Create Date: 2026-11-30 19:45:00.000000

"""
import hashlib

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '8c4f2a1d9e07'
down_revision = '2186f9faead2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret_hash', sa.String(length=64), nullable=True))
    conn = op.get_bind()
    feed = sa.table('calendar_feed', sa.column('id', sa.Integer), sa.column('secret', sa.String),
                    sa.column('secret_hash', sa.String))
    for row_id, secret in conn.execute(sa.select(feed.c.id, feed.c.secret)).all():
        # the same digest as network.accounts.models.hash_secret (copied: migrations do not import the app)
        conn.execute(feed.update().where(feed.c.id == row_id)
                     .values(secret_hash=hashlib.sha256(secret.encode()).hexdigest()))
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.alter_column('secret_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_calendar_feed_secret'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_calendar_feed_secret_hash'), ['secret_hash'])
        batch_op.drop_column('secret')


def downgrade():
    # the plain secrets are gone: every feed ends
    op.execute(sa.text('DELETE FROM calendar_feed'))
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret', sa.String(length=64), nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_calendar_feed_secret_hash'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_calendar_feed_secret'), ['secret'])
        batch_op.drop_column('secret_hash')
