"""A host's life as an operator drives it, on real processes: provisioned
from a hosts XML file, discovered by its agent, configured, unlocked (the
agent applies the plan to its host) and locked, with alarms going out on
fm's durable queue."""

import os
import time

from hostsim import tree
from stxcommon.tests import deployment
from stxcommon.tests import fixtures as stx_fixtures
from sysinv.tests.functional import test_sysinv_services as services

WAIT = 60.0
HOSTS_XML = """<?xml version="1.0" encoding="UTF-8" ?>
<hosts>
  <host>
    <hostname>worker-3</hostname>
    <personality>worker</personality>
    <mgmt_mac>%(mac)s</mgmt_mac>
    <bm_type>ipmi</bm_type>
    <bm_ip>127.0.0.1</bm_ip>
    <bm_username>admin</bm_username>
    <bm_password>not-kept</bm_password>
    <location>Rack 3</location>
  </host>
  <host>
    <hostname>Bad_Name</hostname>
    <personality>worker</personality>
    <mgmt_mac>08:00:27:00:00:99</mgmt_mac>
  </host>
</hosts>
"""


class LifecycleMixin:

    def setUp(self):
        super().setUp()
        self.root = os.path.join(self.useFixture(
            deployment.fixtures.TempDir()).path, 'worker-3')
        self.facts = tree.generate('worker', self.root, 'worker-3')
        self.sysinv = self.useFixture(services.SysinvServices(
            self.backend, self.root, start_agent=False, report_interval=2))

    def host(self):
        return self.sysinv.get('/v1/ihosts/worker-3').json()

    def wait_host(self, **states):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            host = self.host()
            if all(host.get(k) == v for k, v in states.items()):
                return host
            time.sleep(0.3)
        raise AssertionError('worker-3 never reached %s; it is %s'
                             % (states, host))

    def interfaces(self):
        return {i['ifname']: i for i in self.sysinv.get(
            '/v1/ihosts/worker-3/iinterfaces').json()['iinterfaces']}

    def action(self, action, user='admin'):
        return self.sysinv.request(
            'PATCH', '/v1/ihosts/worker-3', user=user,
            json=[{'op': 'replace', 'path': '/action', 'value': action}])

    def test_provision_configure_unlock_lock(self):
        xml = (HOSTS_XML % {'mac': self.facts['mgmt_mac']}).encode()
        added = self.sysinv.request(
            'POST', '/v1/ihosts/bulk_add',
            files={'file': ('hosts.xml', xml, 'application/xml')})
        self.assertEqual(200, added.status_code, added.text)
        self.assertIn('worker-3', added.json()['success'])
        self.assertIn('Bad_Name', added.json()['error'])
        again = self.sysinv.request(
            'POST', '/v1/ihosts/bulk_add',
            files={'file': ('hosts.xml', xml, 'application/xml')})
        self.assertEqual(1, len(self.sysinv.get(
            '/v1/ihosts').json()['ihosts']), again.text)

        # Its agent starts: the host comes online with its hardware.
        self.sysinv.start('sysinv-agent')
        self.wait_host(availability='online', invprovision='provisioned')
        refused = self.action('unlock')
        self.assertEqual(400, refused.status_code)
        self.assertIn('platform core', services._error(refused))

        cpus = self.sysinv.request(
            'PUT', '/v1/ihosts/worker-3/state/host_cpus_modify',
            json=[{'function': 'platform', 'sockets': [{'0': 2}]}])
        self.assertEqual(200, cpus.status_code, cpus.text)
        nodes = self.sysinv.get('/v1/ihosts/worker-3/imemorys').json()[
            'imemorys']
        too_much = self.sysinv.request(
            'PATCH', '/v1/imemorys/%s' % nodes[0]['uuid'], json=[
                {'op': 'replace', 'path': '/vm_hugepages_nr_1G_pending',
                 'value': 100000}])
        self.assertEqual(400, too_much.status_code)
        self.assertIn('NUMA node 0 has', services._error(too_much))
        planned = self.sysinv.request(
            'PATCH', '/v1/imemorys/%s' % nodes[0]['uuid'], json=[
                {'op': 'replace', 'path': '/vm_hugepages_nr_2M_pending',
                 'value': 1000}])
        self.assertEqual(200, planned.status_code, planned.text)

        self.assertEqual(403, self.action('unlock', user='reader')
                         .status_code)
        started = self.action('unlock')
        self.assertEqual(200, started.status_code, started.text)
        self.assertEqual('Unlocking', started.json()['task'])
        host = self.wait_host(administrative='unlocked', task='')
        self.assertEqual(('enabled', 'available'),
                         (host['operational'], host['availability']))
        with open(os.path.join(
                self.root, 'sys/devices/system/node/node0/hugepages/'
                'hugepages-2048kB/nr_hugepages')) as f:
            self.assertEqual('1000', f.read().strip())
        nodes = self.sysinv.get('/v1/ihosts/worker-3/imemorys').json()[
            'imemorys']
        self.assertEqual(1000, nodes[0]['vm_hugepages_nr_2M'])

        deleted = self.sysinv.request('DELETE', '/v1/ihosts/worker-3')
        self.assertEqual(400, deleted.status_code)
        self.assertEqual(200, self.action('lock').status_code)
        self.wait_host(administrative='locked', task='')
        # 200.001 when it came online locked; unlock cleared 200.011 and
        # 200.001; lock raised 200.001 again.
        queue = 'fm_faults.info'
        stx_fixtures.wait_for(
            lambda: self.sysinv.rabbit.messages(queue) >= 4, timeout=WAIT,
            interval=0.5)
        self.assertEqual(4, self.sysinv.rabbit.messages(queue))

        # Interfaces: one per port; renamed ones keep their name, and a
        # port pulled out of the host takes its interface along.
        interfaces = self.interfaces()
        self.assertEqual(sorted(p['name'] for p in self.facts['ports']),
                         sorted(interfaces))
        renamed = self.sysinv.request(
            'PATCH', '/v1/iinterfaces/%s' % interfaces['enp30s0f0']['uuid'],
            json=[{'op': 'replace', 'path': '/ifname', 'value': 'data0'},
                  {'op': 'replace', 'path': '/ifclass', 'value': 'data'}])
        self.assertEqual(200, renamed.status_code, renamed.text)
        os.remove(os.path.join(self.root, 'sys/class/net/enp31s0f0'))
        stx_fixtures.wait_for(lambda: 'enp31s0f0' not in self.interfaces(),
                              timeout=WAIT, interval=0.5)
        interfaces = self.interfaces()
        self.assertNotIn('enp31s0f0', interfaces)
        self.assertEqual('data', interfaces['data0']['ifclass'])
        self.assertEqual(len(self.facts['ports']) - 1, len(interfaces))

        exported = self.sysinv.get('/v1/ihosts/bulk_export').json()
        self.assertIn('<hostname>worker-3</hostname>', exported['content'])
        self.assertNotIn('not-kept', exported['content'])


class PostgreSQLTest(LifecycleMixin, deployment.FunctionalTestCase):
    backend = 'postgresql'


class MariaDBTest(LifecycleMixin, deployment.FunctionalTestCase):
    backend = 'mysql'
