"""result cache: the generation of the practices' data that cached search samples belong to (issue #17)

Revision ID: cache0000001
Revises: saml0000001
Create Date: 2026-12-01 14:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cache0000001'
down_revision = 'saml0000001'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'cache_generation',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_generation')),
    )
    op.bulk_insert(table, [{'name': 'practices', 'value': 0}])


def downgrade():
    op.drop_table('cache_generation')
