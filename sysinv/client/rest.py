"""A REST client of the inventory API (v1), for the CLI and other services.

It speaks StarlingX's sysinv v1 wire format: ``isystems``, ``ihosts`` and
the host item collections (``icpus``, ``imemorys``, ``idisks``, ``ports``,
``pci_devices``) with a ``next`` link, JSON-patch updates, and errors whose
``error_message`` is a JSON string holding ``faultstring``. The endpoint
comes from the Keystone catalog (service type ``platform``) unless
``endpoint_override`` names one; either form, ``http://host:6385`` or
``http://host:6385/v1``, is accepted.
"""

from urllib import parse

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exceptions

# The error types and the error-body parsing are fm's: both APIs answer
# with StarlingX's error shape, and callers catch one HTTPError for both.
from fm.client import rest as fm_rest

SERVICE_TYPE = 'platform'
API_VERSION = 'v1'
DEFAULT_TIMEOUT = 60.0

HTTPError = fm_rest.HTTPError
NotFound = fm_rest.NotFound

# Item kind -> the collection that serves it, under its host
# (/v1/ihosts/<host>/<collection>) and on its own (/v1/<collection>/<uuid>).
ITEM_COLLECTIONS = {
    'cpu': 'icpus',
    'memory': 'imemorys',
    'disk': 'idisks',
    'port': 'ports',
    'device': 'pci_devices',
}


def _quote(value, what):
    if not value:
        raise ValueError('a %s is required' % what)
    return parse.quote(str(value), safe='')


class Client:
    """The inventory API v1 through a keystoneauth1 session.

    :param session: a keystoneauth1 Session (its auth plugin supplies the
        token and, without ``endpoint_override``, the service catalog).
    :param endpoint_override: the sysinv-api URL, bypassing the catalog.
    :param timeout: seconds to wait for each answer; defaults to the
        session's timeout, else ``DEFAULT_TIMEOUT``.

    Every method raises :class:`HTTPError` (or :class:`NotFound`) when the
    API answers with an error, and keystoneauth1's exceptions when it
    cannot be reached or the endpoint is not in the catalog.
    """

    def __init__(self, session, endpoint_override=None, region_name=None,
                 interface='public', service_type=SERVICE_TYPE,
                 timeout=None):
        self._adapter = adapter.Adapter(
            session, service_type=service_type, region_name=region_name,
            interface=interface, endpoint_override=endpoint_override,
            client_name='stx-sysinv-client')
        if timeout is None:
            timeout = session.timeout or DEFAULT_TIMEOUT
        self.timeout = timeout
        self._root = None

    # Plumbing: the same as fm.client.rest.Client's, which keeps it in
    # private methods of its own class.

    def _api_root(self):
        """The endpoint with ``/v1``, looked up once."""
        if self._root is None:
            endpoint = self._adapter.get_endpoint()
            if not endpoint:
                raise ks_exceptions.EndpointNotFound(
                    'no %s endpoint in the service catalog'
                    % self._adapter.service_type)
            endpoint = endpoint.rstrip('/')
            if not endpoint.endswith('/' + API_VERSION):
                endpoint += '/' + API_VERSION
            self._root = endpoint
        return self._root

    def _request(self, method, path, params=None, body=None):
        kwargs = {'headers': {'Accept': 'application/json'},
                  'raise_exc': False, 'timeout': self.timeout}
        if params:
            kwargs['params'] = params
        if body is not None:
            kwargs['json'] = body
        response = self._adapter.request(self._api_root() + path, method,
                                         **kwargs)
        if response.status_code >= 400:
            error = NotFound if response.status_code == 404 else HTTPError
            raise error(response.status_code,
                        fm_rest._fault_string(response))
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise HTTPError(response.status_code,
                            'the inventory API answered %s %s with a body '
                            'that is not JSON' % (method, path))

    def _list(self, path, key, params=None, all_pages=True):
        body = self._request('GET', path, params)
        items = list(body.get(key) or [])
        seen_markers = set()
        while all_pages and body.get('next'):
            # Only the query of `next` is used: its host is whatever the
            # server saw, which behind a proxy may not be reachable from here.
            next_params = parse.parse_qsl(parse.urlsplit(body['next']).query,
                                          keep_blank_values=True)
            marker = dict(next_params).get('marker')
            if not marker or marker in seen_markers:
                break
            seen_markers.add(marker)
            body = self._request('GET', path, next_params)
            items.extend(body.get(key) or [])
        return items

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
