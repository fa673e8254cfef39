"""fm.client.rest against a canned fm-api on 127.0.0.1.

The fake API answers with StarlingX-shaped JSON scripted by each test and
records every request, so the tests read as "this call sends that request
and turns this answer into that result".
"""

from urllib import parse

from keystoneauth1 import access
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import fixture as ks_fixture
from keystoneauth1.identity import access as access_plugin
from keystoneauth1 import noauth
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint

from fm.client import rest
from fm.tests.unit import base as fm_base
from stxcommon.tests import base
from stxcommon.tests import fake_api

ALARM_1 = {
    'uuid': '0b4f4a43-8a2c-4a1b-9a3e-6f8f0b9d2a11',
    'alarm_id': '100.101',
    'entity_instance_id': 'host=controller-0.processor=0',
    'severity': 'critical',
    'timestamp': '2024-05-01T12:00:00.000000',
    'reason_text': 'Platform CPU threshold exceeded; threshold 95.00%, '
                   'actual 98.00%',
    'suppression_status': 'unsuppressed',
    'mgmt_affecting': 'True',
    'degrade_affecting': 'False',
}
ALARM_2 = {
    'uuid': 'a7c1e2d3-54f6-47a8-b9c0-d1e2f3a4b5c6',
    'alarm_id': '200.001',
    'entity_instance_id': 'host=controller-1',
    'severity': 'major',
    'timestamp': '2024-05-01T11:00:00.000000',
    'reason_text': 'controller-1 was administratively locked to take it '
                   'out-of-service.',
    'suppression_status': 'suppressed',
    'mgmt_affecting': 'False',
    'degrade_affecting': 'False',
}
ALARM_1_DETAIL = dict(
    ALARM_1, alarm_state='set', entity_type_id='host.processor',
    alarm_type='operational-violation', probable_cause='threshold-crossed',
    proposed_repair_action='Monitor and if condition persists, contact '
                           'next level of support.',
    service_affecting='False', suppression='True',
    created_at='2024-05-01T12:00:00.123456+00:00', updated_at=None,
    links=[{'href': 'http://fm:18002/v1/alarms/' + ALARM_1['uuid'],
            'rel': 'self'},
           {'href': 'http://fm:18002/alarms/' + ALARM_1['uuid'],
            'rel': 'bookmark'}])
SUMMARY = {'critical': 1, 'major': 1, 'minor': 0, 'warnings': 2,
           'status': 'critical'}
EVENT_1 = {
    'uuid': 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
    'event_log_id': '200.001',
    'state': 'clear',
    'entity_instance_id': 'host=controller-1',
    'timestamp': '2024-05-01T13:00:00.000000',
    'severity': 'clear',
    'reason_text': 'controller-1 was administratively locked to take it '
                   'out-of-service.',
    'suppression_status': 'unsuppressed',
}
EVENT_2 = dict(EVENT_1, uuid='f0e1d2c3-b4a5-4967-8877-665544332211',
               state='set', severity='major',
               timestamp='2024-05-01T11:00:00.000000')
EVENT_LOG = {
    'uuid': '11111111-2222-4333-8444-555555555555',
    'event_log_id': '401.001',
    'state': 'log',
    'entity_instance_id': 'service_domain=controller',
    'timestamp': '2024-05-01T10:00:00.000000',
    'severity': 'critical',
    'reason_text': 'Service group cloud-services state change',
    'suppression_status': 'unsuppressed',
}
SUPPRESSION_1 = {
    'uuid': '7d9c2c8e-3c1b-4c51-9a43-5cfb7a4e2d01',
    'alarm_id': '100.101',
    'description': 'Platform CPU threshold exceeded',
    'suppression_status': 'unsuppressed',
    'links': [{'href': 'http://fm:18002/v1/event_suppression/7d9c2c8e',
               'rel': 'self'}],
}
SUPPRESSION_2 = {
    'uuid': '2f3e4d5c-6b7a-4899-8a7b-6c5d4e3f2a10',
    'alarm_id': '200.001',
    'description': 'Host was administratively locked',
    'suppression_status': 'suppressed',
    'links': [],
}

FakeFaultAPI = fake_api.FakeAPI
error_body = fake_api.error_body


class ClientTestCase(fake_api.ClientTestMixin, base.TestCase):
    client_class = rest.Client


