"""A REST client of the fault API (v1), for the CLI and for other services.

It speaks StarlingX's fm v1 wire format: ``q.field``/``q.op``/``q.value``
filters, ``ialarms``/``event_log``/``event_suppression`` collections with a
``next`` link, and errors whose ``error_message`` is a JSON string holding
``faultstring``. The endpoint comes from the Keystone catalog (service type
``faultmanagement``) unless ``endpoint_override`` names one; either form,
``http://host:18002`` or ``http://host:18002/v1``, is accepted.
"""

import re
from urllib import parse

from stxcommon import rest_client

SERVICE_TYPE = 'faultmanagement'
API_VERSION = 'v1'
DEFAULT_TIMEOUT = rest_client.DEFAULT_TIMEOUT
OPERATORS = ('eq', 'ne', 'lt', 'le', 'gt', 'ge')

# The CLI spelling of a filter, as StarlingX's fm client writes it:
# ``severity!=minor``, ``alarm_id=100.101``, ``start>=2024-01-01T00:00``.
_CLI_OPERATORS = {'=': 'eq', '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le',
                  '>': 'gt', '>=': 'ge'}
_CLI_QUERY = re.compile(r'^\s*(?P<field>\w+)\s*(?P<op>==|!=|<=|>=|=|<|>)'
                        r'(?P<value>.*)$')


HTTPError = rest_client.HTTPError
NotFound = rest_client.NotFound


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


class Client(rest_client.RestClient):
    """The fault API v1 through a keystoneauth1 session.

    See :class:`stxcommon.rest_client.RestClient` for the arguments and
    the errors every method raises.
    """

    service_type = SERVICE_TYPE
    api_version = API_VERSION
    api_name = 'the fault API'

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
