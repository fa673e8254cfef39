"""/v1 of the inventory API."""

import pecan

from stxcommon.api import params
from sysinv.api.controllers.v1 import host
from sysinv.api.controllers.v1 import inventory
from sysinv.api.controllers.v1 import system

MEDIA_TYPE = 'application/vnd.openstack.sysinv.v1+json'
_COLLECTIONS = ('isystems', 'ihosts', 'icpus', 'imemorys', 'idisks',
                'ports', 'ethernet_ports', 'iinterfaces', 'pci_devices',
                'isensors', 'isensorgroups')


class Controller:
    isystems = system.SystemController()
    ihosts = host.HostController()
    icpus = inventory.CpuController()
    imemorys = inventory.MemoryController()
    idisks = inventory.DiskController()
    ports = inventory.PortController()
    ethernet_ports = inventory.EthernetPortController()
    pci_devices = inventory.PciDeviceController()
    iinterfaces = inventory.InterfaceController()
    isensors = inventory.SensorController()
    isensorgroups = inventory.SensorGroupController()

    @pecan.expose('json')
    def index(self):
        doc = {
            'id': 'v1',
            'media_types': [{'base': 'application/json',
                             'type': MEDIA_TYPE}],
            'links': [{'href': params.resource_url('v1') + '/',
                       'rel': 'self'}],
        }
        for name in _COLLECTIONS:
            doc[name] = params.links('v1', name + '/')
        return doc
