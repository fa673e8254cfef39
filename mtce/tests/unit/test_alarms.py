"""Maintenance's alarms stay in step with fm after sends were lost."""

from fm import client as fm_client
from fm.tests.unit import base as fm_base
from mtce import alarms as mtce_alarms
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures


class LossyFaultAPI:
    """fm.client's FaultAPIs losing sets and clears while ``down``, as
    when a broker loses its queues; ``held`` says its outbox still holds
    messages for fm."""

    def __init__(self, real):
        self.real = real
        self.down = False
        self.held = False

    def flush(self, timeout):
        return not self.held

    def set_fault(self, fault):
        if not self.down:
            return self.real.set_fault(fault)

    def clear_fault(self, alarm_id, entity_instance_id):
        if not self.down:
            return self.real.clear_fault(alarm_id, entity_instance_id)

    def get_faults_by_id(self, alarm_id):
        return self.real.get_faults_by_id(alarm_id)


class ReconcileTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.fm = self.useFixture(fm_base.FmFixture())
        self.api = fm_client.FaultAPIs(
            self.fm.transport, self.fm.rpc_transport,
            fault_topic=self.fm.conf.manager.fault_topic,
            rpc_topic=self.fm.conf.manager.rpc_topic)
        self.lossy = LossyFaultAPI(self.api)
        self.alarms = mtce_alarms.HostAlarms(self.lossy)

    def active(self):
        return sorted((row.alarm_id, row.entity_instance_id)
                      for row in self.fm.connection.alarms_by_entity())

    def wait_active(self, expected):
        stx_fixtures.wait_for(lambda: self.active() == sorted(expected))

    def test_lost_sets_and_clears_are_sent_again(self):
        self.alarms.bmc_unreachable('worker-1', 'BMC does not answer')
        # raised by an earlier mtce-agent (or anyone else): not ours
        fm_client.HostAlarmSender(self.api).set(
            '200.004', 'worker-2', 'raised before a restart')
        self.wait_active([('200.004', 'host=worker-2'),
                          ('200.010', 'host=worker-1')])

        self.lossy.down = True                   # the broker is down
        self.alarms.host_failed('worker-0', 'heartbeat lost')
        self.alarms.sensor_out_of_range('worker-0', 'Fan 1', 'major', 800.0,
                                        'RPM')
        self.alarms.bmc_ok('worker-1')
        self.lossy.down = False
        self.assertEqual([('200.004', 'host=worker-2'),
                          ('200.010', 'host=worker-1')], self.active())

        # just sent: given time to reach fm first
        self.assertEqual((0, 0), self.alarms.reconcile())
        # messages still held for fm: its list is not judged
        self.lossy.held = True
        self.assertEqual((0, 0), self.alarms.reconcile(settle=0))
        self.lossy.held = False
        self.assertEqual((2, 1), self.alarms.reconcile(settle=0))
        self.wait_active([('200.004', 'host=worker-0'),
                          ('200.004', 'host=worker-2'),
                          ('200.007', 'host=worker-0.sensor=Fan 1')])
        rows = self.fm.connection.alarms_by_entity(
            'host=worker-0.sensor=Fan 1')
        self.assertEqual('major', rows[0].severity)
        self.assertIn("'Fan 1' reads 800 RPM", rows[0].reason_text)
        self.assertEqual((0, 0), self.alarms.reconcile(settle=0))
