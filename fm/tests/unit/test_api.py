"""The fault REST API: StarlingX paths, fields, filters, errors, policy."""

import json

from fm import messages
from fm.tests.unit import base

READER = {'X-Roles': 'reader'}


def _set(alarm_id='200.001', eid='host=controller-0', severity='major',
         timestamp=None, **extra):
    payload = messages.make_set(dict(
        alarm_id=alarm_id, alarm_state=extra.pop('alarm_state', 'set'),
        entity_type_id='host', entity_instance_id=eid, severity=severity,
        alarm_type='operational-violation', probable_cause='out-of-service',
        reason_text='reason of %s' % eid, **extra))
    if timestamp:
        payload['timestamp'] = timestamp
    return payload


class ApiTestCase(base.FmTestCase):

    def seed(self, *payloads):
        self.fm.connection.apply_fault_messages(
            [messages.validate(p) for p in payloads])

    def error(self, response):
        """The faultstring inside StarlingX's error_message."""
        return json.loads(response.json['error_message'])['faultstring']


class VersionTest(ApiTestCase):
    def test_root_and_v1(self):
        root = self.app.get('/').json
        self.assertEqual('v1', root['default_version']['id'])
        v1 = self.app.get('/v1/').json
        self.assertEqual('application/vnd.openstack.fm.v1+json',
                         v1['media_types'][0]['type'])
        self.assertIn('alarms', v1)
        self.assertIn('event_suppression', v1)


class AlarmListTest(ApiTestCase):

    def setUp(self):
        super().setUp()
        self.seed(*[_set('200.001', 'host=compute-%d' % i,
                         severity=('major', 'minor', 'critical')[i % 3],
                         timestamp='2026-11-01T00:00:%02d' % i)
                    for i in range(10)])
        self.seed(_set('100.101', 'host=controller-0', 'warning'))

    def test_list_shape(self):
        alarms = self.app.get('/v1/alarms').json['ialarms']
        self.assertEqual(11, len(alarms))
        self.assertEqual(
            {'uuid', 'alarm_id', 'entity_instance_id', 'severity',
             'timestamp', 'reason_text', 'suppression_status',
             'mgmt_affecting', 'degrade_affecting'}, set(alarms[0]))
        by_id = {a['alarm_id']: a for a in alarms}
        # 200.001 affects management from 'warning' up; 100.101 only
        # from 'major', and it was raised as a warning.
        self.assertEqual('True', by_id['200.001']['mgmt_affecting'])
        self.assertEqual('False', by_id['100.101']['mgmt_affecting'])
        expanded = self.app.get('/v1/alarms?expand=true').json['ialarms']
        self.assertIn('probable_cause', expanded[0])
        self.assertEqual('False', expanded[0]['service_affecting'])

    def test_newest_first(self):
        stamps = [a['timestamp'] for a in
                  self.app.get('/v1/alarms').json['ialarms']]
        self.assertEqual(sorted(stamps, reverse=True), stamps)

    def test_filters(self):
        url = '/v1/alarms?q.field=severity&q.op=eq&q.value=critical'
        alarms = self.app.get(url).json['ialarms']
        self.assertEqual({'critical'}, {a['severity'] for a in alarms})
        self.assertEqual(3, len(alarms))
        url = ('/v1/alarms?q.field=alarm_id&q.op=eq&q.value=200.001'
               '&q.field=severity&q.op=ne&q.value=major')
        self.assertEqual(6, len(self.app.get(url).json['ialarms']))

    def test_paging_with_marker_and_next(self):
        page = self.app.get('/v1/alarms?limit=4').json
        self.assertEqual(4, len(page['ialarms']))
        seen = [a['uuid'] for a in page['ialarms']]
        while page['next']:
            path = page['next'].split('localhost', 1)[1]
            self.assertIn('limit=4', path)
            page = self.app.get(path).json
            seen += [a['uuid'] for a in page['ialarms']]
        self.assertEqual(11, len(seen))
        self.assertEqual(11, len(set(seen)))

    def test_sort(self):
        alarms = self.app.get(
            '/v1/alarms?sort_key=entity_instance_id&sort_dir=asc'
        ).json['ialarms']
        names = [a['entity_instance_id'] for a in alarms]
        self.assertEqual(sorted(names), names)

    def test_show(self):
        uuid = self.app.get('/v1/alarms').json['ialarms'][0]['uuid']
        alarm = self.app.get('/v1/alarms/%s' % uuid).json
        self.assertEqual(uuid, alarm['uuid'])
        self.assertEqual('set', alarm['alarm_state'])
        self.assertEqual('host', alarm['entity_type_id'])
        self.assertEqual(['self', 'bookmark'],
                         [link['rel'] for link in alarm['links']])

    def test_summary(self):
        summary = self.app.get('/v1/alarms/summary').json
        self.assertEqual({'critical': 3, 'major': 4, 'minor': 3,
                          'warnings': 1, 'status': 'critical'}, summary)

    def test_delete_logs_a_clear(self):
        uuid = self.app.get('/v1/alarms').json['ialarms'][0]['uuid']
        self.app.delete('/v1/alarms/%s' % uuid, status=204)
        self.app.get('/v1/alarms/%s' % uuid, status=404)
        events = self.app.get('/v1/event_log?limit=1').json['event_log']
        self.assertEqual('clear', events[0]['state'])


