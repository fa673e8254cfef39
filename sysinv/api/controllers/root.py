"""The API root: the version document, readable without a token."""

import pecan

from stxcommon.api import params
from sysinv.api.controllers import v1


class RootController:
    v1 = v1.Controller()

    @pecan.expose('json')
    def index(self):
        version = {'id': 'v1', 'links': [
            {'href': params.resource_url('v1') + '/', 'rel': 'self'}]}
        return {
            'name': 'StarlingX SysInv API',
            'description': 'Inventory and configuration of the system and '
                           'its hosts: CPUs, memory, disks, ports and PCI '
                           'devices.',
            'default_version': version,
            'versions': [version],
        }
