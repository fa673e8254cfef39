"""fm.client -> durable queue -> fm-manager -> database, in one process."""

import datetime

from fm import client
from fm.db.sqlalchemy import models
from fm.manager import faults
from fm import messages
from stxcommon import amqp_batch
from fm.tests.unit import base


def _fault(alarm_id='200.001', eid='host=controller-0', severity='major',
           **kwargs):
    fields = dict(alarm_state='set', entity_type_id='host',
                  reason_text='controller-0 was locked',
                  alarm_type='operational-violation',
                  probable_cause='out-of-service',
                  proposed_repair_action='Unlock the host.')
    fields.update(kwargs)
    return client.Fault(alarm_id=alarm_id, entity_instance_id=eid,
                        severity=severity, **fields)


class FaultPathTest(base.FmTestCase):

    def setUp(self):
        super().setUp()
        conf = self.fm.conf
        self.api = client.FaultAPIs(
            self.fm.transport, self.fm.rpc_transport,
            fault_topic=conf.manager.fault_topic,
            rpc_topic=conf.manager.rpc_topic)

    def _alarms(self):
        return self.app.get('/v1/alarms').json['ialarms']

    def _events(self):
        return self.app.get('/v1/event_log').json['event_log']

    def test_set_then_clear_writes_alarm_and_events(self):
        uuid = self.api.set_fault(_fault())
        alarms = base.wait_for(self._alarms)
        self.assertEqual([uuid], [a['uuid'] for a in alarms])
        self.assertEqual('major', alarms[0]['severity'])

        found = self.api.get_fault('200.001', 'host=controller-0')
        self.assertEqual(uuid, found.uuid)
        self.assertEqual('controller-0 was locked', found.reason_text)

        self.assertTrue(self.api.clear_fault('200.001', 'host=controller-0'))
        base.wait_for(lambda: not self._alarms())
        events = self._events()
        self.assertEqual(['clear', 'set'], [e['state'] for e in events])
        self.assertEqual('clear', events[0]['severity'])
        self.assertIsNone(self.api.get_fault('200.001', 'host=controller-0'))

    def test_set_twice_updates_the_same_alarm(self):
        first = self.api.set_fault(_fault(severity='minor'))
        base.wait_for(self._alarms)
        self.api.set_fault(_fault(severity='critical'))
        base.wait_for(lambda: self._alarms()[0]['severity'] == 'critical')
        alarms = self._alarms()
        self.assertEqual(1, len(alarms))
        self.assertEqual(first, alarms[0]['uuid'])
        self.assertEqual(2, len(self._events()))

    def test_keep_existing_alarm(self):
        self.api.set_fault(_fault(severity='minor'))
        base.wait_for(self._alarms)
        self.api.set_fault(_fault(severity='critical',
                                  keep_existing_alarm=True))
        self.api.set_fault(_fault('100.101', 'host=controller-0.cpu'))
        base.wait_for(lambda: len(self._alarms()) == 2)
        severities = {a['alarm_id']: a['severity'] for a in self._alarms()}
        self.assertEqual('minor', severities['200.001'])

    def test_clear_all_clears_entity_and_children_only(self):
        self.api.set_fault(_fault('200.001', 'host=controller-0'))
        self.api.set_fault(_fault('100.101', 'host=controller-0.cpu=0'))
        self.api.set_fault(_fault('200.001', 'host=controller-01'))
        base.wait_for(lambda: len(self._alarms()) == 3)
        self.api.clear_all('host=controller-0')
        base.wait_for(lambda: len(self._alarms()) == 1)
        self.assertEqual('host=controller-01',
                         self._alarms()[0]['entity_instance_id'])

    def test_get_faults_by_id_and_entity(self):
        self.api.set_fault(_fault('200.001', 'host=a'))
        self.api.set_fault(_fault('200.001', 'host=b'))
        self.api.set_fault(_fault('100.101', 'host=a'))
        base.wait_for(lambda: len(self._alarms()) == 3)
        self.assertEqual(2, len(self.api.get_faults_by_id('200.001')))
        self.assertEqual({'200.001', '100.101'},
                         {f.alarm_id for f in self.api.get_faults('host=a')})
        self.assertIsNone(self.api.get_faults('host=nowhere'))

    def test_log_goes_to_event_log_only(self):
        self.api.set_fault(_fault('200.020', 'host=controller-1',
                                  severity='warning', alarm_state='msg',
                                  alarm_type='other',
                                  probable_cause='unspecified-reason'))
        events = base.wait_for(self._events)
        self.assertEqual('log', events[0]['state'])
        self.assertEqual([], self._alarms())

    def test_unknown_alarm_id_is_refused(self):
        self.assertRaises(client.ClientException, self.api.set_fault,
                          _fault('999.999'))
        self.assertRaises(client.ClientException, client.catalogue_fault,
                          '999.999', 'host=x', 'no such alarm')

    def test_catalogue_fault_takes_the_catalogue_facts(self):
        fault = client.catalogue_fault('200.011', 'host=worker-0',
                                       'worker-0 failed its configuration')
        self.api.set_fault(fault)
        alarm = base.wait_for(self._alarms)[0]
        self.assertEqual(('200.011', 'host=worker-0', 'critical',
                          'worker-0 failed its configuration'),
                         (alarm['alarm_id'], alarm['entity_instance_id'],
                          alarm['severity'], alarm['reason_text']))
        self.assertEqual('host', fault.entity_type_id)
        self.assertEqual('configuration-or-customization-error',
                         fault.probable_cause)
        self.assertEqual('major', client.catalogue_fault(
            '200.011', 'host=w', 'r', severity='major').severity)

    def test_bad_fields_are_refused(self):
        for bad in (dict(severity='fatal'), dict(alarm_type='nope'),
                    dict(probable_cause='gremlins'),
                    dict(service_affecting='yes')):
            fault = _fault(**bad)
            self.assertRaises(client.ClientException, self.api.set_fault,
                              fault)