class SuppressionTest(ApiTestCase):

    def _suppression(self, alarm_id):
        rows = self.app.get('/v1/event_suppression').json[
            'event_suppression']
        return next(r for r in rows if r['alarm_id'] == alarm_id)

    def test_suppressed_alarms_are_hidden_unless_asked(self):
        self.seed(_set('200.004', 'host=a'),
                  _set('100.101', 'host=a', 'warning'))
        row = self._suppression('200.004')
        self.assertEqual('unsuppressed', row['suppression_status'])
        patched = self.app.patch_json(
            '/v1/event_suppression/%s' % row['uuid'],
            [{'op': 'replace', 'path': '/suppression_status',
              'value': 'suppressed'}]).json
        self.assertEqual('suppressed', patched['suppression_status'])

        visible = self.app.get('/v1/alarms').json['ialarms']
        self.assertEqual(['100.101'], [a['alarm_id'] for a in visible])
        everything = self.app.get(
            '/v1/alarms?include_suppress=true').json['ialarms']
        self.assertEqual(2, len(everything))
        flagged = [a for a in everything if a['alarm_id'] == '200.004']
        self.assertEqual('suppressed', flagged[0]['suppression_status'])
        self.assertEqual(0, self.app.get(
            '/v1/alarms/summary').json['major'])
        self.assertEqual(1, self.app.get(
            '/v1/alarms/summary?include_suppress=true').json['major'])

    def test_bad_patches(self):
        uuid = self._suppression('200.004')['uuid']
        for body in ([{'op': 'replace', 'path': '/alarm_id',
                       'value': 'x'}],
                     [{'op': 'replace', 'path': '/suppression_status',
                       'value': 'maybe'}],
                     [{'op': 'remove', 'path': '/suppression_status'}],
                     []):
            response = self.app.patch_json(
                '/v1/event_suppression/%s' % uuid, body, status=400)
            self.assertTrue(self.error(response))


