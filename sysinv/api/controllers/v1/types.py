"""Every WSME type of the inventory API, in one place."""

import json

from wsme import types as wtypes

from sysinv import constants


class JsonType(wtypes.UserType):
    """Any JSON value (capabilities, location, a patch's value)."""

    basetype = wtypes.text
    name = 'json'

    def validate(self, value):
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            raise ValueError('%r is not JSON' % (value,))
        return value

    @staticmethod
    def frombasetype(value):
        return value

    @staticmethod
    def tobasetype(value):
        return value


jsontype = JsonType()


class Link(wtypes.Base):
    href = wtypes.text
    rel = wtypes.text


class PatchOperation(wtypes.Base):
    """One JSON-patch operation, as StarlingX's PATCH bodies carry."""

    op = wtypes.Enum(str, 'replace', 'add', 'remove')
    path = wtypes.text
    value = jsontype


class System(wtypes.Base):
    uuid = wtypes.text
    name = wtypes.text
    system_type = wtypes.text
    system_mode = wtypes.text
    description = wtypes.text
    location = wtypes.text
    contact = wtypes.text
    software_version = wtypes.text
    capabilities = jsontype
    created_at = wtypes.datetime.datetime
    updated_at = wtypes.datetime.datetime
    links = [Link]
    ihosts = [Link]


class SystemCollection(wtypes.Base):
    isystems = [System]


class Host(wtypes.Base):
    id = int
    uuid = wtypes.text
    hostname = wtypes.text
    personality = wtypes.text
    subfunctions = wtypes.text
    administrative = wtypes.text
    operational = wtypes.text
    availability = wtypes.text
    mgmt_mac = wtypes.text
    mgmt_ip = wtypes.text
    bm_ip = wtypes.text
    bm_type = wtypes.text
    bm_username = wtypes.text
    location = jsontype
    capabilities = jsontype
    task = wtypes.text
    action = wtypes.text
    uptime = int
    config_status = wtypes.text
    config_target = wtypes.text
    config_applied = wtypes.text
    invprovision = wtypes.text
    serialid = wtypes.text
    boot_device = wtypes.text
    rootfs_device = wtypes.text
    install_output = wtypes.text
    console = wtypes.text
    isystem_uuid = wtypes.text
    created_at = wtypes.datetime.datetime
    updated_at = wtypes.datetime.datetime
    links = [Link]
    icpus = [Link]
    imemorys = [Link]
    idisks = [Link]
    ports = [Link]
    ethernet_ports = [Link]
    iinterfaces = [Link]
    pci_devices = [Link]
    isensors = [Link]
    isensorgroups = [Link]


class HostBody(wtypes.Base):
    """What POST /v1/ihosts accepts; validated further by the controller."""

    hostname = wtypes.text
    personality = wtypes.Enum(str, *constants.PERSONALITIES)
    subfunctions = wtypes.text
    mgmt_mac = wtypes.text
    mgmt_ip = wtypes.text
    bm_type = wtypes.Enum(str, *constants.BM_TYPES)
    bm_ip = wtypes.text
    bm_username = wtypes.text
    # Write-only: stored encrypted, never in an answer.
    bm_password = wtypes.text
    serialid = wtypes.text
    boot_device = wtypes.text
    rootfs_device = wtypes.text
    install_output = wtypes.Enum(str, *constants.INSTALL_OUTPUTS)
    console = wtypes.text
    location = jsontype


class _Item(wtypes.Base):
    uuid = wtypes.text
    ihost_uuid = wtypes.text
    created_at = wtypes.datetime.datetime
    updated_at = wtypes.datetime.datetime
    links = [Link]


class Cpu(_Item):
    cpu = int
    numa_node = int
    core = int
    thread = int
    cpu_family = wtypes.text
    cpu_model = wtypes.text
    allocated_function = wtypes.text
    capabilities = jsontype


