"""practices: an index on the lists' order (newest first) so that the bounded pages stop early (issue #17)

Revision ID: scale0000001
Revises: profile0000002
Create Date: 2026-12-01 11:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'scale0000001'
down_revision = 'profile0000002'
branch_labels = None
depends_on = None


def upgrade():
    # covering: the visibility clause and the facets read these columns (no row read while walking on SQLite)
    op.create_index('ix_practice_sortkey', 'practice', [sa.text('coalesce(published_at, created_at)'), 'id', 'status',
                                                        'visibility', 'municipality_id', 'field_id', 'published_at',
                                                        'created_at'])


def downgrade():
    op.drop_index('ix_practice_sortkey', table_name='practice')
