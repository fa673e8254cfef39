"""fm as an operator runs it: processes, RabbitMQ, a real DB, Keystone."""

import json
import os

import requests

from fm import client
from fm.tests.functional import base
from fm.tests.unit import base as unit_base
from stxcommon.tests import process


def _fault(alarm_id, eid, severity='major'):
    return client.Fault(alarm_id, 'set', 'host', eid, severity,
                        'raised by the functional test',
                        'operational-violation', 'out-of-service',
                        'nothing to do')


class FaultLifecycleMixin:

    def test_set_query_clear(self):
        api = self.fm.fault_api()
        uuid = api.set_fault(_fault('200.004', 'host=compute-0', 'critical'))
        api.set_fault(_fault('100.101', 'host=compute-0', 'minor'))
        alarms = unit_base.wait_for(lambda: len(self.fm.get(
            '/v1/alarms').json()['ialarms']) == 2 and self.fm.get(
            '/v1/alarms').json()['ialarms'])
        self.assertIn(uuid, [a['uuid'] for a in alarms])
        self.assertEqual({'critical': 1, 'major': 0, 'minor': 1,
                          'warnings': 0, 'status': 'critical'},
                         self.fm.get('/v1/alarms/summary').json())
        found = api.get_fault('200.004', 'host=compute-0')
        self.assertEqual('critical', found.severity)

        page = self.fm.get('/v1/alarms?limit=1').json()
        self.assertEqual(1, len(page['ialarms']))
        self.assertIn('marker=', page['next'])

        api.clear_fault('200.004', 'host=compute-0')
        unit_base.wait_for(lambda: len(self.fm.get(
            '/v1/alarms').json()['ialarms']) == 1)
        states = [e['state'] for e in self.fm.get(
            '/v1/event_log?alarms=true').json()['event_log']]
        self.assertEqual(['clear', 'set', 'set'], states)
        # Announcements leave no queue behind that nobody reads.
        self.assertNotIn('fm_events.info', self.fm.rabbit.queues())

    def test_suppression(self):
        api = self.fm.fault_api()
        api.set_fault(_fault('200.004', 'host=compute-1'))
        unit_base.wait_for(lambda: self.fm.get('/v1/alarms').json()[
            'ialarms'])
        rows = self.fm.get('/v1/event_suppression').json()[
            'event_suppression']
        row = next(r for r in rows if r['alarm_id'] == '200.004')
        response = self.fm.request(
            'PATCH', '/v1/event_suppression/%s' % row['uuid'],
            json=[{'op': 'replace', 'path': '/suppression_status',
                   'value': 'suppressed'}])
        self.assertEqual(200, response.status_code, response.text)
        self.assertEqual([], self.fm.get('/v1/alarms').json()['ialarms'])
        self.assertEqual(1, len(self.fm.get(
            '/v1/alarms?include_suppress=true').json()['ialarms']))

    def test_authentication_and_policy(self):
        self.assertEqual(200, self.fm.get('/', user=None).status_code)
        response = self.fm.get('/v1/alarms', user=None)
        self.assertEqual(401, response.status_code)
        self.assertIn('WWW-Authenticate', response.headers)
        self.assertIn('faultstring',
                      json.loads(response.json()['error_message']))
        bogus = self.fm.get('/v1/alarms', user=None,
                            headers={'X-Auth-Token': 'bogus'})
        self.assertEqual(401, bogus.status_code)

        api = self.fm.fault_api()
        api.set_fault(_fault('200.004', 'host=compute-2'))
        alarms = unit_base.wait_for(lambda: self.fm.get(
            '/v1/alarms', user='reader').json()['ialarms'])
        uuid = alarms[0]['uuid']
        denied = self.fm.request('DELETE', '/v1/alarms/%s' % uuid,
                                 user='reader')
        self.assertEqual(403, denied.status_code)
        deleted = self.fm.request('DELETE', '/v1/alarms/%s' % uuid)
        self.assertEqual(204, deleted.status_code)

    def test_bad_input_is_400(self):
        for path in ('/v1/alarms?limit=99999999', '/v1/alarms/not-a-uuid',
                     '/v1/alarms?q.field=severity&q.op=regex&q.value=x'):
            response = self.fm.get(path)
            self.assertEqual(400, response.status_code, path)
        response = self.fm.request(
            'POST', '/v1/alarms', data='{"alarm_id": ',
            headers={'Content-Type': 'application/json'})
        self.assertEqual(400, response.status_code)


class PostgreSQLTest(FaultLifecycleMixin, base.FunctionalTestCase):
    backend = 'postgresql'


class MariaDBTest(FaultLifecycleMixin, base.FunctionalTestCase):
    backend = 'mysql'


class GunicornTest(base.FunctionalTestCase):
    """Production serving: gunicorn with fm.wsgi.api:application."""

    backend = 'postgresql'

    def test_wsgi_application_under_gunicorn(self):
        port = process.free_port()
        self.useFixture(process.Process(
            'gunicorn', ['--bind', '127.0.0.1:%d' % port, '--workers', '1',
                         '--threads', '4', '--control-socket',
                         os.path.join(self.fm.dir, 'gunicorn.ctl'),
                         'fm.wsgi.api:application'],
            self.fm.dir, wait_port=port,
            env={'FM_CONFIG_FILES': self.fm.config_file}))
        url = 'http://127.0.0.1:%d' % port
        token = self.fm.keystone.token('admin')
        self.assertEqual(401, requests.get(url + '/v1/alarms',
                                           timeout=30).status_code)
        self.fm.fault_api().set_fault(_fault('200.004', 'host=gunicorn'))
        alarms = unit_base.wait_for(lambda: requests.get(
            url + '/v1/alarms', headers={'X-Auth-Token': token},
            timeout=30).json()['ialarms'])
        self.assertEqual('host=gunicorn', alarms[0]['entity_instance_id'])
