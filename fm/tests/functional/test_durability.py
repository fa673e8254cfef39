"""fm-manager killed with SIGKILL mid-stream loses nothing, doubles nothing.

10,000 set/clear messages go onto RabbitMQ while fm-manager writes them
into PostgreSQL; partway through, fm-manager's process group gets SIGKILL
(no clean-up, unacknowledged messages in flight), then starts again.
"""

import threading
import time

from oslo_utils import timeutils
import sqlalchemy as sa

from fm import client
from fm.tests.functional import base
from fm.tests.unit import base as unit_base

SETS = 6000
CLEARS = 4000   # of the first CLEARS alarms set


def _fault(index):
    return client.Fault('200.004', 'set', 'host', 'host=node-%05d' % index,
                        'critical', 'node %d failed' % index,
                        'processing-error', 'unknown', 'reboot it')


class KillTest(base.FunctionalTestCase):
    backend = 'postgresql'

    def _count(self, engine, table):
        with engine.connect() as connection:
            return connection.execute(sa.text(
                'SELECT count(*) FROM %s' % table)).scalar()

    def test_sigkill_mid_stream(self):
        engine = sa.create_engine(self.fm.database_url)
        self.addCleanup(engine.dispose)
        api = self.fm.fault_api()

        def produce():
            for index in range(SETS):
                api.set_fault(_fault(index))
            for index in range(CLEARS):
                api.clear_fault('200.004', 'host=node-%05d' % index)

        producer = threading.Thread(target=produce)
        producer.start()
        # Kill while messages are still arriving and being written.
        unit_base.wait_for(lambda: self._count(engine, 'event_log') >= 2000,
                           timeout=120, interval=0.01)
        self.fm.manager.kill()
        written_before_restart = self._count(engine, 'event_log')
        self.fm.manager.start()
        producer.join(timeout=300)
        self.assertFalse(producer.is_alive())

        total = SETS + CLEARS
        unit_base.wait_for(
            lambda: self._count(engine, 'event_log') >= total,
            timeout=300, interval=0.2)
        # Let a late redelivery land: a doubled write would show up here.
        time.sleep(2)
        self.assertLess(written_before_restart, total)
        with engine.connect() as connection:
            events = connection.execute(sa.text(
                'SELECT count(*), count(DISTINCT uuid) FROM event_log'
            )).one()
            states = dict(connection.execute(sa.text(
                'SELECT state, count(*) FROM event_log GROUP BY state')
            ).all())
            alarms = [row[0] for row in connection.execute(sa.text(
                'SELECT entity_instance_id FROM alarm ORDER BY 1'))]
        self.assertEqual((total, total), tuple(events))
        self.assertEqual({'set': SETS, 'clear': CLEARS}, states)
        self.assertEqual(['host=node-%05d' % i
                          for i in range(CLEARS, SETS)], alarms)


class BrokerOutageTest(base.FunctionalTestCase):
    """Alarms raised while RabbitMQ is gone: a service's held messages
    arrive once it is back, stamped with when they were raised; a caller
    that cannot hold them (fm-api) is told."""

    backend = 'postgresql'

    def _events(self):
        return self.fm.get('/v1/event_log?alarms=true&limit=100').json()[
            'event_log']

    def test_messages_held_during_an_outage_arrive_in_order(self):
        held = self.fm.fault_api(hold_undelivered=True, retry_interval=1)
        direct = self.fm.fault_api(send_retries=1)
        held.set_fault(_fault(0))
        unit_base.wait_for(self._events, timeout=30)
        with self.fm.rabbit.gone():
            before = timeutils.utcnow()
            uuid = held.set_fault(_fault(1))
            held.set_fault(_fault(2))
            held.clear_fault('200.004', 'host=node-00002')
            after = timeutils.utcnow()
            self.assertRaises(client.APIException, direct.set_fault,
                              _fault(3))
            response = self.fm.request('POST', '/v1/alarms', json={
                'alarm_id': '200.004', 'entity_instance_id': 'host=node-4',
                'severity': 'critical'})
            self.assertEqual(503, response.status_code, response.text)
            self.assertIn('fm is unreachable', response.text)
            self.assertFalse(held.flush(2))
        self.assertTrue(held.flush(90))
        events = unit_base.wait_for(
            lambda: len(self._events()) == 4 and self._events(),
            timeout=60)
        # newest first: the clear, then the sets in the order made
        self.assertEqual(
            [('host=node-00002', 'clear'), ('host=node-00002', 'set'),
             ('host=node-00001', 'set'), ('host=node-00000', 'set')],
            [(e['entity_instance_id'], e['state']) for e in events])
        for event in events[:3]:
            stamp = timeutils.normalize_time(
                timeutils.parse_isotime(event['timestamp']))
            self.assertTrue(before <= stamp <= after, event)
        alarms = self.fm.get('/v1/alarms').json()['ialarms']
        self.assertEqual(
            [('host=node-00000', None), ('host=node-00001', uuid)],
            sorted((a['entity_instance_id'],
                    a['uuid'] if a['uuid'] == uuid else None)
                   for a in alarms))
