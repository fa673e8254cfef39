"""One host's mtce-client: answers heartbeat and says it is alive.

The alive message tells mtce-agent which boot the host is in (a new boot
id after a reset is how a recovery knows the host really restarted),
where it answers heartbeat, and whether its go-enabled tests pass.  While
pulses arrive, heartbeat already proves the host alive: the message then
goes every ``MONITORED_FACTOR`` intervals only, which keeps a large
fleet's messages from loading mtce-agent. Pulses taken on a multicast
group do not count (every host on it gets them, monitored or not).
"""

import logging
import os
import threading
import uuid

from oslo_context import context

from mtce.heartbeat import alive
from mtce.heartbeat import responder

LOG = logging.getLogger(__name__)

MONITORED_FACTOR = 12


def read_boot_id(root):
    """The kernel's boot id under ``root``, or None."""
    path = os.path.join(root, 'proc/sys/kernel/random/boot_id')
    try:
        with open(path) as f:
            return f.read().strip() or None
    except OSError:
        return None


class HostClient:
    """Answers pulses for ``hostname`` on ``networks`` ({network: (ip,
    port)}) and sends an alive message to mtce-agent every
    ``alive_interval`` seconds: over UDP to ``agent_address`` (ip, port)
    when given, else cast through ``agent_api``. ``multicast`` maps some
    networks to the (group, port) pulses also come to there."""

    def __init__(self, key, hostname, networks, agent_api, root='/',
                 alive_interval=5.0, monitor=None, agent_address=None,
                 multicast=None):
        self.hostname = hostname
        self.alive_sender = None
        if agent_address is not None:
            self.alive_sender = alive.Sender(key, hostname, agent_address)
        self.monitor = monitor
        self.verdict = {'degrade': [], 'fail': []}
        self.root = root
        self.agent_api = agent_api
        self.alive_interval = alive_interval
        self.responder = responder.Responder(key, hostname, networks,
                                             multicast)
        # A simulated host has no kernel of its own: each start of its
        # client is a boot.
        self.boot_id = read_boot_id(root) or str(uuid.uuid4())
        self._stop = threading.Event()
        self._thread = None

    def start(self):
        self.responder.start()
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, name='mtce-alive-%s' % self.hostname,
            daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        self.responder.stop()
        if self.alive_sender is not None:
            self.alive_sender.close()

    def go_enabled(self):
        """{'passed': bool, 'reason': str}: can this host take service?"""
        proc = os.path.join(self.root, 'proc')
        if not os.path.isdir(proc):
            return {'passed': False, 'reason': '%s is missing' % proc}
        if self.verdict['fail']:
            return {'passed': False,
                    'reason': '; '.join(self.verdict['fail'])}
        return {'passed': True, 'reason': ''}

    def check(self):
        """Run the host monitor; True when its verdict changed."""
        if self.monitor is None:
            return False
        try:
            verdict = self.monitor.check()
        except Exception:
            LOG.exception('%s: host monitor failed', self.hostname)
            return False
        changed = verdict != self.verdict
        self.verdict = verdict
        return changed

    def alive_report(self):
        return {'hostname': self.hostname, 'boot_id': self.boot_id,
                'heartbeat': {network: list(address) for network, address
                              in self.responder.addresses.items()},
                'go_enabled': self.go_enabled(),
                'degrade': list(self.verdict['degrade']),
                'fail': list(self.verdict['fail'])}

    def send_alive(self):
        try:
            if self.alive_sender is not None:
                self.alive_sender.send(self.alive_report())
            else:
                self.agent_api.host_alive(context.get_admin_context(),
                                          self.alive_report())
            return True
        except Exception as exc:    # broker down: heartbeat still answers
            LOG.warning('%s could not send its alive message: %s',
                        self.hostname, exc)
            return False

    def _pulses_answered(self):
        """Pulses answered that only a monitored host gets: a multicast
        group's pulses reach every host on it, locked ones too, so they
        prove nothing; a host on groups only sends every alive message."""
        stats = self.responder.stats
        return stats['answered'] - stats['answered_group']

    def _run(self):
        answered = self._pulses_answered()
        quiet = 0
        self.check()
        while not self._stop.is_set():
            if quiet == 0:
                self.send_alive()
            self._stop.wait(self.alive_interval)
            changed = self.check()
            now = self._pulses_answered()
            monitored = now != answered
            answered = now
            # a changed verdict goes out at once
            quiet = 0 if changed or not monitored else (
                (quiet + 1) % MONITORED_FACTOR)
