"""A REST client of the inventory API (v1), for the CLI and other services.

It speaks StarlingX's sysinv v1 wire format: ``isystems``, ``ihosts`` and
the host item collections (``icpus``, ``imemorys``, ``idisks``, ``ports``,
``pci_devices``) with a ``next`` link, JSON-patch updates, and errors whose
``error_message`` is a JSON string holding ``faultstring``. The endpoint
comes from the Keystone catalog (service type ``platform``) unless
``endpoint_override`` names one; either form, ``http://host:6385`` or
``http://host:6385/v1``, is accepted.
"""

from stxcommon import rest_client

SERVICE_TYPE = 'platform'
API_VERSION = 'v1'
DEFAULT_TIMEOUT = rest_client.DEFAULT_TIMEOUT

HTTPError = rest_client.HTTPError
NotFound = rest_client.NotFound

# Item kind -> the collection that serves it, under its host
# (/v1/ihosts/<host>/<collection>) and on its own (/v1/<collection>/<uuid>).
ITEM_COLLECTIONS = {
    'cpu': 'icpus',
    'memory': 'imemorys',
    'disk': 'idisks',
    'port': 'ports',
    'interface': 'iinterfaces',
    'device': 'pci_devices',
    'sensor': 'isensors',
    'sensorgroup': 'isensorgroups',
}


_quote = rest_client.quote


