"""audit events name their network (issue #16): a coordinator reads the events of their own network only

Revision ID: f16b00000002
Revises: f16a00000001
Create Date: 2026-12-01 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f16b00000002'
down_revision = 'f16a00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('network_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_event_network_id'), ['network_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_audit_event_network_id_network'), 'network', ['network_id'], ['id'],
                                    ondelete='SET NULL')
    # events written before: with a single network they all happened in it (its own events have no city); with
    # several, only the events about a network itself can be placed
    conn = op.get_bind()
    ids = conn.execute(sa.text("SELECT id FROM network")).scalars().all()
    if len(ids) == 1:
        conn.execute(sa.text("UPDATE audit_event SET network_id = :n WHERE municipality_id IS NULL"), {"n": ids[0]})
    conn.execute(sa.text("UPDATE audit_event SET network_id = object_id WHERE object_type = 'Network' "
                         "AND object_id IN (SELECT id FROM network)"))


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_event_network_id_network'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_event_network_id'))
        batch_op.drop_column('network_id')
