"""Tables of the inventory service: the system, hosts and their hardware.

Table and column names follow StarlingX's sysinv so that its field names
carry over to the REST API unchanged.
"""

from sqlalchemy import Boolean
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import JSON
from sqlalchemy import orm
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint

from stxcommon.db import models


class Base(orm.DeclarativeBase):
    pass


def _text(length=255):
    return orm.mapped_column(String(length), nullable=True)


class System(models.TimestampMixin, Base):
    """The one cloud system this controller manages."""

    __tablename__ = 'i_system'
    __table_args__ = (UniqueConstraint('uuid', name='uq_i_system_uuid'),)

    id: orm.Mapped[int] = orm.mapped_column(Integer, primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(String(36))
    name: orm.Mapped[str | None] = _text()
    system_type: orm.Mapped[str | None] = _text()
    system_mode: orm.Mapped[str | None] = _text()
    description: orm.Mapped[str | None] = _text()
    location: orm.Mapped[str | None] = _text()
    contact: orm.Mapped[str | None] = _text()
    software_version: orm.Mapped[str | None] = _text()
    capabilities: orm.Mapped[dict | None] = orm.mapped_column(
        JSON, nullable=True)


class Host(models.TimestampMixin, Base):
    """A physical server, added by hand or discovered by its agent."""

    __tablename__ = 'i_host'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_i_host_uuid'),
        UniqueConstraint('hostname', name='uq_i_host_hostname'),
        UniqueConstraint('mgmt_mac', name='uq_i_host_mgmt_mac'),
    )

    id: orm.Mapped[int] = orm.mapped_column(Integer, primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(String(36))
    forisystemid: orm.Mapped[int | None] = orm.mapped_column(
        ForeignKey('i_system.id', ondelete='SET NULL'), nullable=True)
    hostname: orm.Mapped[str | None] = _text()
    personality: orm.Mapped[str | None] = _text()
    subfunctions: orm.Mapped[str | None] = _text()
    administrative: orm.Mapped[str] = orm.mapped_column(String(255))
    operational: orm.Mapped[str] = orm.mapped_column(String(255))
    availability: orm.Mapped[str] = orm.mapped_column(String(255))
    mgmt_mac: orm.Mapped[str] = orm.mapped_column(String(255))
    mgmt_ip: orm.Mapped[str | None] = _text()
    bm_ip: orm.Mapped[str | None] = _text()
    bm_type: orm.Mapped[str | None] = _text()
    bm_username: orm.Mapped[str | None] = _text()
    # Encrypted (sysinv.credentials); never in an API answer.
    bm_password_enc: orm.Mapped[str | None] = orm.mapped_column(
        Text, nullable=True)
    location: orm.Mapped[dict | None] = orm.mapped_column(
        JSON, nullable=True)
    capabilities: orm.Mapped[dict | None] = orm.mapped_column(
        JSON, nullable=True)
    task: orm.Mapped[str | None] = _text()
    action: orm.Mapped[str | None] = _text()
    uptime: orm.Mapped[int] = orm.mapped_column(Integer, default=0)
    config_status: orm.Mapped[str | None] = _text()
    # The plan the agent is to apply, and the last one it applied.
    config_target: orm.Mapped[str | None] = orm.mapped_column(
        String(36), nullable=True)
    config_applied: orm.Mapped[str | None] = orm.mapped_column(
        String(36), nullable=True)
    invprovision: orm.Mapped[str | None] = _text()
    serialid: orm.Mapped[str | None] = _text()
    boot_device: orm.Mapped[str | None] = _text()
    rootfs_device: orm.Mapped[str | None] = _text()
    install_output: orm.Mapped[str | None] = _text()
    console: orm.Mapped[str | None] = _text()


class _HostItem(models.TimestampMixin):
    """A piece of a host's hardware, deleted with its host."""

    id: orm.Mapped[int] = orm.mapped_column(Integer, primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(String(36))
    host_id: orm.Mapped[int] = orm.mapped_column(
        ForeignKey('i_host.id', ondelete='CASCADE'))


class Cpu(_HostItem, Base):
    __tablename__ = 'i_icpu'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_i_icpu_uuid'),
        UniqueConstraint('host_id', 'cpu', name='uq_i_icpu_host_cpu'),
    )

    cpu: orm.Mapped[int] = orm.mapped_column(Integer)
    numa_node: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    core: orm.Mapped[int | None] = orm.mapped_column(Integer, nullable=True)
    thread: orm.Mapped[int | None] = orm.mapped_column(Integer,
                                                       nullable=True)
    cpu_family: orm.Mapped[str | None] = _text()
    cpu_model: orm.Mapped[str | None] = _text()
    allocated_function: orm.Mapped[str | None] = _text()
    capabilities: orm.Mapped[dict | None] = orm.mapped_column(
        JSON, nullable=True)


class Memory(_HostItem, Base):
    """Memory of one NUMA node; sizes in MiB, huge pages in pages."""

    __tablename__ = 'i_imemory'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_i_imemory_uuid'),
        UniqueConstraint('host_id', 'numa_node',
                         name='uq_i_imemory_host_numa_node'),
    )

    numa_node: orm.Mapped[int] = orm.mapped_column(Integer)
    memtotal_mib: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    memavail_mib: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    platform_reserved_mib: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    hugepages_configured: orm.Mapped[bool | None] = orm.mapped_column(
        Boolean, nullable=True)
    vm_hugepages_nr_2M: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    vm_hugepages_nr_1G: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    vm_hugepages_avail_2M: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    vm_hugepages_avail_1G: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    vm_hugepages_nr_2M_pending: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    vm_hugepages_nr_1G_pending: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    capabilities: orm.Mapped[dict | None] = orm.mapped_column(
        JSON, nullable=True)


