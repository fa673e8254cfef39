"""A REST client of the fault API (v1), for the CLI and for other services.

It speaks StarlingX's fm v1 wire format: ``q.field``/``q.op``/``q.value``
filters, ``ialarms``/``event_log``/``event_suppression`` collections with a
``next`` link, and errors whose ``error_message`` is a JSON string holding
``faultstring``. The endpoint comes from the Keystone catalog (service type
``faultmanagement``) unless ``endpoint_override`` names one; either form,
``http://host:18002`` or ``http://host:18002/v1``, is accepted.
"""

import json
import re
from urllib import parse

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exceptions

SERVICE_TYPE = 'faultmanagement'
API_VERSION = 'v1'
DEFAULT_TIMEOUT = 60.0
OPERATORS = ('eq', 'ne', 'lt', 'le', 'gt', 'ge')

# The CLI spelling of a filter, as StarlingX's fm client writes it:
# ``severity!=minor``, ``alarm_id=100.101``, ``start>=2024-01-01T00:00``.
_CLI_OPERATORS = {'=': 'eq', '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le',
                  '>': 'gt', '>=': 'ge'}
_CLI_QUERY = re.compile(r'^\s*(?P<field>\w+)\s*(?P<op>==|!=|<=|>=|=|<|>)'
                        r'(?P<value>.*)$')


class HTTPError(Exception):
    """The fault API answered with an HTTP error status."""

    def __init__(self, status, message):
        super().__init__(status, message)
        self.status = status
        self.message = message

    def __str__(self):
        return '%s (HTTP %s)' % (self.message, self.status)


class NotFound(HTTPError):
    """HTTP 404: no such alarm, event or suppression entry."""


def parse_query(text):
    """``(field, op, value)`` triples out of CLI text such as ``a=1;b!=2``.

    Field names are plain words, so the first operator after the field
    starts the value: ``entity_instance_id=host=controller-0`` filters on
    the value ``host=controller-0``.
    """
    triples = []
    for part in text.split(';'):
        if not part.strip():
            continue
        match = _CLI_QUERY.match(part)
        if not match:
            raise ValueError('%r is not a filter of the form <field><op>'
                             '<value>, with <op> one of = != < <= > >='
                             % part)
        triples.append((match.group('field'),
                        _CLI_OPERATORS[match.group('op')],
                        match.group('value').strip()))
    return triples


def _fault_string(response):
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


def _query_params(q):
    params = []
    for triple in q or ():
        try:
            field, op, value = triple
        except (TypeError, ValueError):
            raise ValueError('each filter must be (field, op, value), not '
                             '%r' % (triple,))
        # WSME pairs up q.field/q.op/q.value by position, so every filter
        # carries all three.
        params += [('q.field', field), ('q.op', op or 'eq'),
                   ('q.value', '' if value is None else str(value))]
    return params


def _flag(params, name, value):
    if value:
        params.append((name, 'true'))


class Client:
    """The fault API v1 through a keystoneauth1 session.

    :param session: a keystoneauth1 Session (its auth plugin supplies the
        token and, without ``endpoint_override``, the service catalog).
    :param endpoint_override: the fm-api URL, bypassing the catalog.
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
            client_name='stx-fm-client')
        if timeout is None:
            timeout = session.timeout or DEFAULT_TIMEOUT
        self.timeout = timeout
        self._root = None

    # Plumbing.

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
        url = self._api_root() + path
        kwargs = {'headers': {'Accept': 'application/json'},
                  'raise_exc': False, 'timeout': self.timeout}
        if params:
            kwargs['params'] = params
        if body is not None:
            kwargs['json'] = body
        response = self._adapter.request(url, method, **kwargs)
        if response.status_code >= 400:
            error = NotFound if response.status_code == 404 else HTTPError
            raise error(response.status_code, _fault_string(response))
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise HTTPError(response.status_code,
                            'the fault API answered %s %s with a body that '
                            'is not JSON' % (method, path))

    def _list(self, path, key, params, all_pages):
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
    def _path(collection, uuid):
        if not uuid:
            raise ValueError('a uuid is required')
        return '/%s/%s' % (collection, parse.quote(str(uuid), safe=''))

    # Alarms.

    def alarm_list(self, q=None, limit=None, marker=None, sort_key=None,
                   sort_dir=None, include_suppress=False, expand=False,
                   all_pages=False):
        """Active alarms, as dicts.

        :param q: filters, a list of ``(field, op, value)``.
        :param limit: the page size (the server's maximum when None).
        :param all_pages: follow ``next`` links to the last page.
        """
        params = _query_params(q)
        for name, value in (('limit', limit), ('marker', marker),
                            ('sort_key', sort_key), ('sort_dir', sort_dir)):
            if value is not None:
                params.append((name, str(value)))
        _flag(params, 'include_suppress', include_suppress)
        _flag(params, 'expand', expand)
        return self._list('/alarms', 'ialarms', params, all_pages)

    def alarm_show(self, uuid):
        return self._request('GET', self._path('alarms', uuid))

    def alarm_delete(self, uuid):
        self._request('DELETE', self._path('alarms', uuid))

    def alarm_summary(self, include_suppress=False):
        """Counts by severity and the overall ``status``."""
        params = []
        _flag(params, 'include_suppress', include_suppress)
        return self._request('GET', '/alarms/summary', params)

    # Event log.

    def event_list(self, q=None, limit=None, marker=None, alarms=False,
                   logs=False, include_suppress=False, expand=False,
                   all_pages=False, sort_key=None, sort_dir=None):
        """Event-log entries, newest first, as dicts.

        :param alarms: only alarm sets and clears.
        :param logs: only customer logs.
        """
        if alarms and logs:
            raise ValueError('alarms and logs cannot both be true')
        params = _query_params(q)
        for name, value in (('limit', limit), ('marker', marker),
                            ('sort_key', sort_key), ('sort_dir', sort_dir)):
            if value is not None:
                params.append((name, str(value)))
        _flag(params, 'alarms', alarms)
        _flag(params, 'logs', logs)
        _flag(params, 'include_suppress', include_suppress)
        _flag(params, 'expand', expand)
        return self._list('/event_log', 'event_log', params, all_pages)

    def event_show(self, uuid):
        return self._request('GET', self._path('event_log', uuid))

    # Suppression.

    def suppression_list(self):
        body = self._request('GET', '/event_suppression')
        return list(body.get('event_suppression') or [])

    def suppression_update(self, uuid, status):
        """Set an alarm ID's ``suppressed``/``unsuppressed`` status."""
        patch = [{'op': 'replace', 'path': '/suppression_status',
                  'value': status}]
        return self._request('PATCH', self._path('event_suppression', uuid),
                             body=patch)
