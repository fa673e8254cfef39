"""The REST plumbing every service's Python client shares.

A keystoneauth1 Adapter finds the service in the catalog (or takes an
``endpoint_override``, with or without ``/v1``), answers are JSON, errors
carry StarlingX's ``error_message`` (a JSON string holding
``faultstring``) and lists follow their ``next`` links.
"""

import json
from urllib import parse

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exceptions

DEFAULT_TIMEOUT = 60.0


class HTTPError(Exception):
    """The API answered with an HTTP error status."""

    def __init__(self, status, message):
        super().__init__(status, message)
        self.status = status
        self.message = message

    def __str__(self):
        return '%s (HTTP %s)' % (self.message, self.status)


class NotFound(HTTPError):
    """HTTP 404: no such resource."""


def fault_string(response):
    """The human message of an error response.

    StarlingX nests the fault as a JSON string inside ``error_message``;
    anything else (a proxy's HTML page, plain text) is shown as it came.
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and 'error_message' in body:
        fault = body['error_message']
        if isinstance(fault, str):
            try:
                fault = json.loads(fault)
            except ValueError:
                return fault
        if isinstance(fault, dict) and fault.get('faultstring'):
            return fault['faultstring']
    text = (response.text or '').strip()
    return text or response.reason or 'HTTP %s' % response.status_code


def quote(value, what):
    """``value`` as one path segment; refuses an empty one."""
    if not value:
        raise ValueError('a %s is required' % what)
    return parse.quote(str(value), safe='')


class RestClient:
    """Base of the service clients: subclasses add the resource methods.

    :param session: a keystoneauth1 Session (its auth plugin supplies the
        token and, without ``endpoint_override``, the service catalog).
    :param endpoint_override: the API's URL, bypassing the catalog.
    :param timeout: seconds to wait for each answer; defaults to the
        session's timeout, else ``DEFAULT_TIMEOUT``.

    Every request raises :class:`HTTPError` (or :class:`NotFound`) when the
    API answers with an error, and keystoneauth1's exceptions when it
    cannot be reached or the endpoint is not in the catalog.
    """

    service_type = None
    api_version = 'v1'
    api_name = 'the API'   # for messages: 'the fault API'

    def __init__(self, session, endpoint_override=None, region_name=None,
                 interface='public', service_type=None, timeout=None):
        self._adapter = adapter.Adapter(
            session, service_type=service_type or self.service_type,
            region_name=region_name, interface=interface,
            endpoint_override=endpoint_override,
            client_name='stx-%s-client' % (service_type or
                                           self.service_type))
        if timeout is None:
            timeout = session.timeout or DEFAULT_TIMEOUT
        self.timeout = timeout
        self._root = None

    def _api_root(self):
        """The endpoint with its version, looked up once."""
        if self._root is None:
            endpoint = self._adapter.get_endpoint()
            if not endpoint:
                raise ks_exceptions.EndpointNotFound(
                    'no %s endpoint in the service catalog'
                    % self._adapter.service_type)
            endpoint = endpoint.rstrip('/')
            if not endpoint.endswith('/' + self.api_version):
                endpoint += '/' + self.api_version
            self._root = endpoint
        return self._root

    def _request(self, method, path, params=None, body=None, files=None):
        """``files``, as requests takes them, makes a multipart upload."""
        kwargs = {'headers': {'Accept': 'application/json'},
                  'raise_exc': False, 'timeout': self.timeout}
        if params:
            kwargs['params'] = params
        if body is not None:
            kwargs['json'] = body
        if files:
            kwargs['files'] = files
        response = self._adapter.request(self._api_root() + path, method,
                                         **kwargs)
        if response.status_code >= 400:
            error = NotFound if response.status_code == 404 else HTTPError
            raise error(response.status_code, fault_string(response))
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise HTTPError(response.status_code,
                            '%s answered %s %s with a body that is not JSON'
                            % (self.api_name, method, path))

    def _list(self, path, key, params=None, all_pages=True):
        """The items under ``key``; with ``all_pages``, every page."""
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
