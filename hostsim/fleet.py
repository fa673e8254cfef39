"""A fleet of simulated hosts: trees, BMCs, their agents, hostsim.json.

Each host is a generated /sys + /proc tree (hostsim.tree) with the real
sysinv-agent reading it, and a BMC speaking IPMI on loopback whose power
state starts and stops that agent. The fleet is written to
``hostsim.json`` (0600: it holds the BMC password) so operators and tools
such as ipmitool can find every host.
"""

import json
import logging
import os
import secrets
import threading

from oslo_service import service

from hostsim import bmc
from hostsim import cables
from hostsim import tree
from stxcommon import aio

LOG = logging.getLogger(__name__)
BMC_USER = 'admin'
BMC_PORT_FILE = 'bmc-port'

# Every host has addresses of its own on loopback (all of 127.0.0.0/8
# reaches this machine on Linux), as hosts of a real rack have on their
# networks: its BMC, and its management and cluster-host interfaces where
# its mtce-client answers heartbeat. Every BMC listens on one port, as on
# real hardware (623, which needs root: a free port is picked instead).
_BMC_NET, _MGMT_NET, _CLUSTER_NET = 10, 11, 12


def loopback_address(network, index):
    """127.<network>.x.y for host number ``index`` (0, 1, ...)."""
    high, low = divmod(index, 250)
    if high > 255:
        raise ValueError('at most 64,000 simulated hosts')
    return '127.%d.%d.%d' % (network, high, low + 1)


def shared_bmc_port(state_dir):
    """The UDP port of every BMC of the fleet kept in ``state_dir``.

    Picked once (a port free on the BMC addresses) and kept in
    ``hostsim/bmc-port``, so that maintenance, configured before the
    fleet starts, and the fleet agree on it across restarts.
    """
    folder = os.path.join(state_dir, 'hostsim')
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return aio.kept_udp_port(os.path.join(folder, BMC_PORT_FILE),
                             loopback_address(_BMC_NET, 0))

# The default all-in-one fleet: a controller and two workers.
DEFAULT_FLEET = 3


def plan(count, profiles=None):
    """[(hostname, profile)] for ``count`` hosts.

    Without ``profiles``, the all-in-one's mix: controller-0 first, then
    workers, every third one an edge-tiny. With ``profiles`` (names or
    paths), the hosts take them in turn; a host of the controller profile
    is named controller-<n>, any other worker-<n>. A profile that cannot
    be loaded raises tree.ProfileError.
    """
    if profiles:
        names = {p: tree.load_profile(p)['name'] for p in set(profiles)}
        counters = {}
        hosts = []
        for index in range(count):
            profile = profiles[index % len(profiles)]
            kind = personality(names[profile])
            number = counters[kind] = counters.get(kind, -1) + 1
            hosts.append(('%s-%d' % (kind, number), profile))
        return hosts
    hosts = []
    if count > 0:
        hosts.append(('controller-0', 'controller'))
    for index in range(count - 1):
        hosts.append(('worker-%d' % index,
                      'edge-tiny' if index % 3 == 2 else 'worker'))
    return hosts


def personality(profile_name):
    """sysinv personality of a host of the profile named ``profile_name``."""
    return 'controller' if profile_name == 'controller' else 'worker'


