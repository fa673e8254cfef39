"""``openstack system host cpu|memory|disk|port|interface|device|sensor|
sensorgroup list|show``.

A host's hardware, as its agent reported it: read-only. Each list takes
the host by hostname or UUID; each show takes the item's UUID, which the
lists print first.
"""

from osc_lib.command import command
from osc_lib import exceptions

from sysinv.osc import common


class _ListItems(command.Lister):
    # Set by each subclass: the client's item kind, its plural for help
    # texts, and the (field, header) columns, as StarlingX prints them.
    kind = None
    noun = None
    columns = ()

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'host', metavar='<host>',
            help='Hostname or UUID of the host whose %s to list'
                 % self.noun)
        return parser

    def take_action(self, parsed_args):
        items = self.app.client_manager.system.host_item_list(
            self.kind, parsed_args.host)
        return common.table(items, self.columns)


class _ShowItem(command.ShowOne):
    kind = None
    noun = None
    # Fields besides the UUID that name an item within its host, and how
    # the help text calls them.
    keys = ()
    key_help = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'ident', metavar='[<host>] <item>', nargs='+',
            help='UUID of the %s (see the list command), or, as StarlingX\'s '
                 'CLI takes it, the hostname or UUID of its host and the '
                 '%s\'s %s' % (self.noun, self.noun, self.key_help))
        return parser

    def take_action(self, parsed_args):
        system = self.app.client_manager.system
        if len(parsed_args.ident) == 1:
            return common.show(system.item_show(self.kind,
                                                parsed_args.ident[0]))
        if len(parsed_args.ident) > 2:
            raise exceptions.CommandError(
                'give the %s\'s UUID, or its host and its %s'
                % (self.noun, self.key_help))
        host, wanted = parsed_args.ident
        return common.show(common.find_item(system, self.kind, host, wanted,
                                            self.keys, self.noun))


class ListCpu(_ListItems):
    """List a host's logical CPUs."""

    kind, noun = 'cpu', 'logical CPUs'
    columns = (('uuid', 'UUID'), ('cpu', 'Log Core'),
               ('numa_node', 'Processor'), ('core', 'Phy Core'),
               ('thread', 'Thread'), ('cpu_model', 'Processor Model'),
               ('allocated_function', 'Assigned Function'))


class ShowCpu(_ShowItem):
    """Show a logical CPU."""

    kind, noun = 'cpu', 'logical CPU'
    keys, key_help = ('cpu',), 'number (log core)'


class ListMemory(_ListItems):
    """List a host's memory, per NUMA node."""

    kind, noun = 'memory', 'memory'
    columns = (('uuid', 'UUID'), ('numa_node', 'Processor'),
               ('memtotal_mib', 'Mem Total (MiB)'),
               ('platform_reserved_mib', 'Mem Platform (MiB)'),
               ('memavail_mib', 'Mem Avail (MiB)'),
               ('hugepages_configured', 'Hugepages Configured'),
               ('vm_hugepages_nr_2M', 'VM Total 2M Pages'),
               ('vm_hugepages_avail_2M', 'VM Avail 2M Pages'),
               ('vm_hugepages_nr_2M_pending', 'VM Pending 2M Pages'),
               ('vm_hugepages_nr_1G', 'VM Total 1G Pages'),
               ('vm_hugepages_avail_1G', 'VM Avail 1G Pages'),
               ('vm_hugepages_nr_1G_pending', 'VM Pending 1G Pages'))


class ShowMemory(_ShowItem):
    """Show the memory of one NUMA node."""

    kind, noun = 'memory', 'memory (one per NUMA node)'
    keys, key_help = ('numa_node',), 'NUMA node (processor)'


class ListDisk(_ListItems):
    """List a host's disks."""

    kind, noun = 'disk', 'disks'
    columns = (('uuid', 'UUID'), ('device_node', 'Device Node'),
               ('device_type', 'Device Type'), ('size_mib', 'Size (MiB)'),
               ('rpm', 'RPM'), ('serial_id', 'Serial ID'),
               ('device_path', 'Device Path'))


class ShowDisk(_ShowItem):
    """Show a disk."""

    kind, noun = 'disk', 'disk'
    keys, key_help = ('device_node', 'device_path'), 'device node or path'


class ListPort(_ListItems):
    """List a host's network ports."""

    kind, noun = 'port', 'network ports'
    columns = (('uuid', 'UUID'), ('name', 'Name'), ('type', 'Type'),
               ('mac', 'MAC Address'), ('pciaddr', 'PCI Address'),
               ('numa_node', 'Processor'), ('driver', 'Driver'),
               ('speed', 'Speed'))


class ShowPort(_ShowItem):
    """Show a network port."""

    kind, noun = 'port', 'network port'
    keys, key_help = ('name',), 'name'


class ListInterface(_ListItems):
    """List a host's network interfaces."""

    kind, noun = 'interface', 'interfaces'
    columns = (('uuid', 'UUID'), ('ifname', 'Name'), ('ifclass', 'Class'),
               ('iftype', 'Type'), ('vlan_id', 'VLAN ID'),
               ('imtu', 'MTU'), ('uses', 'Uses'), ('used_by', 'Used By'),
               ('sriov_numvfs', 'VFs'))


class ShowInterface(_ShowItem):
    """Show a network interface."""

    kind, noun = 'interface', 'interface'
    keys, key_help = ('ifname',), 'name'


class ListDevice(_ListItems):
    """List a host's PCI devices."""

    kind, noun = 'device', 'PCI devices'
    columns = (('uuid', 'UUID'), ('name', 'Name'), ('pciaddr', 'Address'),
               ('pclass_id', 'Class ID'), ('pvendor_id', 'Vendor ID'),
               ('pdevice_id', 'Device ID'), ('numa_node', 'Processor'),
               ('enabled', 'Enabled'))


class ShowDevice(_ShowItem):
    """Show a PCI device."""

    kind, noun = 'device', 'PCI device'
    keys, key_help = ('name', 'pciaddr'), 'name or PCI address'


class ListSensor(_ListItems):
    """List a host's BMC sensors and their last reading."""

    kind, noun = 'sensor', 'sensors'
    columns = (('uuid', 'UUID'), ('sensorname', 'Name'),
               ('sensortype', 'Type'), ('sensor_value', 'Value'),
               ('unit_base', 'Unit'), ('status', 'Status'),
               ('state', 'State'))


class ShowSensor(_ShowItem):
    """Show a BMC sensor."""

    kind, noun = 'sensor', 'sensor'
    keys, key_help = ('sensorname',), 'name'


class ListSensorGroup(_ListItems):
    """List a host's sensor groups and what their crossed thresholds do."""

    kind, noun = 'sensorgroup', 'sensor groups'
    columns = (('uuid', 'UUID'), ('sensorgroupname', 'Name'),
               ('sensortype', 'Type'), ('state', 'State'),
               ('actions_minor_group', 'Minor Action'),
               ('actions_major_group', 'Major Action'),
               ('actions_critical_group', 'Critical Action'),
               ('suppress', 'Suppress'))


class ShowSensorGroup(_ShowItem):
    """Show a sensor group."""

    kind, noun = 'sensorgroup', 'sensor group'
    keys, key_help = ('sensorgroupname',), 'name'
