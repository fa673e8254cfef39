"""``openstack system host cpu|memory|interface|device modify``.

Each changes the plan of a locked host; an unlock applies it.
"""

from osc_lib.command import command
from osc_lib import exceptions

from sysinv import constants
from sysinv.osc import common
from sysinv.osc import inventory


def _processor(value):
    socket, sep, cores = value.partition('=')
    try:
        if not sep:
            raise ValueError(value)
        return int(socket), int(cores)
    except ValueError:
        raise exceptions.CommandError(
            '--processor takes <socket>=<cores>, e.g. 0=2; not %r' % value)


class ModifyCpu(command.Lister):
    """Give a number of physical cores per processor to a function."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', metavar='<host>',
                            help='Hostname or UUID of the (locked) host')
        functions = [n for n, f in constants.CPU_FUNCTION_NAMES.items()
                     if f != constants.APPLICATION_FUNCTION]
        parser.add_argument(
            '--function', metavar='<function>', required=True,
            choices=functions,
            help='Function to assign: %s (cores left over run '
                 'applications)' % ', '.join(functions))
        parser.add_argument(
            '--processor', metavar='<socket>=<cores>', action='append',
            required=True,
            help='Physical cores of this processor (socket) to give the '
                 'function; repeat for each processor, e.g. --processor '
                 '0=2 --processor 1=1')
        return parser

    def take_action(self, parsed_args):
        sockets = dict(_processor(v) for v in parsed_args.processor)
        cpus = self.app.client_manager.system.host_cpus_modify(
            parsed_args.host, parsed_args.function, sockets)
        return common.table(cpus, inventory.ListCpu.columns)


class ModifyMemory(command.ShowOne):
    """Change a NUMA node's platform memory and huge pages."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', metavar='<host>',
                            help='Hostname or UUID of the (locked) host')
        parser.add_argument('processor', metavar='<processor>', type=int,
                            help='NUMA node (processor) to change')
        parser.add_argument(
            '--platform-reserved-mib', dest='platform_reserved_mib',
            metavar='<MiB>', type=int,
            help='Memory kept for the platform on this node, in MiB')
        parser.add_argument(
            '--hugepages-2m', dest='vm_hugepages_nr_2M_pending',
            metavar='<pages>', type=int,
            help='2 MiB huge pages for applications on this node')
        parser.add_argument(
            '--hugepages-1g', dest='vm_hugepages_nr_1G_pending',
            metavar='<pages>', type=int,
            help='1 GiB huge pages for applications on this node')
        return parser

    def take_action(self, parsed_args):
        fields = {name: getattr(parsed_args, name) for name in (
            'platform_reserved_mib', 'vm_hugepages_nr_2M_pending',
            'vm_hugepages_nr_1G_pending')
            if getattr(parsed_args, name) is not None}
        if not fields:
            raise exceptions.CommandError(
                'nothing to change: give --platform-reserved-mib, '
                '--hugepages-2m or --hugepages-1g')
        system = self.app.client_manager.system
        node = common.find_item(system, 'memory', parsed_args.host,
                                str(parsed_args.processor),
                                inventory.ShowMemory.keys, 'processor')
        return common.show(system.memory_update(node['uuid'], **fields))


