"""networks (issue #16): Network, NetworkMembership, NetworkRole; fields of action, topics and bodies belong to a
network; today's data moves into the network "re@di – regional.digital"; user.is_coordinator becomes a NetworkRole,
user.is_platform_admin is new

Revision ID: f16a00000001
Revises: e14b2fa00001
Create Date: 2026-11-30 23:30:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f16a00000001'
down_revision = 'e14b2fa00001'
branch_labels = None
depends_on = None

#: the one network of the single-network era (the same values as network/demo.py READI)
READI = {
    "slug": "readi",
    "name": "re@di – regional.digital",
    "region": "Landkreise Karlsruhe und Rastatt, Stadtkreis Baden-Baden",
    "description": ("Neun Städte rund um Karlsruhe und Rastatt mit Baden-Baden teilen sich die Arbeit der "
                    "Digitalisierung: Eine Stadt übernimmt die Federführung für ein Thema und stellt ihre "
                    "Erfahrungen den anderen als gute Praxis zur Verfügung. Start 2019 in Ettlingen, "
                    "Willensbekundung im Oktober 2019 in Rastatt."),
}

#: network-owned tables and the unique constraints that become unique per network
OWNED = {
    "field_of_action": [("slug",), ("name",)],
    "topic": [("slug",), ("name",)],
    "body": [("name",)],
}

network = sa.table("network", sa.column("id", sa.Integer), sa.column("slug", sa.String),
                   sa.column("name", sa.String), sa.column("region", sa.String), sa.column("description", sa.Text),
                   sa.column("website", sa.String), sa.column("is_open", sa.Boolean),
                   sa.column("auto_confirm_claims", sa.Boolean), sa.column("digest_weekday", sa.Integer),
                   sa.column("reminder_days", sa.String), sa.column("imprint_contact", sa.Text),
                   sa.column("privacy_contact", sa.Text), sa.column("is_example", sa.Boolean),
                   sa.column("version", sa.Integer), sa.column("created_at", sa.DateTime(timezone=True)),
                   sa.column("updated_at", sa.DateTime(timezone=True)))


def upgrade():
    op.create_table('network',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('region', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('auto_confirm_claims', sa.Boolean(), nullable=False),
    sa.Column('digest_weekday', sa.Integer(), nullable=False),
    sa.Column('reminder_days', sa.String(length=40), nullable=False),
    sa.Column('imprint_contact', sa.Text(), nullable=False),
    sa.Column('privacy_contact', sa.Text(), nullable=False),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network')),
    sa.UniqueConstraint('name', name=op.f('uq_network_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_network_slug'))
    )
    op.create_table('network_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status in ('member','guest','left')", name=op.f('ck_network_membership_status')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'],
                            name=op.f('fk_network_membership_municipality_id_municipality'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_network_membership_network_id_network'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_membership')),
    sa.UniqueConstraint('network_id', 'municipality_id', name='uq_network_membership')
    )
    with op.batch_alter_table('network_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_membership_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_membership_status'), ['status'], unique=False)
    op.create_table('network_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role in ('coordinator')", name=op.f('ck_network_role_role')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user.id'], name=op.f('fk_network_role_granted_by_id_user'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_network_role_network_id_network'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_network_role_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_role')),
    sa.UniqueConstraint('network_id', 'user_id', 'role', name='uq_network_role')
    )
    with op.batch_alter_table('network_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_role_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_role_user_id'), ['user_id'], unique=False)

    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    op.bulk_insert(network, [dict(READI, website="", is_open=False, auto_confirm_claims=False, digest_weekday=0,
                                  reminder_days="7,1", imprint_contact="", privacy_contact="", is_example=False,
                                  version=1, created_at=now, updated_at=now)])
    readi_id = bind.execute(sa.text("SELECT id FROM network WHERE slug = 'readi'")).scalar_one()
    # every city of the installation was a member (or had left) of that one network
    bind.execute(sa.text(
        "INSERT INTO network_membership (network_id, municipality_id, status, joined_at, left_at, created_at, "
        "updated_at) SELECT :nid, id, CASE WHEN status = 'left' THEN 'left' ELSE 'member' END, "
        "COALESCE(admitted_at, created_at), CASE WHEN status = 'left' THEN updated_at END, :now, :now "
        "FROM municipality"), {"nid": readi_id, "now": now})
    # the coordination of that network
    bind.execute(sa.text(
        'INSERT INTO network_role (network_id, user_id, role, created_at) '
        'SELECT :nid, id, \'coordinator\', :now FROM "user" WHERE is_coordinator = :yes'),
        {"nid": readi_id, "now": now, "yes": True})
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_platform_admin', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_column('is_coordinator')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('is_platform_admin', server_default=None)

    for table, uniques in OWNED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('network_id', sa.Integer(), nullable=True))
        bind.execute(sa.text(f'UPDATE "{table}" SET network_id = :nid'), {"nid": readi_id})
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('network_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_network_id_network'), 'network', ['network_id'],
                                        ['id'], ondelete='CASCADE')
            batch_op.create_index(batch_op.f(f'ix_{table}_network_id'), ['network_id'], unique=False)
            for cols in uniques:
                batch_op.drop_constraint(f'uq_{table}_{cols[0]}', type_='unique')
                batch_op.create_unique_constraint(f'uq_{table}_network_{cols[0]}', ['network_id', *cols])


def downgrade():
    bind = op.get_bind()
    networks = bind.execute(sa.text("SELECT count(*) FROM network")).scalar()
    if networks > 1:
        raise RuntimeError(
            "Zurückstufen ist nur möglich, solange die Installation ein einziges Netzwerk hat "
            f"(jetzt: {networks}); sonst gingen Themen, Gremien und Rollen der anderen Netzwerke verloren.")
    for table, uniques in OWNED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for cols in uniques:
                batch_op.drop_constraint(f'uq_{table}_network_{cols[0]}', type_='unique')
                batch_op.create_unique_constraint(f'uq_{table}_{cols[0]}', list(cols))
            batch_op.drop_index(batch_op.f(f'ix_{table}_network_id'))
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_network_id_network'), type_='foreignkey')
            batch_op.drop_column('network_id')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_coordinator', sa.Boolean(), nullable=False, server_default=sa.false()))
    bind.execute(sa.text(
        'UPDATE "user" SET is_coordinator = :yes WHERE id IN (SELECT user_id FROM network_role)'), {"yes": True})
    # a city that has left every network is "left", any other "member"
    bind.execute(sa.text(
        "UPDATE municipality SET status = CASE WHEN EXISTS (SELECT 1 FROM network_membership m WHERE "
        "m.municipality_id = municipality.id AND m.status IN ('member', 'guest')) THEN 'member' ELSE 'left' END "
        "WHERE EXISTS (SELECT 1 FROM network_membership m WHERE m.municipality_id = municipality.id)"))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('is_coordinator', server_default=None)
        batch_op.drop_column('is_platform_admin')
    with op.batch_alter_table('network_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_role_user_id'))
        batch_op.drop_index(batch_op.f('ix_network_role_network_id'))
    op.drop_table('network_role')
    with op.batch_alter_table('network_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_membership_status'))
        batch_op.drop_index(batch_op.f('ix_network_membership_municipality_id'))
    op.drop_table('network_membership')
    op.drop_table('network')