class AlarmTest(ClientTestCase):

    def test_list_sends_filters_paging_and_flags(self):
        self.api.respond('GET', '/v1/alarms',
                         {'ialarms': [ALARM_1, ALARM_2], 'next': None})
        alarms = self.client.alarm_list(
            q=[('severity', 'eq', 'critical'),
               ('entity_instance_id', 'ne', 'host=controller-0')],
            limit=10, marker=ALARM_2['uuid'], sort_key='severity',
            sort_dir='asc', include_suppress=True, expand=True)
        self.assertEqual([ALARM_1, ALARM_2], alarms)
        request = self.assertRequest('GET', '/v1/alarms', [
            ('q.field', 'severity'), ('q.op', 'eq'), ('q.value', 'critical'),
            ('q.field', 'entity_instance_id'), ('q.op', 'ne'),
            ('q.value', 'host=controller-0'),
            ('limit', '10'), ('marker', ALARM_2['uuid']),
            ('sort_key', 'severity'), ('sort_dir', 'asc'),
            ('include_suppress', 'true'), ('expand', 'true')])
        self.assertEqual('application/json', request.headers['Accept'])

    def test_list_without_options_sends_no_parameters(self):
        self.api.respond('GET', '/v1/alarms', {'ialarms': [], 'next': None})
        self.assertEqual([], self.client.alarm_list())
        self.assertRequest('GET', '/v1/alarms', [])

    def test_filter_without_operator_is_eq(self):
        self.api.respond('GET', '/v1/alarms', {'ialarms': [], 'next': None})
        self.client.alarm_list(q=[('alarm_id', None, '100.101')])
        self.assertRequest('GET', '/v1/alarms', [
            ('q.field', 'alarm_id'), ('q.op', 'eq'),
            ('q.value', '100.101')])

    def test_malformed_filter_is_refused_before_any_request(self):
        self.assertRaises(ValueError, self.client.alarm_list,
                          q=[('severity', 'critical')])
        self.assertEqual([], self.api.requests)

    def test_next_page_is_followed_only_when_asked(self):
        # The next link names the host the server saw; the client keeps
        # its own endpoint and takes only the query.
        next_url = ('http://fm-internal.invalid:18002/v1/alarms?'
                    'include_suppress=true&limit=1&marker=' + ALARM_1['uuid'])
        first = {'ialarms': [ALARM_1], 'next': next_url}
        self.api.respond('GET', '/v1/alarms', first)
        self.api.respond('GET', '/v1/alarms', first)
        self.api.respond('GET', '/v1/alarms',
                         {'ialarms': [ALARM_2], 'next': None})

        self.assertEqual([ALARM_1], self.client.alarm_list(
            limit=1, include_suppress=True))
        self.assertEqual(1, len(self.api.requests))

        self.assertEqual([ALARM_1, ALARM_2], self.client.alarm_list(
            limit=1, include_suppress=True, all_pages=True))
        self.assertEqual(3, len(self.api.requests))
        self.assertRequest('GET', '/v1/alarms',
                           [('limit', '1'), ('include_suppress', 'true')],
                           index=1)
        self.assertRequest('GET', '/v1/alarms', [
            ('include_suppress', 'true'), ('limit', '1'),
            ('marker', ALARM_1['uuid'])])

    def test_a_next_link_that_repeats_ends_the_walk(self):
        self.api.respond('GET', '/v1/alarms', {
            'ialarms': [ALARM_1],
            'next': self.api.url + '/v1/alarms?limit=1&marker=' +
            ALARM_1['uuid']})
        alarms = self.client.alarm_list(limit=1, all_pages=True)
        self.assertEqual([ALARM_1, ALARM_1], alarms)
        self.assertEqual(2, len(self.api.requests))

    def test_show(self):
        path = '/v1/alarms/' + ALARM_1['uuid']
        self.api.respond('GET', path, ALARM_1_DETAIL)
        self.assertEqual(ALARM_1_DETAIL,
                         self.client.alarm_show(ALARM_1['uuid']))
        self.assertRequest('GET', path)

    def test_uuid_is_quoted_into_the_path(self):
        self.assertRaises(rest.NotFound, self.client.alarm_show, 'a/b?c')
        self.assertEqual('/v1/alarms/a/b?c', parse.unquote(
            self.api.requests[-1].path))
        self.assertEqual([], self.api.requests[-1].query)

    def test_delete(self):
        path = '/v1/alarms/' + ALARM_1['uuid']
        self.api.respond('DELETE', path, status=204)
        self.assertIsNone(self.client.alarm_delete(ALARM_1['uuid']))
        self.assertRequest('DELETE', path)

    def test_summary(self):
        self.api.respond('GET', '/v1/alarms/summary', SUMMARY)
        self.assertEqual(SUMMARY, self.client.alarm_summary())
        self.assertRequest('GET', '/v1/alarms/summary')
        self.client.alarm_summary(include_suppress=True)
        self.assertRequest('GET', '/v1/alarms/summary',
                           [('include_suppress', 'true')])


