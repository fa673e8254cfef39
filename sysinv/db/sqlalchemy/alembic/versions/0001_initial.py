"""Initial inventory tables: system, hosts, CPUs, memory, disks, ports, PCI.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa

from stxcommon.db.models import PreciseDateTime

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', PreciseDateTime),
            sa.Column('updated_at', PreciseDateTime)]


def _text(name, nullable=True, length=255):
    return sa.Column(name, sa.String(length), nullable=nullable)


def _int(name, nullable=True):
    return sa.Column(name, sa.Integer, nullable=nullable)


def _json(name):
    return sa.Column(name, sa.JSON, nullable=True)


def _host_item(table, *columns, natural_key):
    op.create_table(
        table,
        sa.Column('id', sa.Integer, primary_key=True),
        _text('uuid', nullable=False, length=36),
        sa.Column('host_id', sa.Integer,
                  sa.ForeignKey('i_host.id', ondelete='CASCADE'),
                  nullable=False),
        *columns,
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uq_%s_uuid' % table),
        sa.UniqueConstraint('host_id', natural_key,
                            name='uq_%s_host_%s' % (table, natural_key)),
    )


def upgrade():
    op.create_table(
        'i_system',
        sa.Column('id', sa.Integer, primary_key=True),
        _text('uuid', nullable=False, length=36),
        _text('name'),
        _text('system_type'),
        _text('system_mode'),
        _text('description'),
        _text('location'),
        _text('contact'),
        _text('software_version'),
        _json('capabilities'),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uq_i_system_uuid'),
    )

    op.create_table(
        'i_host',
        sa.Column('id', sa.Integer, primary_key=True),
        _text('uuid', nullable=False, length=36),
        sa.Column('forisystemid', sa.Integer,
                  sa.ForeignKey('i_system.id', ondelete='SET NULL'),
                  nullable=True),
        _text('hostname'),
        _text('personality'),
        _text('subfunctions'),
        _text('administrative', nullable=False),
        _text('operational', nullable=False),
        _text('availability', nullable=False),
        _text('mgmt_mac', nullable=False),
        _text('mgmt_ip'),
        _text('bm_ip'),
        _text('bm_type'),
        _text('bm_username'),
        _json('location'),
        _json('capabilities'),
        _text('task'),
        _text('action'),
        _int('uptime', nullable=False),
        _text('config_status'),
        _text('invprovision'),
        _text('serialid'),
        _text('boot_device'),
        _text('rootfs_device'),
        _text('install_output'),
        _text('console'),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uq_i_host_uuid'),
        sa.UniqueConstraint('hostname', name='uq_i_host_hostname'),
        sa.UniqueConstraint('mgmt_mac', name='uq_i_host_mgmt_mac'),
    )

    _host_item(
        'i_icpu',
        _int('cpu', nullable=False),
        _int('numa_node'),
        _int('core'),
        _int('thread'),
        _text('cpu_family'),
        _text('cpu_model'),
        _text('allocated_function'),
        _json('capabilities'),
        natural_key='cpu')

    _host_item(
        'i_imemory',
        _int('numa_node', nullable=False),
        _int('memtotal_mib'),
        _int('memavail_mib'),
        _int('platform_reserved_mib'),
        sa.Column('hugepages_configured', sa.Boolean, nullable=True),
        _int('vm_hugepages_nr_2M'),
        _int('vm_hugepages_nr_1G'),
        _int('vm_hugepages_avail_2M'),
        _int('vm_hugepages_avail_1G'),
        _int('vm_hugepages_nr_2M_pending'),
        _int('vm_hugepages_nr_1G_pending'),
        _json('capabilities'),
        natural_key='numa_node')

    _host_item(
        'i_idisk',
        _text('device_node', nullable=False),
        _text('device_path'),
        _text('device_type'),
        _int('size_mib'),
        _text('serial_id'),
        _text('rpm'),
        _json('capabilities'),
        natural_key='device_node')

    _host_item(
        'ports',
        _text('name', nullable=False),
        _text('type', nullable=False),
        _text('mac'),
        _int('mtu'),
        _int('speed'),
        _text('driver'),
        _text('pciaddr'),
        _int('numa_node'),
        _int('sriov_totalvfs'),
        _int('sriov_numvfs'),
        _json('capabilities'),
        natural_key='name')

    _host_item(
        'pci_devices',
        _text('name', nullable=False),
        _text('pciaddr', nullable=False),
        _text('pclass_id'),
        _text('pvendor_id'),
        _text('pdevice_id'),
        _text('pclass'),
        _text('pvendor'),
        _text('pdevice'),
        _text('driver'),
        _int('numa_node'),
        sa.Column('enabled', sa.Boolean, nullable=False),
        _text('kind'),
        natural_key='pciaddr')


def downgrade():
    for table in ('pci_devices', 'ports', 'i_idisk', 'i_imemory', 'i_icpu',
                  'i_host', 'i_system'):
        op.drop_table(table)
