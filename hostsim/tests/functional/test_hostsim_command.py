"""``hostsim`` as an operator runs it, against a running sysinv.

sysinv-conductor and sysinv-api run as processes on PostgreSQL, RabbitMQ
(a private vhost) and a real Keystone; ``hostsim --provision`` adds its
hosts through the API found in the Keystone catalog, their agents report
over RabbitMQ, and their BMCs answer ipmitool.
"""

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import time
import uuid

from hostsim import tree
from stxcommon.tests import deployment
from stxcommon.tests import process

IPMITOOL = shutil.which('ipmitool')
WAIT = 60


class SysinvServices(deployment.Deployment):
    """sysinv-dbsync, sysinv-conductor and sysinv-api; agents report every
    second, so a stopped agent shows quickly."""

    project = 'sysinv'

    def __init__(self, backend, rabbit=None, conductor=None):
        sections = {'agent': {'report_interval': 1, 'retry_interval': 1},
                    # without mtce-agent unless the test runs one
                    'conductor': conductor or {'maintenance': 'local'}}
        super().__init__(backend, sections, rabbit=rabbit)

    def _write_config(self):
        self.extra_sections['bmc'] = {'credential_key_file': os.path.join(
            self.dir, 'bmc-credentials.key')}
        return super()._write_config()

    def _setUp(self):
        super()._setUp()
        self.conductor = self.start('sysinv-conductor')
        self.api = self.start('sysinv-api', api=True)