class IngestTest(base.FmTestCase):
    """The batch writer on its own: order, idempotency, redelivery."""

    def _apply(self, *payloads):
        return self.fm.connection.apply_fault_messages(
            [messages.validate(p) for p in payloads])

    def _counts(self):
        with self.fm.database.reader() as session:
            return (session.query(models.Alarm).count(),
                    session.query(models.EventLog).count())

    def _raise(self, eid='host=x', severity='major'):
        return messages.make_set(dict(
            alarm_id='200.001', alarm_state='set', entity_type_id='host',
            entity_instance_id=eid, severity=severity,
            alarm_type='operational-violation',
            probable_cause='out-of-service'))

    def test_redelivered_batch_changes_nothing(self):
        batch = [self._raise('host=a'), self._raise('host=b'),
                 messages.make_clear('200.001', 'host=a')]
        self._apply(*batch)
        self.assertEqual((1, 3), self._counts())
        self.assertEqual([], self._apply(*batch))
        self.assertEqual((1, 3), self._counts())

    def test_duplicate_inside_one_batch_is_applied_once(self):
        payload = self._raise()
        self._apply(payload, payload)
        self.assertEqual((1, 1), self._counts())

    def test_set_clear_set_in_one_batch(self):
        self._apply(self._raise(), messages.make_clear('200.001', 'host=x'),
                    self._raise(severity='critical'))
        self.assertEqual((1, 3), self._counts())
        with self.fm.database.reader() as session:
            self.assertEqual('critical',
                             session.query(models.Alarm).one().severity)

    def test_clear_of_unknown_alarm_logs_nothing(self):
        self._apply(messages.make_clear('200.001', 'host=none'))
        self.assertEqual((0, 0), self._counts())

    def test_timestamps_come_from_the_sender(self):
        payload = self._raise()
        payload['timestamp'] = '2026-01-02T03:04:05.123456'
        self._apply(payload)
        with self.fm.database.reader() as session:
            alarm = session.query(models.Alarm).one()
        self.assertEqual(datetime.datetime(2026, 1, 2, 3, 4, 5, 123456),
                         alarm.timestamp)

    def test_malformed_messages_are_rejected(self):
        for bad in ({}, {'version': 1, 'action': 'explode'},
                    dict(self._raise(), event_uuid='nope'),
                    dict(self._raise(), fault='x')):
            self.assertRaises(messages.InvalidFault, messages.validate, bad)


class AnnouncementTest(base.FmTestCase):
    """Every committed set and clear is announced on the event topic."""

    def test_changes_are_announced(self):
        conf = self.fm.conf
        received = []
        listener = amqp_batch.BatchConsumer(
            amqp_batch.kombu_url(conf, base.MEMORY_URL),
            amqp_batch.notification_queue(conf, conf.manager.event_topic),
            lambda batch: received.extend(batch) or True,
            batch_size=10, batch_timeout=0.02)
        listener.start()
        self.addCleanup(listener.stop)
        api = client.FaultAPIs(self.fm.transport, self.fm.rpc_transport,
                               fault_topic=conf.manager.fault_topic,
                               rpc_topic=conf.manager.rpc_topic)
        uuid = api.set_fault(_fault())
        base.wait_for(lambda: received)
        api.clear_fault('200.001', 'host=controller-0')
        base.wait_for(lambda: len(received) == 2)
        changes = [c for n in received for c in n['payload']['changes']]
        self.assertEqual(['fm.alarm.changed'] * 2,
                         [n['event_type'] for n in received])
        self.assertEqual([('set', uuid), ('clear', uuid)],
                         [(c['action'], c['uuid']) for c in changes])
        self.assertEqual('host=controller-0',
                         changes[0]['entity_instance_id'])


class FaultWriterTest(base.FmTestCase):
    """Poison messages are dropped; good ones in the same batch survive."""

    def test_malformed_messages_do_not_block_the_batch(self):
        writer = faults.FaultWriter(self.fm.connection, _NoAnnouncer())
        good = messages.make_set(dict(
            alarm_id='200.001', alarm_state='set', entity_type_id='host',
            entity_instance_id='host=ok', severity='major',
            alarm_type='operational-violation',
            probable_cause='out-of-service'))
        unknown_id = dict(good, event_uuid=messages.time_ordered_uuid(),
                          fault=dict(good['fault'], alarm_id='999.999'))
        batch = ['junk', {'payload': 'x'}, {'publisher_id': 'p'},
                 {'payload': unknown_id}, {'payload': good}]
        self.assertTrue(writer.handle(batch))
        alarms = self.app.get('/v1/alarms').json['ialarms']
        self.assertEqual(['host=ok'], [a['entity_instance_id']
                                       for a in alarms])

    def test_database_failure_asks_for_a_retry(self):
        class Broken:
            def apply_fault_messages(self, payloads):
                raise RuntimeError('database is down')

        writer = faults.FaultWriter(Broken(), _NoAnnouncer(),
                                    retry_delay=0)
        good = messages.make_clear('200.001', 'host=x')
        self.assertFalse(writer.handle([{'payload': good}]))


class _NoAnnouncer:
    def announce(self, changes):
        pass