class EventLogTest(ApiTestCase):

    def setUp(self):
        super().setUp()
        self.seed(*[_set('200.001', 'host=h%d' % i,
                         timestamp='2026-11-01T10:00:%02d' % i)
                    for i in range(6)])
        clear = messages.make_clear('200.001', 'host=h0')
        clear['timestamp'] = '2026-11-01T10:01:00'
        self.seed(clear)
        log = _set('200.020', 'host=h9', 'warning', alarm_state='msg',
                   timestamp='2026-11-01T10:02:00')
        log['fault'].update(alarm_type='other',
                            probable_cause='unspecified-reason')
        self.seed(log)

    def test_list_and_kinds(self):
        events = self.app.get('/v1/event_log').json['event_log']
        self.assertEqual(8, len(events))
        self.assertEqual(['log', 'clear', 'set'],
                         [e['state'] for e in events[:3]])
        alarms = self.app.get('/v1/event_log?alarms=true').json['event_log']
        self.assertEqual(7, len(alarms))
        logs = self.app.get('/v1/event_log?logs=true').json['event_log']
        self.assertEqual(['log'], [e['state'] for e in logs])

    def test_time_window(self):
        url = ('/v1/event_log?q.field=start&q.op=eq'
               '&q.value=2026-11-01T10:00:02&q.field=end&q.op=eq'
               '&q.value=2026-11-01T10:00:04')
        events = self.app.get(url).json['event_log']
        self.assertEqual(['host=h4', 'host=h3', 'host=h2'],
                         [e['entity_instance_id'] for e in events])

    def test_paging(self):
        page = self.app.get('/v1/event_log?limit=3').json
        self.assertEqual(3, len(page['event_log']))
        marker = page['event_log'][-1]['uuid']
        rest = self.app.get('/v1/event_log?limit=10&marker=%s'
                            % marker).json
        self.assertEqual(5, len(rest['event_log']))
        self.assertIsNone(rest['next'])

    def test_show(self):
        uuid = self.app.get('/v1/event_log').json['event_log'][0]['uuid']
        event = self.app.get('/v1/event_log/%s' % uuid).json
        self.assertEqual('200.020', event['event_log_id'])
        self.assertEqual('other', event['event_log_type'])


class RaiseOverRestTest(ApiTestCase):

    def test_post_then_put_go_through_fm_manager(self):
        created = self.app.post_json('/v1/alarms', {
            'alarm_id': '200.004', 'entity_instance_id': 'host=compute-1',
            'severity': 'critical'}, status=201).json
        self.assertEqual('critical', created['severity'])
        alarm = base.wait_for(lambda: self.app.get(
            '/v1/alarms').json['ialarms'])[0]
        self.assertEqual(created['uuid'], alarm['uuid'])
        self.app.put_json('/v1/alarms/%s' % alarm['uuid'],
                          {'severity': 'major', 'reason_text': 'better'})
        base.wait_for(lambda: self.app.get('/v1/alarms/%s' % alarm['uuid'])
                      .json['severity'] == 'major')
        shown = self.app.get('/v1/alarms/%s' % alarm['uuid']).json
        self.assertEqual('better', shown['reason_text'])

    def test_post_unknown_alarm_id(self):
        response = self.app.post_json('/v1/alarms', {
            'alarm_id': '999.999', 'entity_instance_id': 'host=x'},
            status=400)
        self.assertIn('999.999', self.error(response))

    def test_put_cannot_rename(self):
        self.seed(_set())
        uuid = self.app.get('/v1/alarms').json['ialarms'][0]['uuid']
        self.app.put_json('/v1/alarms/%s' % uuid,
                          {'entity_instance_id': 'host=other'}, status=400)