class Client(rest_client.RestClient):
    """The inventory API v1 through a keystoneauth1 session.

    See :class:`stxcommon.rest_client.RestClient` for the arguments and
    the errors every method raises.
    """

    service_type = SERVICE_TYPE
    api_version = API_VERSION
    api_name = 'the inventory API'

    @staticmethod
    def _patch(fields):
        """JSON-patch ``replace`` operations, in a stable order."""
        if not fields:
            raise ValueError('nothing to change')
        return [{'op': 'replace', 'path': '/' + name, 'value': value}
                for name, value in sorted(fields.items())]

    # System.

    def system_list(self):
        """The systems (StarlingX has exactly one), as dicts."""
        return list(self._request('GET', '/isystems').get('isystems') or [])

    def system_show(self, uuid=None):
        """One system by UUID, or the one system when ``uuid`` is None."""
        if uuid is None:
            systems = self.system_list()
            if not systems:
                raise NotFound(404, 'No system is defined.')
            return systems[0]
        return self._request('GET', '/isystems/' + _quote(uuid, 'uuid'))

    def system_update(self, uuid=None, **fields):
        """Change name, description, location or contact of a system
        (the one system when ``uuid`` is None)."""
        path = '/isystems'
        if uuid is not None:
            path += '/' + _quote(uuid, 'uuid')
        return self._request('PATCH', path, body=self._patch(fields))

    # Hosts.

    def host_list(self, limit=None, marker=None, sort_key=None,
                  sort_dir=None, personality=None, all_pages=False):
        """Hosts, as dicts (summary fields only).

        :param limit: the page size (the server's maximum when None).
        :param personality: only hosts of this personality.
        :param all_pages: follow ``next`` links to the last page.
        """
        params = []
        for name, value in (('limit', limit), ('marker', marker),
                            ('sort_key', sort_key), ('sort_dir', sort_dir),
                            ('personality', personality)):
            if value is not None:
                params.append((name, str(value)))
        return self._list('/ihosts', 'ihosts', params, all_pages)

    def host_show(self, host):
        """A host by UUID or hostname, with all its fields."""
        return self._request('GET', '/ihosts/' + _quote(host, 'host'))

    def host_add(self, **fields):
        """Add a host; ``hostname``, ``personality`` and ``mgmt_mac`` are
        required, fields given as None are left out."""
        body = {k: v for k, v in fields.items() if v is not None}
        return self._request('POST', '/ihosts', body=body)

    def host_update(self, host, **fields):
        """Change fields of a host (UUID or hostname); returns the host."""
        return self._request('PATCH', '/ihosts/' + _quote(host, 'host'),
                             body=self._patch(fields))

    def host_delete(self, host):
        self._request('DELETE', '/ihosts/' + _quote(host, 'host'))

    def host_bulk_add(self, xml_bytes):
        """Add the hosts of a StarlingX hosts XML file.

        Returns StarlingX's ``success`` (host names) and ``error`` (a line
        per refused host) text; this project's API adds ``hosts``, the
        outcome of each row.
        """
        return self._request(
            'POST', '/ihosts/bulk_add',
            files={'file': ('hosts.xml', xml_bytes, 'application/xml')})

    def host_bulk_export(self):
        """The hosts XML file of every provisioned host, as text."""
        return self._request('GET', '/ihosts/bulk_export')['content']

    def host_action(self, host, action):
        """Start ``action`` (lock, unlock, force-lock, reboot, reset,
        power-on, power-off, swact); returns the host with its task."""
        return self.host_update(host, action=action)

    def host_cpus_modify(self, host, function, sockets):
        """Give ``function`` {socket: physical cores}; returns the CPUs."""
        body = [{'function': function,
                 'sockets': [{str(s): n} for s, n in sorted(sockets.items())]}]
        return self._request(
            'PUT', '/ihosts/%s/state/host_cpus_modify' % _quote(host, 'host'),
            body=body).get('icpus') or []

    def interface_update(self, uuid, **fields):
        """Change an interface's ifname, ifclass, imtu or sriov_numvfs."""
        return self._request('PATCH', '/iinterfaces/' + _quote(uuid, 'uuid'),
                             body=self._patch(fields))

    def device_update(self, uuid, **fields):
        """Rename (``name``) or enable/disable (``enabled``) a device."""
        return self._request('PATCH', '/pci_devices/' + _quote(uuid, 'uuid'),
                             body=self._patch(fields))

    def sensor_update(self, uuid, **fields):
        """Suppress a sensor's alarms (``suppress='True'``) or not."""
        return self._request('PATCH', '/isensors/' + _quote(uuid, 'uuid'),
                             body=self._patch(fields))

    def sensorgroup_update(self, uuid, **fields):
        """Change a sensor group's actions_<severity>_group or
        suppress."""
        return self._request('PATCH',
                             '/isensorgroups/' + _quote(uuid, 'uuid'),
                             body=self._patch(fields))

    def memory_update(self, uuid, **fields):
        """Change a NUMA node's platform memory or pending huge pages."""
        return self._request('PATCH', '/imemorys/' + _quote(uuid, 'uuid'),
                             body=self._patch(fields))

    # A host's hardware: every page of a host's items, or one by UUID.

    def host_item_list(self, kind, host):
        """The items of one ``kind`` (a key of ITEM_COLLECTIONS)."""
        collection = ITEM_COLLECTIONS[kind]
        return self._list('/ihosts/%s/%s' % (_quote(host, 'host'),
                                             collection), collection)

    def item_show(self, kind, uuid):
        return self._request('GET', '/%s/%s' % (ITEM_COLLECTIONS[kind],
                                                _quote(uuid, 'uuid')))

    def host_cpu_list(self, host):
        return self.host_item_list('cpu', host)

    def host_memory_list(self, host):
        return self.host_item_list('memory', host)

    def host_disk_list(self, host):
        return self.host_item_list('disk', host)

    def host_port_list(self, host):
        return self.host_item_list('port', host)

    def host_device_list(self, host):
        return self.host_item_list('device', host)

    def cpu_show(self, uuid):
        return self.item_show('cpu', uuid)

    def memory_show(self, uuid):
        return self.item_show('memory', uuid)

    def disk_show(self, uuid):
        return self.item_show('disk', uuid)

    def port_show(self, uuid):
        return self.item_show('port', uuid)

    def device_show(self, uuid):
        return self.item_show('device', uuid)
