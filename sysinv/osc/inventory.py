"""``openstack system host cpu|memory|disk|port|interface|device list|show``.

A host's hardware, as its agent reported it: read-only. Each list takes
the host by hostname or UUID; each show takes the item's UUID, which the
lists print first.
"""

from osc_lib.command import command

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

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'uuid', metavar='<uuid>',
            help='UUID of the %s to show (see the list command)'
                 % self.noun)
        return parser

    def take_action(self, parsed_args):
        return common.show(self.app.client_manager.system.item_show(
            self.kind, parsed_args.uuid))


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
