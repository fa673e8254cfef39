"""sysinv as an operator runs it: processes, RabbitMQ, a real DB, Keystone,
and the real sysinv-agent reading a simulated host's tree."""

import json
import os
import time

from hostsim import tree
from stxcommon.tests import deployment


class SysinvServices(deployment.Deployment):
    """sysinv-dbsync, then sysinv-conductor, sysinv-api and one agent."""

    project = 'sysinv'

    def __init__(self, backend, tree_root, start_agent=True,
                 report_interval=60):
        super().__init__(backend, {
            'agent': {'root': tree_root, 'retry_interval': 1,
                      'report_interval': report_interval},
            # no mtce-agent in these tests: sysinv carries actions out
            'conductor': {'maintenance': 'local'}})
        self.start_agent = start_agent

    def _write_config(self):
        self.extra_sections['bmc'] = {'credential_key_file': os.path.join(
            self.dir, 'bmc-credentials.key')}
        return super()._write_config()

    def _setUp(self):
        super()._setUp()
        self.conductor = self.start('sysinv-conductor')
        self.api = self.start('sysinv-api', api=True)
        if self.start_agent:
            self.agent = self.start('sysinv-agent')


def _error(response):
    return json.loads(response.json()['error_message'])['faultstring']


class InventoryMixin:

    def setUp(self):
        super().setUp()
        root = os.path.join(self.useFixture(
            deployment.fixtures.TempDir()).path, 'worker-3')
        self.facts = tree.generate('worker', root, 'worker-3')
        self.sysinv = self.useFixture(SysinvServices(self.backend, root))

    def _discovered(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hosts = self.sysinv.get('/v1/ihosts').json()['ihosts']
            if hosts:
                return hosts
            time.sleep(0.5)
        raise AssertionError('no host discovered in %d s' % timeout)

    def test_agent_discovers_host_and_admin_provisions_it(self):
        hosts = self._discovered()
        self.assertEqual([self.facts['mgmt_mac']],
                         [h['mgmt_mac'] for h in hosts])
        uuid = hosts[0]['uuid']
        cpus = self.sysinv.get('/v1/ihosts/%s/icpus' % uuid).json()['icpus']
        self.assertEqual(64, len(cpus))
        ports = self.sysinv.get('/v1/ihosts/%s/ports' % uuid).json()['ports']
        self.assertEqual(len(self.facts['ports']), len(ports))

        patch = [{'op': 'replace', 'path': '/hostname', 'value': 'worker-3'},
                 {'op': 'replace', 'path': '/personality',
                  'value': 'worker'}]
        denied = self.sysinv.request('PATCH', '/v1/ihosts/%s' % uuid,
                                     user='reader', json=patch)
        self.assertEqual(403, denied.status_code)
        done = self.sysinv.request('PATCH', '/v1/ihosts/%s' % uuid,
                                   json=patch)
        self.assertEqual(200, done.status_code, done.text)
        shown = self.sysinv.get('/v1/ihosts/worker-3').json()
        self.assertEqual(('worker-3', 'worker'),
                         (shown['hostname'], shown['personality']))

    def test_auth_and_bad_input(self):
        self.assertEqual(401, self.sysinv.get('/v1/ihosts',
                                              user=None).status_code)
        self.assertEqual(200, self.sysinv.get('/v1/ihosts',
                                              user='reader').status_code)
        for body in ({'hostname': 'Bad_Name', 'mgmt_mac': '08:00:27:0:0:1'},
                     {'hostname': 'ok-1', 'personality': 'toaster',
                      'mgmt_mac': '08:00:27:00:00:01'},
                     {'hostname': 'ok-2', 'mgmt_mac': 'not-a-mac'}):
            response = self.sysinv.request('POST', '/v1/ihosts', json=body)
            self.assertEqual(400, response.status_code, body)
            self.assertTrue(_error(response))
        self.assertEqual(400, self.sysinv.get(
            '/v1/ihosts?limit=0').status_code)


class PostgreSQLTest(InventoryMixin, deployment.FunctionalTestCase):
    backend = 'postgresql'


class MariaDBTest(InventoryMixin, deployment.FunctionalTestCase):
    backend = 'mysql'