class BadInputTest(ApiTestCase):
    """Every kind of bad input is a 400 with a message, never a 500."""

    CASES = [
        ('get', '/v1/alarms?limit=abc'),
        ('get', '/v1/alarms?limit=0'),
        ('get', '/v1/alarms?limit=100000000'),
        ('get', '/v1/alarms?limit=-5'),
        ('get', '/v1/alarms?marker=not-a-uuid'),
        ('get', '/v1/alarms?marker=8b6e4a2c-4f4e-4b7e-9a53-000000000000'),
        ('get', '/v1/alarms?sort_key=password'),
        ('get', '/v1/alarms?sort_dir=sideways'),
        ('get', '/v1/alarms?q.field=severity&q.op=like&q.value=x'),
        ('get', '/v1/alarms?q.field=bogus&q.op=eq&q.value=x'),
        ('get', '/v1/alarms?q.field=severity&q.op=eq'),
        ('get', '/v1/alarms?include_suppress=perhaps'),
        ('get', '/v1/alarms/not-a-uuid'),
        ('get', '/v1/event_log/not-a-uuid'),
        ('get', '/v1/event_log?q.field=start&q.op=eq&q.value=yesterday'),
        ('get', '/v1/event_log?alarms=true&logs=true'),
        ('get', '/v1/event_log?marker=8b6e4a2c-4f4e-4b7e-9a53-000000000000'),
        ('delete', '/v1/alarms/not-a-uuid'),
    ]

    def test_query_errors(self):
        for method, url in self.CASES:
            response = getattr(self.app, method)(url, expect_errors=True)
            self.assertEqual(400, response.status_int, url)
            self.assertTrue(self.error(response), url)

    def test_body_errors(self):
        bodies = [
            '{not json',
            '[]',
            json.dumps({'alarm_id': '200.001',
                        'entity_instance_id': 'host=a', 'color': 'red'}),
            json.dumps({'alarm_id': '200.001',
                        'entity_instance_id': 'host=a',
                        'severity': 'apocalyptic'}),
            json.dumps({'alarm_id': '200.001',
                        'entity_instance_id': 'host=a',
                        'service_affecting': 'sometimes'}),
            json.dumps({'alarm_id': 200.001, 'entity_instance_id': 5}),
            json.dumps({'entity_instance_id': 'host=a'}),
        ]
        for body in bodies:
            response = self.app.post('/v1/alarms', body,
                                     content_type='application/json',
                                     expect_errors=True)
            self.assertEqual(400, response.status_int, body)
            self.assertTrue(self.error(response), body)

    def test_put_and_patch_errors(self):
        self.seed(_set())
        alarm = self.app.get('/v1/alarms').json['ialarms'][0]['uuid']
        suppression = self.app.get('/v1/event_suppression').json[
            'event_suppression'][0]['uuid']
        cases = [
            ('put', '/v1/alarms/not-a-uuid', '{"severity": "major"}'),
            ('put', '/v1/alarms/' + alarm, '{"severity": '),
            ('put', '/v1/alarms/' + alarm, '{"severity": 7}'),
            ('put', '/v1/alarms/' + alarm, '{"colour": "red"}'),
            ('put', '/v1/alarms/' + alarm, '["severity"]'),
            ('patch', '/v1/event_suppression/not-a-uuid',
             '[{"op": "replace", "path": "/suppression_status", '
             '"value": "suppressed"}]'),
            ('patch', '/v1/event_suppression/' + suppression, '[{"op": '),
            ('patch', '/v1/event_suppression/' + suppression,
             '{"suppression_status": "suppressed"}'),
            ('patch', '/v1/event_suppression/' + suppression,
             '[{"op": "replace", "path": "/suppression_status", '
             '"value": "suppressed", "extra": 1}]'),
            ('patch', '/v1/event_suppression/' + suppression,
             '[{"op": "replace", "path": "/suppression_status", '
             '"value": ["suppressed"]}]'),
        ]
        for method, url, body in cases:
            response = getattr(self.app, method)(
                url, body, content_type='application/json',
                expect_errors=True)
            self.assertEqual(400, response.status_int, (url, body))
            self.assertTrue(self.error(response), (url, body))

    def test_missing_things_are_404(self):
        missing = '8b6e4a2c-4f4e-4b7e-9a53-000000000000'
        for url in ('/v1/alarms/' + missing, '/v1/event_log/' + missing,
                    '/v1/nothing'):
            response = self.app.get(url, expect_errors=True)
            self.assertEqual(404, response.status_int, url)
            self.assertTrue(self.error(response))


class PolicyTest(ApiTestCase):

    def test_reader_reads_but_cannot_change(self):
        self.seed(_set())
        uuid = self.app.get('/v1/alarms', headers=READER).json[
            'ialarms'][0]['uuid']
        self.app.get('/v1/event_log', headers=READER)
        self.app.get('/v1/alarms/summary', headers=READER)
        response = self.app.delete('/v1/alarms/%s' % uuid, headers=READER,
                                   status=403)
        self.assertIn('fm:alarm:delete', self.error(response))
        suppression = self.app.get('/v1/event_suppression',
                                   headers=READER).json[
            'event_suppression'][0]['uuid']
        self.app.patch_json('/v1/event_suppression/%s' % suppression,
                            [{'op': 'replace', 'path': '/suppression_status',
                              'value': 'suppressed'}],
                            headers=READER, status=403)
        self.app.post_json('/v1/alarms', {'alarm_id': '200.001',
                                          'entity_instance_id': 'host=z'},
                           headers=READER, status=403)

    def test_no_role_cannot_read(self):
        self.app.get('/v1/alarms', headers={'X-Roles': 'nobody'},
                     status=403)
