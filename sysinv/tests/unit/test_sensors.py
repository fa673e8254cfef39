"""BMC sensors that maintenance reports, served as StarlingX's isensors."""

from sysinv import exception
from sysinv.tests.unit import base

SENSORS = [
    {'name': 'CPU Temp', 'type': 'temperature', 'value': 45.0, 'unit': '°C',
     'state': 'ok', 'available': True,
     'thresholds': {'upper_non_critical': 85.0, 'upper_critical': 95.0,
                    'upper_non_recoverable': 105.0}},
    {'name': 'Fan 1', 'type': 'fan', 'value': 800.0, 'unit': 'RPM',
     'state': 'minor', 'available': True,
     'thresholds': {'lower_non_critical': 1000, 'lower_critical': 500}},
    {'name': 'Fan 2', 'type': 'fan', 'value': None, 'unit': 'RPM',
     'state': 'ok', 'available': False, 'thresholds': {}},
]


class SensorTest(base.SysinvTestCase):

    def setUp(self):
        super().setUp()
        self.host = self.add_host('worker-0')
        self.api = self.sysinv.conductor_api
        self.ctx = self.sysinv.context

    def sensors(self, **kwargs):
        return {s['sensorname']: s for s in self.app.get(
            '/v1/ihosts/worker-0/isensors', **kwargs).json['isensors']}

    def test_reported_sensors_are_listed_and_shown(self):
        self.api.mtce_sensors_report(self.ctx, self.host['uuid'], SENSORS,
                                     60)
        sensors = self.sensors(headers=base.READER)
        self.assertEqual(['CPU Temp', 'Fan 1', 'Fan 2'], sorted(sensors))
        cpu = sensors['CPU Temp']
        self.assertEqual(('temperature', 'ok', 'enabled', 45.0, '°C', 60),
                         (cpu['sensortype'], cpu['status'], cpu['state'],
                          cpu['sensor_value'], cpu['unit_base'],
                          cpu['audit_interval']))
        self.assertEqual(('85', '95', '105', None),
                         (cpu['t_minor_upper'], cpu['t_major_upper'],
                          cpu['t_critical_upper'], cpu['t_minor_lower']))
        self.assertEqual(('minor', '1000', '500'),
                         (sensors['Fan 1']['status'],
                          sensors['Fan 1']['t_minor_lower'],
                          sensors['Fan 1']['t_major_lower']))
        self.assertEqual(('offline', None),
                         (sensors['Fan 2']['status'],
                          sensors['Fan 2']['sensor_value']))
        one = self.app.get('/v1/isensors/%s' % cpu['uuid']).json
        self.assertEqual(self.host['uuid'], one['ihost_uuid'])
        links = self.app.get('/v1/ihosts/worker-0').json['isensors']
        self.assertTrue(links[0]['href'].endswith('/isensors'))

    def test_readings_update_in_place_and_gone_sensors_go(self):
        self.api.mtce_sensors_report(self.ctx, self.host['uuid'], SENSORS)
        before = self.sensors()
        changed = [dict(SENSORS[0], value=97.0, state='major'),
                   SENSORS[1]]
        self.api.mtce_sensors_report(self.ctx, self.host['uuid'], changed)
        after = self.sensors()
        self.assertEqual(['CPU Temp', 'Fan 1'], sorted(after))
        self.assertEqual(before['CPU Temp']['uuid'],
                         after['CPU Temp']['uuid'])
        self.assertEqual((97.0, 'major'), (after['CPU Temp']['sensor_value'],
                                           after['CPU Temp']['status']))

    def test_bad_readings_refused(self):
        for sensors, why in (
                ('nope', 'sensors must be a list'),
                ([{'name': ''}], 'sensor name'),
                ([SENSORS[0], SENSORS[0]], 'listed twice'),
                ([dict(SENSORS[0], state='on fire')], 'state must be'),
                ([dict(SENSORS[0], value='hot')], 'must be a number'),
                ([dict(SENSORS[0], value=float('nan'))], 'must be a number'),
                ([dict(SENSORS[0], thresholds=[1])], 'thresholds must be')):
            error = self.assertRaises(
                exception.InvalidInventory, self.api.mtce_sensors_report,
                self.ctx, self.host['uuid'], sensors)
            self.assertIn(why, str(error))
        self.assertEqual({}, self.sensors())
        self.assertRaises(exception.HostNotFound,
                          self.api.mtce_sensors_report, self.ctx,
                          base.MISSING, SENSORS)

    def test_sensors_go_with_their_host(self):
        self.api.mtce_sensors_report(self.ctx, self.host['uuid'], SENSORS)
        uuid = self.sensors()['Fan 1']['uuid']
        self.app.delete('/v1/ihosts/worker-0', status=204)
        self.app.get('/v1/isensors/%s' % uuid, status=404)