class Disk(_HostItem, Base):
    __tablename__ = 'i_idisk'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_i_idisk_uuid'),
        UniqueConstraint('host_id', 'device_node',
                         name='uq_i_idisk_host_device_node'),
    )

    device_node: orm.Mapped[str] = orm.mapped_column(String(255))
    device_path: orm.Mapped[str | None] = _text()
    device_type: orm.Mapped[str | None] = _text()
    size_mib: orm.Mapped[int | None] = orm.mapped_column(Integer,
                                                         nullable=True)
    serial_id: orm.Mapped[str | None] = _text()
    rpm: orm.Mapped[str | None] = _text()
    # StarlingX keeps the model number here, as capabilities.model_num.
    capabilities: orm.Mapped[dict | None] = orm.mapped_column(
        JSON, nullable=True)


class Port(_HostItem, Base):
    """A physical network port (StarlingX's ports / ethernet_ports)."""

    __tablename__ = 'ports'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_ports_uuid'),
        UniqueConstraint('host_id', 'name', name='uq_ports_host_name'),
    )

    name: orm.Mapped[str] = orm.mapped_column(String(255))
    type: orm.Mapped[str] = orm.mapped_column(String(255))
    mac: orm.Mapped[str | None] = _text()
    mtu: orm.Mapped[int | None] = orm.mapped_column(Integer, nullable=True)
    speed: orm.Mapped[int | None] = orm.mapped_column(Integer, nullable=True)
    driver: orm.Mapped[str | None] = _text()
    pciaddr: orm.Mapped[str | None] = _text()
    numa_node: orm.Mapped[int | None] = orm.mapped_column(Integer,
                                                          nullable=True)
    sriov_totalvfs: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    sriov_numvfs: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    capabilities: orm.Mapped[dict | None] = orm.mapped_column(
        JSON, nullable=True)


class PciDevice(_HostItem, Base):
    __tablename__ = 'pci_devices'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_pci_devices_uuid'),
        UniqueConstraint('host_id', 'pciaddr',
                         name='uq_pci_devices_host_pciaddr'),
    )

    name: orm.Mapped[str] = orm.mapped_column(String(255))
    pciaddr: orm.Mapped[str] = orm.mapped_column(String(255))
    pclass_id: orm.Mapped[str | None] = _text()
    pvendor_id: orm.Mapped[str | None] = _text()
    pdevice_id: orm.Mapped[str | None] = _text()
    pclass: orm.Mapped[str | None] = _text()
    pvendor: orm.Mapped[str | None] = _text()
    pdevice: orm.Mapped[str | None] = _text()
    driver: orm.Mapped[str | None] = _text()
    numa_node: orm.Mapped[int | None] = orm.mapped_column(Integer,
                                                          nullable=True)
    enabled: orm.Mapped[bool] = orm.mapped_column(Boolean, default=True)
    # What the agent recognised it as: gpu, crypto, fpga, nic, other.
    kind: orm.Mapped[str | None] = _text()


