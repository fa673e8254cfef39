"""A fleet of simulated hosts: trees, their sysinv-agents, hostsim.json.

Each host is a generated /sys + /proc tree (hostsim.tree) with the real
sysinv-agent reading it. The fleet is written to ``hostsim.json`` in the
state folder so operators and tools can find every host.
"""

import json
import os

from hostsim import tree
from stxcommon import aio

# The default all-in-one fleet: a controller and two workers.
DEFAULT_FLEET = 3


def plan(count):
    """[(hostname, profile)]: controller-0 first, then workers."""
    hosts = []
    if count > 0:
        hosts.append(('controller-0', 'controller'))
    for index in range(count - 1):
        hosts.append(('worker-%d' % index,
                      'edge-tiny' if index % 3 == 2 else 'worker'))
    return hosts


class Fleet:
    """Generate the trees of ``hosts`` under ``state_dir``/hostsim."""

    def __init__(self, state_dir, hosts):
        self.dir = os.path.join(state_dir, 'hostsim')
        self.hosts = []
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        for hostname, profile in hosts:
            facts = tree.generate(profile, os.path.join(self.dir, hostname),
                                  hostname)
            self.hosts.append({'hostname': hostname, 'profile': profile,
                               'root': facts['root'],
                               'mgmt_mac': facts['mgmt_mac']})

    def write_inventory(self):
        """hostsim.json: every simulated host and where its tree is."""
        path = os.path.join(self.dir, 'hostsim.json')
        aio.write_private(path, json.dumps({'hosts': self.hosts}, indent=2))
        return path
