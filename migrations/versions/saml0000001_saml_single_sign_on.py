"""SAML 2.0 single sign-on (issue #18): the IdP's metadata, consumed assertions, the installation's SP key

Revision ID: saml0000001
Revises: scale0000001
Create Date: 2026-12-01 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'saml0000001'
down_revision = 'scale0000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('identity_provider', schema=None) as batch_op:
        batch_op.add_column(sa.Column('metadata_url', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('metadata_xml', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('identity_provider', schema=None) as batch_op:
        batch_op.alter_column('metadata_url', server_default=None)
        batch_op.alter_column('metadata_xml', server_default=None)
    op.create_table('saml_assertion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saml_assertion')),
    sa.UniqueConstraint('key', name=op.f('uq_saml_assertion_key'))
    )
    with op.batch_alter_table('saml_assertion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saml_assertion_expires_at'), ['expires_at'], unique=False)
    op.create_table('saml_sp_credential',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_encrypted', sa.Text(), nullable=False),
    sa.Column('cert_pem', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saml_sp_credential'))
    )


def downgrade():
    op.drop_table('saml_sp_credential')
    with op.batch_alter_table('saml_assertion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saml_assertion_expires_at'))
    op.drop_table('saml_assertion')
    with op.batch_alter_table('identity_provider', schema=None) as batch_op:
        batch_op.drop_column('metadata_xml')
        batch_op.drop_column('metadata_url')