class ModifyInterface(command.ShowOne):
    """Rename, class or size a network interface of a locked host."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', metavar='<host>',
                            help='Hostname or UUID of the (locked) host')
        parser.add_argument('interface', metavar='<interface>',
                            help='Name or UUID of the interface')
        parser.add_argument('--ifname', metavar='<name>',
                            help='New interface name (at most 15 '
                                 'characters)')
        parser.add_argument(
            '--ifclass', metavar='<class>', choices=constants.IFCLASSES,
            help='What the interface carries: %s'
                 % ', '.join(constants.IFCLASSES))
        parser.add_argument('--imtu', metavar='<mtu>', type=int,
                            help='MTU, from 576 to 9216')
        parser.add_argument(
            '--num-vfs', dest='sriov_numvfs', metavar='<count>', type=int,
            help='SR-IOV virtual functions (ifclass pci-sriov; up to what '
                 'the port supports)')
        return parser

    def take_action(self, parsed_args):
        fields = {name: getattr(parsed_args, name) for name in (
            'ifname', 'ifclass', 'imtu', 'sriov_numvfs')
            if getattr(parsed_args, name) is not None}
        if not fields:
            raise exceptions.CommandError(
                'nothing to change: give --ifname, --ifclass, --imtu or '
                '--num-vfs')
        system = self.app.client_manager.system
        interface = common.find_item(
            system, 'interface', parsed_args.host, parsed_args.interface,
            inventory.ShowInterface.keys, 'interface')
        return common.show(system.interface_update(interface['uuid'],
                                                   **fields))


class ModifyDevice(command.ShowOne):
    """Rename, enable or disable a PCI device of a locked host."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', metavar='<host>',
                            help='Hostname or UUID of the (locked) host')
        parser.add_argument('device', metavar='<device>',
                            help='Name, PCI address or UUID of the device')
        parser.add_argument('--name', metavar='<name>',
                            help='New name of the device')
        enabled = parser.add_mutually_exclusive_group()
        enabled.add_argument('--enable', dest='enabled', action='store_true',
                             default=None,
                             help='Let the host use the device')
        enabled.add_argument('--disable', dest='enabled',
                             action='store_false',
                             help='Keep the host from using the device')
        return parser

    def take_action(self, parsed_args):
        fields = {name: getattr(parsed_args, name)
                  for name in ('name', 'enabled')
                  if getattr(parsed_args, name) is not None}
        if not fields:
            raise exceptions.CommandError(
                'nothing to change: give --name, --enable or --disable')
        system = self.app.client_manager.system
        device = common.find_item(system, 'device', parsed_args.host,
                                  parsed_args.device,
                                  inventory.ShowDevice.keys, 'device')
        return common.show(system.device_update(device['uuid'], **fields))



def _bool_text(value):
    text = value.lower()
    if text not in ('true', 'false'):
        raise exceptions.CommandError('--suppress takes True or False, '
                                      'not %r' % value)
    return 'True' if text == 'true' else 'False'


class ModifySensorGroup(command.ShowOne):
    """Choose what a crossed threshold of a sensor group does, or suppress
    its alarms (any host state)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', metavar='<host>',
                            help='Hostname or UUID of the host')
        parser.add_argument('sensorgroup', metavar='<sensorgroup>',
                            help='Name or UUID of the sensor group '
                                 '(e.g. "server fans")')
        for severity in ('minor', 'major', 'critical'):
            parser.add_argument(
                '--actions-%s' % severity, metavar='<action>',
                dest='actions_%s_group' % severity,
                choices=('ignore', 'log', 'alarm'),
                help='What a %s threshold crossing does: ignore, log (a '
                     'customer log 200.007) or alarm (alarm 200.007; a '
                     'major or critical one degrades the host)' % severity)
        parser.add_argument('--suppress', metavar='<True|False>',
                            type=_bool_text,
                            help='Suppress the group\'s alarms (True) or '
                                 'stop suppressing them (False)')
        return parser

    def take_action(self, parsed_args):
        fields = {name: getattr(parsed_args, name) for name in (
            'actions_minor_group', 'actions_major_group',
            'actions_critical_group', 'suppress')
            if getattr(parsed_args, name) is not None}
        if not fields:
            raise exceptions.CommandError(
                'nothing to change: give --actions-minor, --actions-major, '
                '--actions-critical or --suppress')
        system = self.app.client_manager.system
        group = common.find_item(system, 'sensorgroup', parsed_args.host,
                                 parsed_args.sensorgroup,
                                 inventory.ShowSensorGroup.keys,
                                 'sensor group')
        return common.show(system.sensorgroup_update(group['uuid'],
                                                     **fields))


class ModifySensor(command.ShowOne):
    """Suppress a BMC sensor's alarms, or stop suppressing them."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', metavar='<host>',
                            help='Hostname or UUID of the host')
        parser.add_argument('sensor', metavar='<sensor>',
                            help='Name or UUID of the sensor')
        parser.add_argument('--suppress', metavar='<True|False>',
                            type=_bool_text, required=True,
                            help='Suppress the sensor\'s alarms (True) or '
                                 'stop suppressing them (False)')
        return parser

    def take_action(self, parsed_args):
        system = self.app.client_manager.system
        sensor = common.find_item(system, 'sensor', parsed_args.host,
                                  parsed_args.sensor,
                                  inventory.ShowSensor.keys, 'sensor')
        return common.show(system.sensor_update(
            sensor['uuid'], suppress=parsed_args.suppress))
