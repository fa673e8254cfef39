"""Pulled heartbeat cables of a running fleet.

``hostsim --unplug worker-0:cluster-host`` (or ``--plug``) writes the
fleet's ``hostsim/cables.json``; the running fleet (``hostsim`` or
``stx-aio``) reads it twice a second and tells each host's mtce-client
which networks are cut, so
that pulses on them are lost as on a pulled cable while the host runs
on. Only heartbeat traffic is cut: the simulated host has no other
traffic on its cluster-host network.
"""

import json
import os

from stxcommon import aio

CABLES_FILE = 'cables.json'
NETWORKS = ('management', 'cluster-host')


def path(state_dir):
    return os.path.join(state_dir, 'hostsim', CABLES_FILE)


def parse(text):
    """(host, network) from ``HOST:NETWORK``; ValueError if malformed."""
    host, sep, network = text.rpartition(':')
    if not sep or not host or network not in NETWORKS:
        raise ValueError('%r is not HOST:NETWORK (network: %s)'
                         % (text, ' or '.join(NETWORKS)))
    return host, network


def load(state_dir):
    """{host: set of unplugged networks}; empty when nothing is cut."""
    try:
        with open(path(state_dir)) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return {host: set(networks) for host, networks in data.items()
            if isinstance(networks, list)}


def change(state_dir, unplug=(), plug=()):
    """Pull the cables in ``unplug``, put back those in ``plug`` (lists of
    (host, network)); returns what is unplugged now."""
    cut = load(state_dir)
    for host, network in unplug:
        cut.setdefault(host, set()).add(network)
    for host, network in plug:
        cut.get(host, set()).discard(network)
    cut = {host: sorted(networks) for host, networks in cut.items()
           if networks}
    os.makedirs(os.path.dirname(path(state_dir)), mode=0o700, exist_ok=True)
    # whole or not at all: the running fleet may read it at any moment
    temporary = path(state_dir) + '.new'
    aio.write_private(temporary, json.dumps(cut, indent=1) + '\n')
    os.replace(temporary, path(state_dir))
    return cut


class Watcher:
    """Applies the cables file to the fleet's mtce-clients when it
    changes; call :meth:`poll` now and then."""

    def __init__(self, state_dir, clients):
        self.state_dir = state_dir
        self.clients = clients          # hostname -> agents.MtceClient
        self._applied = {}

    def poll(self):
        """Apply what changed (the file is tiny: read it each time);
        returns {hostname: networks now unplugged} for the changed."""
        cut = load(self.state_dir)
        changed = {}
        for hostname, client in self.clients.items():
            networks = cut.get(hostname, set())
            if networks != self._applied.get(hostname, set()):
                client.unplug(networks)
                self._applied[hostname] = networks
                changed[hostname] = networks
        return changed