class CpuCollection(wtypes.Base):
    icpus = [Cpu]
    next = wtypes.text


class Memory(_Item):
    numa_node = int
    memtotal_mib = int
    memavail_mib = int
    platform_reserved_mib = int
    hugepages_configured = bool
    vm_hugepages_nr_2M = int
    vm_hugepages_nr_1G = int
    vm_hugepages_avail_2M = int
    vm_hugepages_avail_1G = int
    vm_hugepages_nr_2M_pending = int
    vm_hugepages_nr_1G_pending = int
    capabilities = jsontype


class MemoryCollection(wtypes.Base):
    imemorys = [Memory]
    next = wtypes.text


class Disk(_Item):
    device_node = wtypes.text
    device_path = wtypes.text
    device_type = wtypes.text
    size_mib = int
    serial_id = wtypes.text
    rpm = wtypes.text
    capabilities = jsontype


class DiskCollection(wtypes.Base):
    idisks = [Disk]
    next = wtypes.text


class Port(_Item):
    name = wtypes.text
    type = wtypes.text
    mac = wtypes.text
    mtu = int
    speed = int
    driver = wtypes.text
    pciaddr = wtypes.text
    numa_node = int
    sriov_totalvfs = int
    sriov_numvfs = int
    capabilities = jsontype


class PortCollection(wtypes.Base):
    ports = [Port]
    next = wtypes.text


class EthernetPortCollection(wtypes.Base):
    ethernet_ports = [Port]
    next = wtypes.text


class Interface(_Item):
    ifname = wtypes.text
    iftype = wtypes.text
    ifclass = wtypes.text
    imac = wtypes.text
    imtu = int
    vlan_id = int
    uses = [wtypes.text]
    used_by = [wtypes.text]
    sriov_numvfs = int
    sriov_vf_driver = wtypes.text
    ipv4_mode = wtypes.text
    ipv6_mode = wtypes.text


class InterfaceCollection(wtypes.Base):
    iinterfaces = [Interface]
    next = wtypes.text


class PciDevice(_Item):
    name = wtypes.text
    pciaddr = wtypes.text
    pclass_id = wtypes.text
    pvendor_id = wtypes.text
    pdevice_id = wtypes.text
    pclass = wtypes.text
    pvendor = wtypes.text
    pdevice = wtypes.text
    driver = wtypes.text
    numa_node = int
    enabled = bool
    kind = wtypes.text


class PciDeviceCollection(wtypes.Base):
    pci_devices = [PciDevice]
    next = wtypes.text


class Sensor(_Item):
    """A BMC sensor and maintenance's last reading of it."""
    sensorgroup_uuid = wtypes.text
    sensorname = wtypes.text
    sensortype = wtypes.text
    datatype = wtypes.text
    status = wtypes.text
    state = wtypes.text
    sensor_value = float
    unit_base = wtypes.text
    audit_interval = int
    suppress = wtypes.text
    t_minor_lower = wtypes.text
    t_minor_upper = wtypes.text
    t_major_lower = wtypes.text
    t_major_upper = wtypes.text
    t_critical_lower = wtypes.text
    t_critical_upper = wtypes.text


class SensorCollection(wtypes.Base):
    isensors = [Sensor]
    next = wtypes.text


class SensorGroup(_Item):
    """A host's sensors of one type; what a crossed threshold does."""
    sensorgroupname = wtypes.text
    sensortype = wtypes.text
    datatype = wtypes.text
    state = wtypes.text
    algorithm = wtypes.text
    actions_minor_group = wtypes.text
    actions_major_group = wtypes.text
    actions_critical_group = wtypes.text
    actions_minor_choices = wtypes.text
    actions_major_choices = wtypes.text
    actions_critical_choices = wtypes.text
    suppress = wtypes.text
    unit_base_group = wtypes.text
    audit_interval_group = int


class SensorGroupCollection(wtypes.Base):
    isensorgroups = [SensorGroup]
    next = wtypes.text