class Fleet:
    """Generate the trees of ``hosts`` under ``state_dir``/hostsim."""

    def __init__(self, state_dir, hosts):
        self.dir = os.path.join(state_dir, 'hostsim')
        self.inventory_path = os.path.join(self.dir, 'hostsim.json')
        self.hosts = []
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        # One BMC password for the fleet, kept across starts.
        self.bmc_password = self._stored_password() or secrets.token_urlsafe(
            12)
        self.bmc_port = shared_bmc_port(state_dir)
        for index, (hostname, profile) in enumerate(hosts):
            facts = tree.generate(profile, os.path.join(self.dir, hostname),
                                  hostname)
            self.hosts.append({'hostname': hostname,
                               'profile': facts['profile'],
                               'personality': personality(
                                   facts['profile']),
                               'root': facts['root'],
                               'mgmt_mac': facts['mgmt_mac'],
                               'bmc_ip': loopback_address(_BMC_NET, index),
                               'mgmt_ip': loopback_address(_MGMT_NET, index),
                               'cluster_ip': loopback_address(_CLUSTER_NET,
                                                              index),
                               'sensors': facts['sensors']})

    def _stored_password(self):
        try:
            with open(self.inventory_path) as f:
                return json.load(f).get('bmc_password')
        except (OSError, ValueError):
            return None

    def write_inventory(self, bmcs=None):
        """hostsim.json: every host, its tree and its BMC's address."""
        hosts = []
        for host in self.hosts:
            # The sensors are the BMC's to tell (ipmitool sdr).
            entry = {k: v for k, v in host.items() if k != 'sensors'}
            found = (bmcs or {}).get(host['hostname'])
            if found is not None and found.port:
                entry['bmc'] = {'address': found.address,
                                'port': found.port, 'username': BMC_USER,
                                'password': self.bmc_password}
            hosts.append(entry)
        aio.write_private(self.inventory_path, json.dumps(
            {'bmc_password': self.bmc_password, 'hosts': hosts}, indent=2))
        return self.inventory_path


class FleetService(service.ServiceBase):
    """Every host's BMC, powered on, and its agents running while it is on.

    ``agents`` maps hostname to an object with start() and stop() (the
    host's sysinv-agent and mtce-client); ``before_start`` runs first
    (adding the hosts to sysinv in the all-in-one).
    """

    # Seconds between two looks at the cables file (hostsim --unplug).
    CABLES_POLL = 0.5

    def __init__(self, fleet, agents, before_start=None):
        self.fleet = fleet
        self.agents = agents
        self.before_start = before_start
        self.bmcs = {}
        self._cables_stop = threading.Event()
        self._cables_thread = None

    def _watch_cables(self):
        clients = {name: part for name, software in self.agents.items()
                   for part in getattr(software, 'parts', ())
                   if hasattr(part, 'unplug')}
        watcher = cables.Watcher(os.path.dirname(self.fleet.dir), clients)
        while True:
            for name, networks in watcher.poll().items():
                LOG.info('Heartbeat cables of %s: %s', name, ', '.join(
                    '%s %s' % (network, 'unplugged' if network in networks
                               else 'plugged')
                    for network in cables.NETWORKS))
            if self._cables_stop.wait(self.CABLES_POLL):
                return

    def _power_changed(self, hostname, state):
        agent = self.agents[hostname]
        LOG.info('Simulated host %s powered %s', hostname, state)
        if state == bmc.POWER_ON:
            agent.start()
            LOG.info('Agents of %s started', hostname)
        else:
            agent.stop()
            LOG.info('Agents of %s stopped', hostname)

    def start(self):
        if self.before_start is not None:
            try:
                self.before_start()
            except Exception:
                LOG.exception('Preparing the simulated hosts failed')
        for host in self.fleet.hosts:
            name = host['hostname']
            self.bmcs[name] = bmc.SimulatedBmc(
                name, address=host['bmc_ip'], port=self.fleet.bmc_port,
                username=BMC_USER, password=self.fleet.bmc_password,
                sensors=host.get('sensors'),
                on_power_change=lambda state, name=name:
                    self._power_changed(name, state))
            self.bmcs[name].start()
            self.bmcs[name].power_on()
        self.fleet.write_inventory(self.bmcs)
        self._cables_stop.clear()
        self._cables_thread = threading.Thread(
            target=self._watch_cables, name='hostsim-cables', daemon=True)
        self._cables_thread.start()

    def stop(self, graceful=True):
        self._cables_stop.set()
        if self._cables_thread is not None:
            self._cables_thread.join(5)
            self._cables_thread = None
        for simulated in self.bmcs.values():
            simulated.stop()
        for agent in self.agents.values():
            agent.stop()
        self.bmcs = {}

    def wait(self):
        pass

    def reset(self):
        pass