class EventTest(ClientTestCase):

    def test_list_with_time_window_and_kind(self):
        self.api.respond('GET', '/v1/event_log',
                         {'event_log': [EVENT_1, EVENT_2], 'next': None})
        events = self.client.event_list(
            q=[('start', 'ge', '2024-05-01T00:00:00'),
               ('end', 'le', '2024-05-02T00:00:00'),
               ('event_log_id', 'eq', '200.001')],
            limit=50, alarms=True, include_suppress=True, expand=True)
        self.assertEqual([EVENT_1, EVENT_2], events)
        self.assertRequest('GET', '/v1/event_log', [
            ('q.field', 'start'), ('q.op', 'ge'),
            ('q.value', '2024-05-01T00:00:00'),
            ('q.field', 'end'), ('q.op', 'le'),
            ('q.value', '2024-05-02T00:00:00'),
            ('q.field', 'event_log_id'), ('q.op', 'eq'),
            ('q.value', '200.001'),
            ('limit', '50'), ('alarms', 'true'),
            ('include_suppress', 'true'), ('expand', 'true')])

    def test_logs_only(self):
        self.api.respond('GET', '/v1/event_log',
                         {'event_log': [EVENT_LOG], 'next': None})
        self.assertEqual([EVENT_LOG], self.client.event_list(logs=True))
        self.assertRequest('GET', '/v1/event_log', [('logs', 'true')])

    def test_alarms_and_logs_together_are_refused(self):
        self.assertRaises(ValueError, self.client.event_list,
                          alarms=True, logs=True)
        self.assertEqual([], self.api.requests)

    def test_all_pages(self):
        self.api.respond('GET', '/v1/event_log', {
            'event_log': [EVENT_1],
            'next': self.api.url + '/v1/event_log?logs=false&limit=1&'
            'marker=' + EVENT_1['uuid']})
        self.api.respond('GET', '/v1/event_log',
                         {'event_log': [EVENT_2], 'next': None})
        self.assertEqual([EVENT_1, EVENT_2],
                         self.client.event_list(limit=1, all_pages=True))
        self.assertRequest('GET', '/v1/event_log', [
            ('logs', 'false'), ('limit', '1'), ('marker', EVENT_1['uuid'])])

    def test_show(self):
        path = '/v1/event_log/' + EVENT_1['uuid']
        self.api.respond('GET', path, EVENT_1)
        self.assertEqual(EVENT_1, self.client.event_show(EVENT_1['uuid']))
        self.assertRequest('GET', path)


class SuppressionTest(ClientTestCase):

    def test_list(self):
        self.api.respond('GET', '/v1/event_suppression', {
            'event_suppression': [SUPPRESSION_1, SUPPRESSION_2]})
        self.assertEqual([SUPPRESSION_1, SUPPRESSION_2],
                         self.client.suppression_list())
        self.assertRequest('GET', '/v1/event_suppression')

    def test_update_sends_a_json_patch(self):
        path = '/v1/event_suppression/' + SUPPRESSION_1['uuid']
        updated = dict(SUPPRESSION_1, suppression_status='suppressed')
        self.api.respond('PATCH', path, updated)
        self.assertEqual(updated, self.client.suppression_update(
            SUPPRESSION_1['uuid'], 'suppressed'))
        request = self.assertRequest('PATCH', path)
        self.assertEqual([{'op': 'replace', 'path': '/suppression_status',
                           'value': 'suppressed'}], request.body)
        self.assertEqual('application/json', request.headers['Content-Type'])


