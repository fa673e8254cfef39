"""A host's network interfaces (StarlingX's iinterfaces).

Every reported port gets an ethernet interface of the same name, which
the operator then names and classes; it goes when its port goes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa

from stxcommon.db.models import PreciseDateTime

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'i_interface',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('host_id', sa.Integer,
                  sa.ForeignKey('i_host.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('port_id', sa.Integer,
                  sa.ForeignKey('ports.id', ondelete='CASCADE'),
                  nullable=True),
        sa.Column('ifname', sa.String(255), nullable=False),
        sa.Column('iftype', sa.String(255), nullable=False),
        sa.Column('ifclass', sa.String(255), nullable=True),
        sa.Column('imac', sa.String(255), nullable=True),
        sa.Column('imtu', sa.Integer, nullable=True),
        sa.Column('vlan_id', sa.Integer, nullable=True),
        sa.Column('uses', sa.JSON, nullable=True),
        sa.Column('used_by', sa.JSON, nullable=True),
        sa.Column('sriov_numvfs', sa.Integer, nullable=True),
        sa.Column('sriov_vf_driver', sa.String(255), nullable=True),
        sa.Column('ipv4_mode', sa.String(255), nullable=True),
        sa.Column('ipv6_mode', sa.String(255), nullable=True),
        sa.Column('created_at', PreciseDateTime),
        sa.Column('updated_at', PreciseDateTime),
        sa.UniqueConstraint('uuid', name='uq_i_interface_uuid'),
        sa.UniqueConstraint('host_id', 'ifname',
                            name='uq_i_interface_host_ifname'),
        sa.UniqueConstraint('port_id', name='uq_i_interface_port_id'),
    )


def downgrade():
    op.drop_table('i_interface')