def _wait(predicate, what, timeout=WAIT, interval=0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('%s: not within %d s' % (what, timeout))
        time.sleep(interval)


class HostsimCommandTest(deployment.FunctionalTestCase):

    backend = 'postgresql'

    def setUp(self):
        super().setUp()
        if IPMITOOL is None:
            self.skipTest('ipmitool is not installed '
                          '(apt-get install -y ipmitool)')
        self.sysinv = self.useFixture(SysinvServices(self.backend))
        # The API in the catalog, in a region of this test's own: the
        # shared Keystone serves other tests too.
        self.region = 'Hostsim-%s' % uuid.uuid4().hex[:8]
        self.sysinv.keystone.server.ensure_service_endpoint(
            'platform', 'sysinv', self.sysinv.url, region=self.region)
        self.state_dir = os.path.join(self.sysinv.dir, 'state')

    def _environment(self):
        return deployment.openrc(self.sysinv.keystone, self.region)

    def _start_hostsim(self, hosts=2, provision=True):
        hostsim = self.useFixture(process.Process(
            'hostsim', ['--hosts', str(hosts), '--state-dir', self.state_dir,
                        '--transport-url', self.sysinv.rabbit.url,
                        '--config-file', self.sysinv.config_file]
            + (['--provision'] if provision else []),
            self.sysinv.dir, env=self._environment()))

        def ready():
            if hostsim.proc.poll() is not None:
                raise AssertionError('hostsim exited with %s:\n%s' % (
                    hostsim.proc.returncode, hostsim.log_tail()))
            return self._log(hostsim).count('hostsim ready')
        _wait(ready, 'hostsim ready')
        return hostsim

    @staticmethod
    def _log(hostsim):
        with open(hostsim.log_path, errors='replace') as log:
            return log.read()

    def _table(self, hostsim):
        """{hostname: (profile, mgmt MAC, BMC address:port)} as printed."""
        lines = self._log(hostsim).splitlines()
        start = next(i for i, line in enumerate(lines)
                     if line.split()[:2] == ['HOST', 'PROFILE'])
        rows = {}
        # log lines (stderr, same file) may fall between the table's
        for line in lines[start + 1:]:
            if line[:4].isdigit():
                continue
            if len(rows) == 2 or line.startswith('BMCs:'):
                break
            hostname, profile, mac, bmc = line.split()
            rows[hostname] = (profile, mac, bmc)
        return rows

    def _ipmitool(self, bmc, *args):
        proc = subprocess.run(
            [IPMITOOL, '-I', 'lanplus', '-H', bmc['address'],
             '-p', str(bmc['port']), '-U', bmc['username'],
             '-P', bmc['password'], '-N', '1', '-R', '3', *args],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(0, proc.returncode, proc.stdout + proc.stderr)
        return proc.stdout

    def _hosts(self):
        response = self.sysinv.get('/v1/ihosts')
        self.assertEqual(200, response.status_code, response.text)
        return {h['mgmt_mac']: h for h in response.json()['ihosts']}

    def _items(self, host, collection):
        response = self.sysinv.get('/v1/ihosts/%s/%s' % (host['uuid'],
                                                        collection))
        self.assertEqual(200, response.status_code, response.text)
        return response.json()[collection]

    def test_hosts_report_and_follow_their_bmcs(self):
        hostsim = self._start_hostsim()
        table = self._table(hostsim)

        path = os.path.join(self.state_dir, 'hostsim', 'hostsim.json')
        self.assertEqual(0o600, stat.S_IMODE(os.stat(path).st_mode))
        with open(path) as f:
            hosts = {h['hostname']: h for h in json.load(f)['hosts']}
        self.assertEqual({'controller-0', 'worker-0'}, set(hosts))
        self.assertEqual(
            table, {name: (h['profile'], h['mgmt_mac'], '%s:%d' % (
                h['bmc']['address'], h['bmc']['port']))
                for name, h in hosts.items()})

        # Provisioned, and each inventory in sysinv's database.
        def inventories():
            known = self._hosts()
            found = {}
            for name, host in hosts.items():
                row = known.get(host['mgmt_mac'])
                if row is None or row.get('hostname') != name:
                    return None
                profile = tree.load_profile(host['profile'])['cpu']
                cpus = (profile['sockets'] * profile['cores_per_socket']
                        * profile['threads_per_core'])
                if len(self._items(row, 'icpus')) != cpus:
                    return None
                found[name] = row
            return found
        rows = _wait(inventories, 'both hosts and their CPUs in sysinv')
        self.assertEqual('controller', rows['controller-0']['personality'])
        self.assertEqual('worker', rows['worker-0']['personality'])

        worker = hosts['worker-0']
        sdr = self._ipmitool(worker['bmc'], 'sdr', 'list')
        self.assertEqual(
            sorted(s['name'] for s in tree.load_profile('worker')['sensors']),
            sorted(line.split('|')[0].strip()
                   for line in sdr.splitlines()))

        # Power off: the agent stops, so a hardware change is not
        # reported; power on: the agent reports it.
        self.assertIn('Chassis Power is on', self._ipmitool(
            worker['bmc'], 'power', 'status'))
        self._ipmitool(worker['bmc'], 'power', 'off')
        _wait(lambda: 'Agents of worker-0 stopped' in self._log(hostsim),
              'agent of worker-0 stopped')
        self.assertIn('Chassis Power is off', self._ipmitool(
            worker['bmc'], 'power', 'status'))
        port = self._items(rows['worker-0'], 'ports')[0]
        mtu_file = os.path.join(worker['root'], 'sys', 'class', 'net',
                                port['name'], 'mtu')
        with open(mtu_file, 'w') as f:
            f.write('%d\n' % (port['mtu'] + 100))

        def reported_mtu():
            return next(p['mtu'] for p in self._items(rows['worker-0'],
                                                      'ports')
                        if p['uuid'] == port['uuid'])
        time.sleep(4)       # four report intervals
        self.assertEqual(port['mtu'], reported_mtu())
        self._ipmitool(worker['bmc'], 'power', 'on')
        _wait(lambda: reported_mtu() == port['mtu'] + 100,
              'the new MTU reported after power on')
        self.assertIn('Agents of worker-0 started', self._log(hostsim))

        os.killpg(hostsim.proc.pid, signal.SIGTERM)
        self.assertEqual(0, hostsim.proc.wait(timeout=WAIT),
                         hostsim.log_tail())
        self.assertIn('Stopped', hostsim.log_tail(5))
        for host in hosts.values():     # every BMC's port is free again
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.bind((host['bmc']['address'], host['bmc']['port']))

    def _request(self, method, path, **kwargs):
        response = self.sysinv.request(method, path, **kwargs)
        self.assertLess(response.status_code, 300, response.text)
        return response.json() if response.content else None

    def _states(self, *names):
        hosts = {h['hostname']: h for h in self._hosts().values()}
        return {name: (hosts[name]['administrative'],
                       hosts[name]['availability'], hosts[name]['task'])
                for name in names}

    def test_fleet_provisioned_by_xml_configured_unlocked_locked(self):
        self._start_hostsim(hosts=4, provision=False)
        path = os.path.join(self.state_dir, 'hostsim', 'hostsim.json')
        with open(path) as f:
            fleet = json.load(f)['hosts']
        names = [h['hostname'] for h in fleet]
        workers = [n for n in names if n.startswith('worker-')]
        # Discovered by their agents: unnamed, unprovisioned.
        _wait(lambda: len(self._hosts()) == 4, 'four hosts discovered')
        self.assertEqual({None}, {h['hostname']
                                  for h in self._hosts().values()})

        rows = ''.join(
            '<host><hostname>%s</hostname><personality>%s</personality>'
            '<mgmt_mac>%s</mgmt_mac><bm_type>ipmi</bm_type>'
            '<bm_ip>%s</bm_ip><bm_username>%s</bm_username>'
            '<bm_password>%s</bm_password></host>'
            % (h['hostname'], h['personality'], h['mgmt_mac'],
               h['bmc']['address'], h['bmc']['username'],
               h['bmc']['password']) for h in fleet)
        rows += ('<host><hostname>worker-9</hostname><personality>toaster'
                 '</personality><mgmt_mac>08:00:27:00:00:99</mgmt_mac>'
                 '</host>')
        document = ('<?xml version="1.0" encoding="UTF-8"?><hosts>%s</hosts>'
                    % rows).encode()
        upload = {'file': ('hosts.xml', document, 'application/xml')}
        added = self._request('POST', '/v1/ihosts/bulk_add', files=upload)
        self.assertEqual(sorted(names), sorted(added['success'].split(', ')))
        self.assertIn('worker-9', added['error'])
        again = self._request('POST', '/v1/ihosts/bulk_add', files=upload)
        self.assertEqual(['unchanged'] * 4, [
            h['outcome'] for h in again['hosts'] if h['hostname'] in names])
        hosts = {h['hostname']: h for h in self._hosts().values()}
        self.assertEqual(set(names), set(hosts))
        self.assertEqual({'provisioned'},
                         {h['invprovision'] for h in hosts.values()})

        # Configure every host, then unlock them all.
        for name in names:
            self._request('PUT', '/v1/ihosts/%s/state/host_cpus_modify'
                          % name, json=[{'function': 'platform',
                                         'sockets': [{'0': 1}]}])
        for name in workers:
            node0 = self._request('GET', '/v1/ihosts/%s/imemorys'
                                  % name)['imemorys'][0]
            self._request('PATCH', '/v1/imemorys/%s' % node0['uuid'],
                          json=[{'op': 'replace',
                                 'path': '/vm_hugepages_nr_2M_pending',
                                 'value': 64}])
        denied = self.sysinv.request(
            'PATCH', '/v1/ihosts/worker-0', user='reader',
            json=[{'op': 'replace', 'path': '/action', 'value': 'unlock'}])
        self.assertEqual(403, denied.status_code)
        for name in names:
            self._request('PATCH', '/v1/ihosts/%s' % name, json=[
                {'op': 'replace', 'path': '/action', 'value': 'unlock'}])
        unlocked = {n: ('unlocked', 'available', '') for n in names}
        _wait(lambda: self._states(*names) == unlocked,
              'the fleet unlocked')
        for name in workers:
            node0 = self._request('GET', '/v1/ihosts/%s/imemorys'
                                  % name)['imemorys'][0]
            self.assertEqual(64, node0['vm_hugepages_nr_2M'], name)

        # Lock the workers; the controller is the last one enabled.
        for name in workers:
            self._request('PATCH', '/v1/ihosts/%s' % name, json=[
                {'op': 'replace', 'path': '/action', 'value': 'lock'}])
        locked = {n: ('locked', 'online', '') for n in workers}
        _wait(lambda: self._states(*workers) == locked, 'workers locked')
        refused = self.sysinv.request(
            'PATCH', '/v1/ihosts/controller-0',
            json=[{'op': 'replace', 'path': '/action', 'value': 'lock'}])
        self.assertEqual(400, refused.status_code)
        self.assertIn('last enabled controller', refused.text)