class ErrorTest(ClientTestCase):

    def test_error_message_faultstring_becomes_the_message(self):
        self.api.respond('GET', '/v1/alarms', error_body(
            "limit must be between 1 and 1000, not 5000"), status=400)
        error = self.assertRaises(rest.HTTPError, self.client.alarm_list,
                                  limit=5000)
        self.assertEqual(400, error.status)
        self.assertEqual('limit must be between 1 and 1000, not 5000',
                         error.message)
        self.assertIn('HTTP 400', str(error))
        self.assertNotIsInstance(error, rest.NotFound)

    def test_not_found(self):
        error = self.assertRaises(rest.NotFound, self.client.event_show,
                                  EVENT_1['uuid'])
        self.assertIsInstance(error, rest.HTTPError)
        self.assertEqual((404, 'Resource could not be found.'),
                         (error.status, error.message))

    def test_error_message_that_is_not_json_is_shown_as_is(self):
        self.api.respond('DELETE', '/v1/alarms/x',
                         {'error_message': 'Policy does not allow this'},
                         status=403)
        error = self.assertRaises(rest.HTTPError, self.client.alarm_delete,
                                  'x')
        self.assertEqual((403, 'Policy does not allow this'),
                         (error.status, error.message))

    def test_body_text_is_the_fallback(self):
        self.api.respond('GET', '/v1/alarms/summary',
                         '<html>Bad Gateway</html>\n', status=502,
                         content_type='text/html')
        error = self.assertRaises(rest.HTTPError, self.client.alarm_summary)
        self.assertEqual((502, '<html>Bad Gateway</html>'),
                         (error.status, error.message))

    def test_empty_error_body_falls_back_to_the_reason(self):
        self.api.respond('GET', '/v1/event_suppression', status=500,
                         content_type='text/plain')
        error = self.assertRaises(rest.HTTPError,
                                  self.client.suppression_list)
        self.assertEqual((500, 'Internal Server Error'),
                         (error.status, error.message))

    def test_timeout_is_applied(self):
        self.api.respond('GET', '/v1/alarms/summary', SUMMARY, delay=1.0)
        client = rest.Client(self.session, endpoint_override=self.api.url,
                             timeout=0.2)
        self.assertRaises(ks_exceptions.ConnectTimeout, client.alarm_summary)

    def test_default_timeout(self):
        self.assertEqual(rest.DEFAULT_TIMEOUT, self.client.timeout)
        session = ks_session.Session(auth=noauth.NoAuth(), timeout=7)
        self.assertEqual(7, rest.Client(session).timeout)


class EndpointTest(ClientTestCase):

    def _summary_path(self, client):
        self.api.respond('GET', '/v1/alarms/summary', SUMMARY)
        self.api.respond('GET', '/internal/v1/alarms/summary', SUMMARY)
        self.api.respond('GET', '/two/v1/alarms/summary', SUMMARY)
        self.assertEqual(SUMMARY, client.alarm_summary())
        return self.api.requests[-1]

    def test_endpoint_with_version(self):
        for suffix in ('/v1', '/v1/', '/'):
            client = rest.Client(self.session,
                                 endpoint_override=self.api.url + suffix)
            self.assertEqual('/v1/alarms/summary',
                             self._summary_path(client).path)

    def test_token_endpoint_auth(self):
        session = ks_session.Session(
            auth=token_endpoint.Token(self.api.url, 'secret-token'))
        request = self._summary_path(rest.Client(session))
        self.assertEqual('/v1/alarms/summary', request.path)
        self.assertEqual('secret-token', request.headers['X-Auth-Token'])

    def _catalog_session(self):
        token = ks_fixture.V3Token()
        token.set_project_scope()
        service = token.add_service('faultmanagement', name='fm')
        service.add_standard_endpoints(public=self.api.url,
                                       internal=self.api.url + '/internal',
                                       region='RegionOne')
        service.add_standard_endpoints(public=self.api.url + '/two',
                                       region='RegionTwo')
        auth_ref = access.create(body=token, auth_token='catalog-token')
        return ks_session.Session(
            auth=access_plugin.AccessInfoPlugin(auth_ref))

    def test_endpoint_from_the_catalog(self):
        session = self._catalog_session()
        for kwargs, path in (
                (dict(region_name='RegionOne'), '/v1/alarms/summary'),
                (dict(region_name='RegionOne', interface='internal'),
                 '/internal/v1/alarms/summary'),
                (dict(region_name='RegionTwo'), '/two/v1/alarms/summary')):
            request = self._summary_path(rest.Client(session, **kwargs))
            self.assertEqual(path, request.path)
            self.assertEqual('catalog-token',
                             request.headers['X-Auth-Token'])

    def test_service_not_in_the_catalog(self):
        client = rest.Client(self._catalog_session(),
                             service_type='nothing-here')
        self.assertRaises(ks_exceptions.EndpointNotFound,
                          client.alarm_summary)
        self.assertEqual([], self.api.requests)