class Interface(_HostItem, Base):
    """A network interface; an ethernet one stands on one port."""

    __tablename__ = 'i_interface'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_i_interface_uuid'),
        UniqueConstraint('host_id', 'ifname',
                         name='uq_i_interface_host_ifname'),
        UniqueConstraint('port_id', name='uq_i_interface_port_id'),
    )

    port_id: orm.Mapped[int | None] = orm.mapped_column(
        ForeignKey('ports.id', ondelete='CASCADE'), nullable=True)
    ifname: orm.Mapped[str] = orm.mapped_column(String(255))
    iftype: orm.Mapped[str] = orm.mapped_column(String(255))
    ifclass: orm.Mapped[str | None] = _text()
    imac: orm.Mapped[str | None] = _text()
    imtu: orm.Mapped[int | None] = orm.mapped_column(Integer, nullable=True)
    vlan_id: orm.Mapped[int | None] = orm.mapped_column(Integer,
                                                        nullable=True)
    uses: orm.Mapped[list | None] = orm.mapped_column(JSON, nullable=True)
    used_by: orm.Mapped[list | None] = orm.mapped_column(JSON,
                                                         nullable=True)
    sriov_numvfs: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    sriov_vf_driver: orm.Mapped[str | None] = _text()
    ipv4_mode: orm.Mapped[str | None] = _text()
    ipv6_mode: orm.Mapped[str | None] = _text()


class SensorGroup(_HostItem, Base):
    """A host's sensors of one type, and what a crossed threshold of one
    of them does (per severity: ignore, log or alarm)."""
    __tablename__ = 'i_sensorgroup'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_i_sensorgroup_uuid'),
        UniqueConstraint('host_id', 'sensorgroupname',
                         name='uq_i_sensorgroup_host_name'),
    )

    sensorgroupname: orm.Mapped[str] = orm.mapped_column(String(255))
    sensortype: orm.Mapped[str | None] = _text()
    datatype: orm.Mapped[str | None] = _text()
    state: orm.Mapped[str | None] = _text()
    algorithm: orm.Mapped[str | None] = _text()
    actions_minor_group: orm.Mapped[str | None] = _text()
    actions_major_group: orm.Mapped[str | None] = _text()
    actions_critical_group: orm.Mapped[str | None] = _text()
    actions_minor_choices: orm.Mapped[str | None] = _text()
    actions_major_choices: orm.Mapped[str | None] = _text()
    actions_critical_choices: orm.Mapped[str | None] = _text()
    suppress: orm.Mapped[str | None] = _text()
    unit_base_group: orm.Mapped[str | None] = _text()
    audit_interval_group: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)


class Sensor(_HostItem, Base):
    """A BMC sensor of a host, with maintenance's last reading of it."""
    __tablename__ = 'i_sensor'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_i_sensor_uuid'),
        UniqueConstraint('host_id', 'sensorname',
                         name='uq_i_sensor_host_sensorname'),
    )

    sensorgroup_id: orm.Mapped[int | None] = orm.mapped_column(
        ForeignKey('i_sensorgroup.id', ondelete='SET NULL',
                   name='fk_i_sensor_sensorgroup'), nullable=True)
    sensorgroup: orm.Mapped[SensorGroup | None] = orm.relationship(
        lazy='joined')
    sensorname: orm.Mapped[str] = orm.mapped_column(String(255))
    sensortype: orm.Mapped[str | None] = _text()
    datatype: orm.Mapped[str | None] = _text()
    # ok, minor, major, critical (the BMC's threshold state), offline
    status: orm.Mapped[str | None] = _text()
    state: orm.Mapped[str | None] = _text()
    sensor_value: orm.Mapped[float | None] = orm.mapped_column(
        Float, nullable=True)
    unit_base: orm.Mapped[str | None] = _text()
    audit_interval: orm.Mapped[int | None] = orm.mapped_column(
        Integer, nullable=True)
    suppress: orm.Mapped[str | None] = _text()
    t_minor_lower: orm.Mapped[str | None] = _text()
    t_minor_upper: orm.Mapped[str | None] = _text()
    t_major_lower: orm.Mapped[str | None] = _text()
    t_major_upper: orm.Mapped[str | None] = _text()
    t_critical_lower: orm.Mapped[str | None] = _text()
    t_critical_upper: orm.Mapped[str | None] = _text()

    @property
    def sensorgroup_uuid(self):
        return self.sensorgroup.uuid if self.sensorgroup else None


# The per-host inventory tables, each with the column that identifies a row
# within its host across agent reports.
HOST_ITEMS = {
    'cpus': (Cpu, 'cpu'),
    'memory': (Memory, 'numa_node'),
    'disks': (Disk, 'device_node'),
    'ports': (Port, 'name'),
    'pci_devices': (PciDevice, 'pciaddr'),
}
