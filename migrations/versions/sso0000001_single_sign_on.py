"""single sign-on (issue #18): a city's identity provider, its claimed email domains, accounts' subjects

Revision ID: sso0000001
Revises: ozg0000001
Create Date: 2026-12-01 07:31:06.504444

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'sso0000001'
down_revision = 'ozg0000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('identity_provider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('client_secret_encrypted', sa.Text(), nullable=False),
    sa.Column('scopes', sa.String(length=300), nullable=False),
    sa.Column('groups_claim', sa.String(length=100), nullable=False),
    sa.Column('role_map', sa.JSON(), nullable=False),
    sa.Column('password_login_disabled', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_identity_provider_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_provider')),
    sa.UniqueConstraint('municipality_id', name=op.f('uq_identity_provider_municipality_id'))
    )
    op.create_table('sso_domain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_provider.id'], name=op.f('fk_sso_domain_provider_id_identity_provider'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_domain')),
    sa.UniqueConstraint('domain', name=op.f('uq_sso_domain_domain'))
    )
    with op.batch_alter_table('sso_domain', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_domain_provider_id'), ['provider_id'], unique=False)

    op.create_table('sso_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_provider.id'], name=op.f('fk_sso_identity_provider_id_identity_provider'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sso_identity_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_identity')),
    sa.UniqueConstraint('provider_id', 'subject', name=op.f('uq_sso_identity_provider_id'))
    )
    with op.batch_alter_table('sso_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_identity_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sso_identity_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sso_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_identity_user_id'))
        batch_op.drop_index(batch_op.f('ix_sso_identity_provider_id'))

    op.drop_table('sso_identity')
    with op.batch_alter_table('sso_domain', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_domain_provider_id'))

    op.drop_table('sso_domain')
    op.drop_table('identity_provider')