class ParseQueryTest(base.TestCase):

    def test_operators(self):
        self.assertEqual(
            [('severity', 'ne', 'minor'), ('alarm_id', 'eq', '100.101'),
             ('start', 'ge', '2024-05-01T00:00:00'),
             ('end', 'le', '2024-05-02'), ('timestamp', 'gt', 'a'),
             ('timestamp', 'lt', 'b'), ('uuid', 'eq', 'c')],
            rest.parse_query('severity!=minor;alarm_id=100.101;'
                             'start>=2024-05-01T00:00:00;end<=2024-05-02;'
                             'timestamp>a;timestamp<b;uuid==c;'))

    def test_value_may_hold_an_equals_sign(self):
        self.assertEqual(
            [('entity_instance_id', 'eq', 'host=controller-0.port=eth0')],
            rest.parse_query('entity_instance_id=host=controller-0.port=eth0'))

    def test_malformed(self):
        for text in ('severity', '=critical', 'severity~critical'):
            self.assertRaises(ValueError, rest.parse_query, text)


class RealApiTest(fm_base.FmTestCase):
    """The client against this project's own fm API (sqlite, in-process).

    The canned tests above pin the wire format; this one proves the client
    and the server agree on it.
    """

    def setUp(self):
        super().setUp()
        served = self.useFixture(fake_api.ServedApp(self.fm.app.app))
        self.client = rest.Client(ks_session.Session(auth=noauth.NoAuth()),
                                  endpoint_override=served.url)
        for host in ('controller-0', 'controller-1', 'compute-0'):
            self.app.post_json('/v1/alarms', {
                'alarm_id': '200.001', 'entity_instance_id': 'host=' + host})
        fm_base.wait_for(lambda: len(self.client.alarm_list()) == 3)

    def test_alarms(self):
        alarms = self.client.alarm_list(limit=1, all_pages=True,
                                        sort_key='entity_instance_id',
                                        sort_dir='asc')
        self.assertEqual(['host=compute-0', 'host=controller-0',
                          'host=controller-1'],
                         [a['entity_instance_id'] for a in alarms])
        found = self.client.alarm_list(
            q=[('entity_instance_id', 'eq', 'host=controller-1')])
        self.assertEqual([alarms[2]['uuid']], [a['uuid'] for a in found])

        alarm = self.client.alarm_show(alarms[0]['uuid'])
        self.assertEqual(('200.001', 'set', 'host'),
                         (alarm['alarm_id'], alarm['alarm_state'],
                          alarm['entity_type_id']))
        summary = self.client.alarm_summary()
        self.assertEqual(3, sum(summary[k] for k in (
            'critical', 'major', 'minor', 'warnings')))

        self.client.alarm_delete(alarms[0]['uuid'])
        error = self.assertRaises(rest.NotFound, self.client.alarm_show,
                                  alarms[0]['uuid'])
        self.assertIn(alarms[0]['uuid'], error.message)
        error = self.assertRaises(rest.HTTPError, self.client.alarm_list,
                                  q=[('colour', 'eq', 'red')])
        self.assertEqual(400, error.status)
        self.assertIn("cannot filter on 'colour'", error.message)

    def test_events_and_suppression(self):
        events = self.client.event_list(
            q=[('start', 'ge', '2000-01-01T00:00:00Z')], alarms=True,
            limit=2, all_pages=True)
        self.assertEqual(['set'] * 3, [e['state'] for e in events])
        self.assertEqual(events[0], {k: v for k, v in self.client.event_show(
            events[0]['uuid']).items() if k in events[0]})
        self.assertEqual([], self.client.event_list(logs=True))

        row = self.client.suppression_list()[0]
        updated = self.client.suppression_update(row['uuid'], 'suppressed')
        self.assertEqual((row['uuid'], 'suppressed'),
                         (updated['uuid'], updated['suppression_status']))
        error = self.assertRaises(rest.HTTPError,
                                  self.client.suppression_update,
                                  row['uuid'], 'hidden')
        self.assertIn('suppression_status must be one of', error.message)