def _replace(field, value):
    return [{'op': 'replace', 'path': '/' + field, 'value': value}]


class SensorGroupTest(base.SysinvTestCase):
    """Sensors grouped by type; what a crossed threshold of each does is
    the operator's, and goes back to maintenance with every report."""

    def setUp(self):
        super().setUp()
        self.host = self.add_host('worker-0')
        self.api = self.sysinv.conductor_api
        self.ctx = self.sysinv.context

    def report(self, sensors=SENSORS):
        return self.api.mtce_sensors_report(self.ctx, self.host['uuid'],
                                            sensors, 60)

    def groups(self):
        return {g['sensorgroupname']: g for g in self.app.get(
            '/v1/ihosts/worker-0/isensorgroups',
            headers=base.READER).json['isensorgroups']}

    def test_groups_by_type_with_default_actions(self):
        policy = self.report()
        self.assertEqual(
            {'minor': 'alarm', 'major': 'alarm', 'critical': 'alarm',
             'suppress': False}, policy['Fan 1'])
        groups = self.groups()
        self.assertEqual(['server fans', 'server temperature'],
                         sorted(groups))
        fans = groups['server fans']
        self.assertEqual(
            ('fan', 'alarm', 'alarm', 'alarm', 'ignore,log,alarm', 'False',
             60, 'RPM'),
            (fans['sensortype'], fans['actions_minor_group'],
             fans['actions_major_group'], fans['actions_critical_group'],
             fans['actions_critical_choices'], fans['suppress'],
             fans['audit_interval_group'], fans['unit_base_group']))
        sensors = {s['sensorname']: s for s in self.app.get(
            '/v1/ihosts/worker-0/isensors').json['isensors']}
        self.assertEqual(fans['uuid'], sensors['Fan 2']['sensorgroup_uuid'])
        self.assertEqual(groups['server temperature']['uuid'],
                         sensors['CPU Temp']['sensorgroup_uuid'])
        one = self.app.get('/v1/isensorgroups/%s' % fans['uuid']).json
        self.assertEqual(self.host['uuid'], one['ihost_uuid'])
        # A type no longer reported takes its group along.
        self.report([SENSORS[1]])
        self.assertEqual(['server fans'], sorted(self.groups()))

    def test_operator_actions_and_suppression_reach_maintenance(self):
        self.report()
        fans = self.groups()['server fans']
        patched = self.app.patch_json(
            '/v1/isensorgroups/%s' % fans['uuid'],
            _replace('actions_minor_group', 'log')
            + _replace('actions_critical_group', 'ignore')).json
        self.assertEqual(('log', 'ignore'),
                         (patched['actions_minor_group'],
                          patched['actions_critical_group']))
        cpu = {s['sensorname']: s for s in self.app.get(
            '/v1/ihosts/worker-0/isensors').json['isensors']}['CPU Temp']
        self.app.patch_json('/v1/isensors/%s' % cpu['uuid'],
                            _replace('suppress', 'True'))
        policy = self.report()       # a later reading keeps both
        self.assertEqual(('log', 'alarm', 'ignore', False),
                         tuple(policy['Fan 1'][k] for k in (
                             'minor', 'major', 'critical', 'suppress')))
        self.assertTrue(policy['CPU Temp']['suppress'])
        self.app.patch_json('/v1/isensorgroups/%s' % fans['uuid'],
                            _replace('suppress', 'true'))
        self.assertTrue(self.report()['Fan 2']['suppress'])
        self.assertEqual('True', self.groups()['server fans']['suppress'])

    def test_bad_changes_refused(self):
        self.report()
        fans = self.groups()['server fans']
        path = '/v1/isensorgroups/%s' % fans['uuid']
        for patch, why in (
                (_replace('actions_major_group', 'reboot'),
                 'must be one of ignore, log, alarm'),
                (_replace('suppress', 'maybe'), 'suppress must be True'),
                (_replace('sensortype', 'cheese'), 'cannot be changed'),
                ([{'op': 'remove', 'path': '/suppress'}],
                 'replace operations')):
            response = self.app.patch_json(path, patch, status=400)
            self.assertIn(why, response.text)
        self.app.patch_json(path, _replace('suppress', 'True'),
                            headers=base.READER, status=403)
        self.app.patch_json('/v1/isensorgroups/%s' % base.MISSING,
                            _replace('suppress', 'True'), status=404)
        self.assertEqual('False', self.groups()['server fans']['suppress'])
