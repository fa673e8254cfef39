"""Reading a host's hardware: CPUs, memory, disks, ports, PCI devices,
sensors."""

from oslo_policy import policy


def _get_rule(name, collection, item):
    return policy.DocumentedRuleDefault(
        'sysinv:%s:get' % name, 'rule:reader_api',
        'List and show the %s of hosts.' % collection.replace('_', ' '),
        [{'path': '/v1/ihosts/{host_uuid}/%s' % collection,
          'method': 'GET'},
         {'path': '/v1/%s/{%s_uuid}' % (collection, item), 'method': 'GET'}])


rules = [
    _get_rule('cpu', 'icpus', 'cpu'),
    _get_rule('memory', 'imemorys', 'memory'),
    _get_rule('disk', 'idisks', 'disk'),
    _get_rule('port', 'ports', 'port'),
    _get_rule('interface', 'iinterfaces', 'interface'),
    _get_rule('pci_device', 'pci_devices', 'pci_device'),
    _get_rule('sensor', 'isensors', 'sensor'),
    _get_rule('sensorgroup', 'isensorgroups', 'sensorgroup'),
]

rules += [
    policy.DocumentedRuleDefault(
        'sysinv:cpu:modify', 'rule:admin_api',
        'Assign the functions of a locked host\'s CPU cores.',
        [{'path': '/v1/ihosts/{host_uuid}/state/host_cpus_modify',
          'method': 'PUT'}]),
    policy.DocumentedRuleDefault(
        'sysinv:memory:modify', 'rule:admin_api',
        'Change the platform memory and huge pages of a locked host.',
        [{'path': '/v1/imemorys/{memory_uuid}', 'method': 'PATCH'}]),
    policy.DocumentedRuleDefault(
        'sysinv:interface:modify', 'rule:admin_api',
        'Name, class and size a locked host\'s interfaces.',
        [{'path': '/v1/iinterfaces/{interface_uuid}', 'method': 'PATCH'}]),
    policy.DocumentedRuleDefault(
        'sysinv:pci_device:modify', 'rule:admin_api',
        'Rename, enable or disable a locked host\'s PCI devices.',
        [{'path': '/v1/pci_devices/{pci_device_uuid}', 'method': 'PATCH'}]),
    policy.DocumentedRuleDefault(
        'sysinv:sensorgroup:modify', 'rule:admin_api',
        'Choose what a crossed threshold of a sensor group does, or '
        'suppress its alarms.',
        [{'path': '/v1/isensorgroups/{sensorgroup_uuid}',
          'method': 'PATCH'}]),
    policy.DocumentedRuleDefault(
        'sysinv:sensor:modify', 'rule:admin_api',
        'Suppress a sensor\'s alarms, or stop suppressing them.',
        [{'path': '/v1/isensors/{sensor_uuid}', 'method': 'PATCH'}]),
]
